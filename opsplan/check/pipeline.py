"""The pipeline in one place: read and parse files -> shape -> build -> rules -> severity
overrides -> waivers -> findings.

Every stage hands on its result and its findings; a user's mistake never raises.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from opsplan.check.waivers import waive_actuals_findings, waive_plan_findings
from opsplan.diagnostics import Diagnostic, Severity, sort_diagnostics
from opsplan.load.build import build_plan
from opsplan.load.read import read_plan, validate_plan
from opsplan.load.settings import build_settings
from opsplan.load.source import DirectorySource, PlanSource, find_root, is_inside
from opsplan.model import Kind, Plan
from opsplan.rules import registry, semantic_rules

if TYPE_CHECKING:
    from opsplan.load.actuals import Actuals, ActualsFiles
    from opsplan.load.actuals_cache import KeptActuals
    from opsplan.load.cache import DocumentCache

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What one run over a plan found: the plan (None when it could not be built), every
    finding sorted, and the plan files read."""

    plan: Plan | None
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]
    # The actuals read with the plan; taken from the cache, their records are made on first use.
    held_actuals: Actuals | KeptActuals | None = None

    @property
    def actuals(self) -> Actuals | None:
        """The actuals read with the plan, None when they were not read."""
        held = self.held_actuals
        return held() if callable(held) else held

    @property
    def errors(self) -> int:
        return sum(1 for diagnostic in self.diagnostics
                   if diagnostic.severity is Severity.ERROR and diagnostic.waived is None)

    @property
    def warnings(self) -> int:
        return sum(1 for diagnostic in self.diagnostics
                   if diagnostic.severity is Severity.WARNING and diagnostic.waived is None)


class PlanNotFound(Exception):
    """No opsplan.yaml at or above the given path: the command cannot run (exit 2)."""


def locate_root(path: Path) -> Path:
    if not path.exists():
        raise PlanNotFound(f"{path}: no such file or folder")
    root = find_root(path)
    if root is None:
        raise PlanNotFound(
            f"no opsplan.yaml found in {path} or any folder above it; "
            "run `opsplan init` to start a plan, or pass the plan's folder")
    return root


def check_source(source: PlanSource, as_of: date | None = None, cache: DocumentCache | None = None) -> CheckResult:
    """Run the whole pipeline over a plan source (a folder, or a git revision); waivers hold
    until the end of their expiry date, judged on ``as_of`` (default today); ``cache`` keeps
    each file's parsed and validated result between runs."""
    files = read_plan(source, cache)
    if not files.has_root_file:
        return CheckResult(None, tuple(sort_diagnostics(files.diagnostics)), ())
    rules = registry()
    found, invalid = validate_plan(files, list(rules), cache)
    diagnostics = [*files.diagnostics, *found]
    plan = None
    settings, found = build_settings(files.root, rules) if files.root and files.root.root else (None, [])
    diagnostics += found
    if settings is not None:
        plan, found = build_plan(list(files.documents), settings, invalid)
        diagnostics += found
        diagnostics += run_rules(plan)
        diagnostics = apply_overrides(diagnostics, settings.rules)
        diagnostics = waive_plan_findings(diagnostics, plan, as_of or date.today())
    return CheckResult(plan, tuple(summarise_repeats(sort_diagnostics(diagnostics))), files.files)


def apply_overrides(diagnostics: Iterable[Diagnostic], overrides: Mapping[str, Severity]) -> list[Diagnostic]:
    """The one place severities change: the plan's `rules:` settings; findings of rules set to
    `off` are dropped. Every finding arrives at its rule's default severity."""
    result = []
    for diagnostic in diagnostics:
        severity = overrides.get(diagnostic.code)
        if severity is None:
            result.append(diagnostic)
        elif severity is not Severity.OFF:
            result.append(replace(diagnostic, severity=severity))
    return result


# Rules from here on judge what the plan means (budgets, goals, hygiene); the ones before
# check that it holds together (references, cycles).
FIRST_RULE_OF_MEANING = "OPS400"


def run_rules(plan: Plan) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    complete = complete_entities(plan)
    for rule in semantic_rules():
        if rule.check is not None and plan.settings.rules.get(rule.code) is not Severity.OFF:
            # References and cycles see entities with shape errors (their bad fields dropped), so
            # one bad KPI does not hide a cycle; judging meaning on what is left would only
            # repeat the shape error as false findings.
            found.extend(rule.check(complete if rule.code >= FIRST_RULE_OF_MEANING else plan))
    return found


def complete_entities(plan: Plan) -> Plan:
    """The plan without the entities that had shape errors."""
    if not any(plan.invalid_ids.values()):
        return plan
    invalid = plan.invalid_ids

    def keep(kind: Kind, entities: Mapping[str, T]) -> dict[str, T]:
        dropped = invalid.get(kind, frozenset())
        return {id: entity for id, entity in entities.items() if id not in dropped}

    return replace(plan, departments=keep(Kind.DEPARTMENT, plan.departments),
                   processes=keep(Kind.PROCESS, plan.processes), budgets=keep(Kind.BUDGET, plan.budgets),
                   goals=keep(Kind.GOAL, plan.goals), programs=keep(Kind.PROGRAM, plan.programs))


def check_path(path: Path, actuals_folder: Path | None = None, as_of: date | None = None, *,
               cache: bool = False, progress: Callable[[int, int], None] | None = None,
               ) -> tuple[Path, CheckResult]:
    """Find the plan at or above ``path`` and check it, with its actuals (``actuals/`` under the
    root unless another folder is given) when there are any; with ``cache``, through the cache
    under the plan root; ``progress`` is told the actuals' bytes read so far and in all. Raises
    PlanNotFound (exit 2)."""
    root = locate_root(path)
    kept = None
    if cache:
        from opsplan.load.cache import CACHE_FOLDER, DocumentCache

        kept = DocumentCache(root / CACHE_FOLDER)
    # The actuals' files are listed first, so that a ledger engine adds them up while the plan is read.
    started = start_actuals(root, actuals_folder)
    try:
        result = check_source(DirectorySource(root), as_of, kept)
        if result.plan is None:
            return root, result
        return root, with_actuals(result, result.plan, root, actuals_folder, as_of, progress, started, kept)
    finally:
        if started is not None:
            started.close()


def start_actuals(root: Path, folder: Path | None) -> ActualsFiles | None:
    """The actuals' files listed ahead of the plan; None for a folder given that is not there
    (``with_actuals`` says so once the plan is checked)."""
    from opsplan.load.actuals import ActualsFiles

    place = _actuals_place(root, folder)
    return None if place is None else ActualsFiles(place[0], root, boundary=place[1])


def _actuals_place(root: Path, folder: Path | None) -> tuple[Path, Path] | None:
    """The actuals folder and the bound its files must stay within."""
    from opsplan.load.actuals import ACTUALS_FOLDER

    if folder is None:
        folder = root / ACTUALS_FOLDER
    elif not folder.is_dir():
        return None
    # Files must stay inside the plan; a folder given with --actuals elsewhere is the user's own
    # choice on the command line, so there its own real path is the bound.
    resolved_root, resolved_folder = root.resolve(), folder.resolve()
    return folder, resolved_root if is_inside(str(resolved_folder), resolved_root) else resolved_folder


def with_actuals(result: CheckResult, plan: Plan, root: Path, folder: Path | None,
                 as_of: date | None = None, progress: Callable[[int, int], None] | None = None,
                 started: ActualsFiles | None = None, cache: DocumentCache | None = None) -> CheckResult:
    """Read the actuals of a built plan (through ``cache`` when given); their findings join the
    plan's. ``started``: the same folder's files as ``start_actuals`` listed them."""
    from opsplan.load.actuals import load_actuals

    place = _actuals_place(root, folder)
    if place is None:
        raise PlanNotFound(f"{folder}: no such folder of actuals")
    # Findings name files relative to the plan root, like plan files, even for a folder elsewhere.
    folder, boundary = place
    actuals: Actuals | KeptActuals
    if cache is None:
        actuals, found = load_actuals(folder, plan, root, boundary=boundary, progress=progress, started=started)
    else:
        from opsplan.load.actuals_cache import read_actuals

        actuals, found = read_actuals(cache, folder, plan, root, boundary=boundary, progress=progress, started=started)
    found = waive_actuals_findings(apply_overrides(found, plan.settings.rules), plan, as_of or date.today())
    found = summarise_repeats(sort_diagnostics(found))
    diagnostics = sort_diagnostics([*result.diagnostics, *found])
    return CheckResult(plan, tuple(diagnostics), (*result.files, *actuals.files), actuals)


# One mistake repeated over a generated file would otherwise print megabytes into a CI log.
FINDINGS_SHOWN_PER_RULE_PER_FILE = 1000


def summarise_repeats(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Sorted findings with at most ``FINDINGS_SHOWN_PER_RULE_PER_FILE`` of one code in one file;
    the rest are replaced by one finding of that code saying how many more there are."""
    # Waived findings are summarised apart: the count of those hidden must not be counted.
    seen: Counter[tuple[str, str, str | None]] = Counter()
    first_hidden: dict[tuple[str, str, str | None], Diagnostic] = {}
    shown: list[Diagnostic] = []
    for diagnostic in diagnostics:
        key = (diagnostic.location.file, diagnostic.code, diagnostic.waived)
        seen[key] += 1
        if seen[key] <= FINDINGS_SHOWN_PER_RULE_PER_FILE:
            shown.append(diagnostic)
        elif key not in first_hidden:
            first_hidden[key] = diagnostic
    if not first_hidden:
        return diagnostics
    for (file, code, waived), first in first_hidden.items():
        hidden = seen[(file, code, waived)] - FINDINGS_SHOWN_PER_RULE_PER_FILE
        shown.append(Diagnostic(code, first.severity, f"{hidden:,} more {code} findings in {file} are not shown",
                                first.location, hint=f"the first {FINDINGS_SHOWN_PER_RULE_PER_FILE:,} are listed; "
                                "fix them and run again, the rest are likely the same mistake", waived=waived))
    return sort_diagnostics(shown)

