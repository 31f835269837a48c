"""The pipeline in one place: read files -> parse -> validate shape -> build -> run rules.

Every stage hands on its result and its findings; a user's mistake never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from opsplan.build import build_plan, build_settings
from opsplan.diagnostics import Diagnostic, Location, Severity, apply_overrides, sort_diagnostics
from opsplan.model import Kind, Plan
from opsplan.schema import validate_document
from opsplan.source import (
    MAX_FILE_BYTES,
    ROOT_FILE,
    DirectorySource,
    Document,
    MarkedMap,
    PlanSource,
    decode,
    find_root,
    is_excluded,
    parse_document,
)

if TYPE_CHECKING:
    from opsplan.actuals import Actuals

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What one run over a plan found: the plan (None when it could not be built), every
    finding sorted, and the plan files read."""

    plan: Plan | None
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]
    actuals: Actuals | None = None

    @property
    def errors(self) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.severity is Severity.WARNING)


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


def read_document(source: PlanSource, file: str) -> tuple[Document | None, list[Diagnostic]]:
    """One file, from bytes to a parsed document, with the findings of each step."""
    try:
        size = source.size(file)
        if size > MAX_FILE_BYTES:
            return None, [Diagnostic.make(
                "OPS007", f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}", Location(file),
                hint="split the plan over several files")]
        raw = source.read_bytes(file)
    except OSError as error:
        return None, [Diagnostic.make("OPS001", f"cannot read the file: {error.strerror or error}", Location(file))]
    text, diagnostics = decode(file, raw)
    if text is None:
        return None, diagnostics
    root, parse_diagnostics = parse_document(file, text)
    return Document(file, root), [*diagnostics, *parse_diagnostics]


def check_source(source: PlanSource) -> CheckResult:
    """Run the whole pipeline over a plan source (a folder, or a git revision)."""
    diagnostics: list[Diagnostic] = []
    candidates = source.candidate_files()
    if ROOT_FILE not in candidates:
        missing = Diagnostic.make("OPS006", "the plan has no opsplan.yaml at its root", Location(ROOT_FILE),
                                  hint="create it with `opsplan init`")
        return CheckResult(None, (missing,), ())
    root_document, found = read_document(source, ROOT_FILE)
    diagnostics += found
    exclude = _raw_exclude(root_document.root if root_document else None)
    files = [file for file in candidates if file == ROOT_FILE or not is_excluded(file, exclude)]
    documents: list[Document] = []
    for file in files:
        if file == ROOT_FILE:
            document = root_document
        else:
            document, found = read_document(source, file)
            diagnostics += found
        if document is not None:
            documents.append(document)

    invalid: set[tuple[str | int, ...]] = set()
    for document in documents:
        if document.root is None and document.file != ROOT_FILE:
            continue
        if document.root is None:
            diagnostics.append(Diagnostic.make("OPS101", "opsplan.yaml is empty", Location(ROOT_FILE),
                                               hint="it needs `opsplan: 1`, `organization:` and `horizon:`"))
            continue
        found, invalid_here = validate_document(document)
        diagnostics += found
        invalid |= invalid_here

    plan = None
    settings, found = build_settings(root_document) if root_document and root_document.root else (None, [])
    diagnostics += found
    if settings is not None:
        plan, found = build_plan(documents, settings, invalid)
        diagnostics += found
        diagnostics += run_rules(plan)
        diagnostics = apply_overrides(diagnostics, settings.rules)
    return CheckResult(plan, tuple(sort_diagnostics(diagnostics)), tuple(files))


# Rules from here on judge what the plan means (budgets, goals, hygiene); the ones before
# check that it holds together (references, cycles).
FIRST_RULE_OF_MEANING = "OPS400"


def run_rules(plan: Plan) -> list[Diagnostic]:
    from opsplan.rules import semantic_rules

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


def check_path(path: Path, actuals_folder: Path | None = None) -> tuple[Path, CheckResult]:
    """Find the plan at or above ``path`` and check it, with its actuals (``actuals/`` under the
    root unless another folder is given) when there are any. Raises PlanNotFound (exit 2)."""
    root = locate_root(path)
    result = check_source(DirectorySource(root))
    if result.plan is None:
        return root, result
    return root, with_actuals(result, result.plan, root, actuals_folder)


def with_actuals(result: CheckResult, plan: Plan, root: Path, folder: Path | None) -> CheckResult:
    """Read the actuals of a built plan; their findings join the plan's."""
    from opsplan.actuals import ACTUALS_FOLDER, load_actuals

    if folder is None:
        folder = root / ACTUALS_FOLDER
    elif not folder.is_dir():
        raise PlanNotFound(f"{folder}: no such folder of actuals")
    # Findings name files relative to the plan root, like plan files, even for a folder elsewhere.
    actuals, found = load_actuals(folder, plan, root)
    found = apply_overrides(found, plan.settings.rules)
    diagnostics = sort_diagnostics([*result.diagnostics, *found])
    return CheckResult(plan, tuple(diagnostics), (*result.files, *actuals.files), actuals)


def _raw_exclude(root: MarkedMap | None) -> list[str]:
    value: Any = root.get("exclude") if root is not None else None
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
