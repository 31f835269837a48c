"""Walk a plan's first-parent history and list how its commitments moved, commit by commit.

Stages: list the commits and the files each changed (one `git log`), parse only those files,
compare the followed values before and after, then judge eased goals against the actuals of
the last commit walked. Each changed file is parsed once per commit that changed it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from opsplan.history.changes import (
    REPORTED,
    Change,
    ChangeKind,
    Key,
    Subject,
    Value,
    eased_due,
    eased_target,
    extract,
)
from opsplan.history.pace import HORIZON_START, GoalBefore
from opsplan.history.walk import BlobReader, Commit, FileChange, plan_commits, plan_files_at
from opsplan.load.actuals_records import is_actuals_file
from opsplan.load.read import is_excluded
from opsplan.load.source import MAX_FILE_BYTES, PLAN_FILE_SUFFIXES, ROOT_FILE, Document
from opsplan.model import Better

if TYPE_CHECKING:
    from opsplan.model import Plan


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A plan file a commit left unreadable (bad YAML, not UTF-8, too big): its values are taken
    as unchanged until a later commit fixes it."""

    commit: Commit
    file: str


@dataclass(frozen=True, slots=True)
class History:
    root: str  # the plan folder, relative to the repository
    head: str
    since: str | None
    commits: int  # commits walked that touched the plan
    changes: tuple[Change, ...]
    unreadable: tuple[Unreadable, ...]
    actuals: bool  # whether eased goals were judged against actuals


@dataclass(frozen=True, slots=True)
class _PaceCheck:
    """An eased goal change to judge once the actuals are known: the goal as it was before."""

    index: int
    goal: GoalBefore
    when: date


class _Values:
    """The followed values of every plan file, and which files define each key, so that a
    commit's lookups cost what the commit changed, not the size of the plan."""

    def __init__(self) -> None:
        self.by_file: dict[str, dict[Key, Value]] = {}
        self.holders: dict[Key, set[str]] = defaultdict(set)
        self.exclude: list[str] = []
        self.nested: tuple[str, ...] = ()  # folders holding a plan of their own

    def counts(self, file: str) -> bool:
        if file != ROOT_FILE and is_excluded(file, self.exclude):
            return False
        return not any(file.startswith(folder) for folder in self.nested)

    def get(self, key: Key) -> Value | None:
        # A key written in two files (a duplicate id, OPS201) reads as the check does: first file wins.
        files = sorted(file for file in self.holders.get(key, ()) if self.counts(file))
        return self.by_file[files[0]][key] if files else None

    def put(self, file: str, values: dict[Key, Value]) -> None:
        for key in self.by_file.get(file, {}):
            self.holders[key].discard(file)
        if values:
            self.by_file[file] = values
            for key in values:
                self.holders[key].add(file)
        else:
            self.by_file.pop(file, None)

    def all_keys(self) -> set[Key]:
        return {key for key, files in self.holders.items() if files}


def build_history(repo: Path, root: str, head: str, since: str | None, *, goal: str | None = None,
                  with_actuals: bool = True, progress: Callable[[int, int], None] | None = None) -> History:
    """Every change of the followed values on the first-parent line to ``head`` (after ``since``);
    ``progress`` is told the commits walked so far and in all."""
    values = _Values()
    documents: dict[str, Document] = {}
    changes: list[Change] = []
    unreadable: list[Unreadable] = []
    checks: list[_PaceCheck] = []
    actuals_blobs = _actuals_files(repo, root, head) if with_actuals else []
    keep_documents = bool(actuals_blobs)
    commits = 0
    with BlobReader(repo) as reader:
        if since is not None:
            start = Commit(since, "", date.min, "")
            parsed, _ = _parse(reader, plan_files_at(repo, root, since), start, unreadable)
            _apply(values, documents, parsed, keep_documents)
        # Listed whole (one `git log` read at once anyway) so that progress knows the whole.
        walked = list(plan_commits(repo, root, head, since))
        for commit, files in walked:
            commits += 1
            if progress is not None:
                progress(commits, len(walked))
            parsed, affected = _parse(reader, files, commit, unreadable, values)
            if not parsed:
                continue
            keys = affected | {key for extracted in parsed.values() if extracted for key in extracted[0]}
            counted_before = (tuple(values.exclude), tuple(values.nested))
            if ROOT_FILE in parsed or any(_is_nested_root(file) for file in parsed):
                # Which files count may change with opsplan.yaml's `exclude` or a nested plan.
                keys |= values.all_keys()
            before = {key: values.get(key) for key in _with_context(keys, values)}
            _apply(values, documents, parsed, keep_documents)
            if counted_before != (tuple(values.exclude), tuple(values.nested)):
                keys |= values.all_keys()
            else:
                keys -= {key for key in keys if key not in affected and all(
                    extracted is None or key not in extracted[0] for extracted in parsed.values())}
            after = {key: values.get(key) for key in keys}
            found = _compare(commit, keys, before, after, goal)
            for change in found:
                if keep_documents and change.eased:
                    goal_before = _goal_before(before, change.id)
                    if goal_before is not None:
                        checks.append(_PaceCheck(len(changes), goal_before, commit.date))
                changes.append(change)
    if checks:
        _judge(repo, root, head, checks, changes, documents)
    return History(root, head, since, commits, tuple(changes), tuple(unreadable), bool(actuals_blobs))


def _is_nested_root(file: str) -> bool:
    return file != ROOT_FILE and PurePosixPath(file).name == ROOT_FILE


def _followed(file: str) -> bool:
    path = PurePosixPath(file)
    return path.name.endswith(PLAN_FILE_SUFFIXES) and not any(part.startswith(".") for part in path.parts)


_Parsed = dict[str, "tuple[dict[Key, Value], Document | None] | None"]


def _parse(reader: BlobReader, files: Iterable[FileChange], commit: Commit, unreadable: list[Unreadable],
           values: _Values | None = None) -> tuple[_Parsed, set[Key]]:
    """The changed plan files' new values (None: deleted) and the keys they held before."""
    from opsplan.load.strict_yaml import decode, parse_document

    parsed: _Parsed = {}
    affected: set[Key] = set()
    for change in files:
        if not _followed(change.path):
            continue
        if values is not None:
            affected |= set(values.by_file.get(change.path, {}))
        if change.blob is None:
            parsed[change.path] = None
            continue
        raw = reader.read(change.blob)
        text = decode(change.path, raw)[0] if len(raw) <= MAX_FILE_BYTES else None
        tree, findings = parse_document(change.path, text) if text is not None else (None, [])
        if text is None or (tree is None and findings):
            unreadable.append(Unreadable(commit, change.path))
            if values is not None:  # unchanged until fixed: nothing of it is compared now
                affected -= set(values.by_file.get(change.path, {}))
            continue
        parsed[change.path] = (extract(tree), Document(change.path, tree))
    return parsed, affected


def _apply(values: _Values, documents: dict[str, Document], parsed: _Parsed, keep_documents: bool) -> None:
    for file, result in parsed.items():
        values.put(file, result[0] if result is not None else {})
        if keep_documents:
            if result is None or result[1] is None:
                documents.pop(file, None)
            else:
                documents[file] = result[1]
        if file == ROOT_FILE:
            tree = result[1].root if result is not None and result[1] is not None else None
            exclude = tree.get("exclude") if isinstance(tree, dict) else None
            values.exclude = [item for item in exclude if isinstance(item, str)] if isinstance(exclude, list) else []
        if _is_nested_root(file):
            folder = file[:-len(ROOT_FILE)]
            values.nested = tuple(sorted(set(values.nested) - {folder} | ({folder} if result is not None else set())))


def _with_context(keys: set[Key], values: _Values) -> set[Key]:
    """The keys plus what judging their goals needs: the goal's KPI's baseline and direction."""
    wanted = set(keys)
    for subject, id, _ in keys:
        if subject is Subject.GOAL:
            wanted |= {(Subject.GOAL, id, field) for field in
                       ("target", "due", "baseline", "kpi", "better", "current", "milestones")}
            kpi = values.get((Subject.GOAL, id, "kpi"))
            if kpi is not None:
                wanted |= {(Subject.KPI, kpi.text, field) for field in ("baseline", "better", "current")}
            wanted.add(HORIZON_START)
    return wanted


def _compare(commit: Commit, keys: set[Key], before: dict[Key, Value | None], after: dict[Key, Value | None],
             goal: str | None) -> list[Change]:
    entities = sorted({(subject, id) for subject, id, _ in keys}, key=lambda entity: (entity[0].value, entity[1]))
    found: list[Change] = []
    for subject, id in entities:
        if subject not in REPORTED or (goal is not None and (subject is not Subject.GOAL or id != goal)):
            continue
        fields = REPORTED[subject]
        old = {field: before.get((subject, id, field)) for field in fields}
        new = {field: after.get((subject, id, field)) for field in fields}
        old_present = {field: value for field, value in old.items() if value is not None}
        new_present = {field: value for field, value in new.items() if value is not None}
        if not old_present and new_present:
            found.append(Change(commit, subject, id, ChangeKind.ADDED, None, None, None, tuple(new_present.items())))
            continue
        if old_present and not new_present:
            found.append(Change(commit, subject, id, ChangeKind.REMOVED, None, None, None, tuple(old_present.items())))
            continue
        for field in fields:
            was, now = old[field], new[field]
            if (was is None and now is None) or (was is not None and now is not None and was.same_as(now)):
                continue
            eased = False
            if subject is Subject.GOAL and was is not None and now is not None:
                if field == "target":
                    eased = eased_target(was, now, *_baseline_and_better(before, id))
                elif field == "due":
                    eased = eased_due(was, now)
            found.append(Change(commit, subject, id, ChangeKind.CHANGED, field, was, now, eased=eased))
    return found


def _baseline_and_better(before: dict[Key, Value | None], goal: str) -> tuple[Value | None, Value | None]:
    baseline = before.get((Subject.GOAL, goal, "baseline"))
    better = before.get((Subject.GOAL, goal, "better"))
    kpi = before.get((Subject.GOAL, goal, "kpi"))
    if kpi is not None:
        baseline = baseline or before.get((Subject.KPI, kpi.text, "baseline"))
        better = better or before.get((Subject.KPI, kpi.text, "better"))
    return baseline, better


def _goal_before(before: dict[Key, Value | None], goal: str) -> GoalBefore | None:
    """The goal as the commit's parent had it, with what its KPI lends it."""
    def number(key: Key) -> Decimal | None:
        value = before.get(key)
        return value.number if value is not None else None

    target, due = before.get((Subject.GOAL, goal, "target")), before.get((Subject.GOAL, goal, "due"))
    horizon = before.get(HORIZON_START)
    baseline, better = _baseline_and_better(before, goal)
    if target is None or target.number is None or due is None or due.day is None or horizon is None \
            or horizon.day is None or better is None or better.text not in ("higher", "lower"):
        return None
    kpi = before.get((Subject.GOAL, goal, "kpi"))
    current = number((Subject.GOAL, goal, "current"))
    if current is None and kpi is not None:
        current = number((Subject.KPI, kpi.text, "current"))
    milestones = before.get((Subject.GOAL, goal, "milestones"))
    return GoalBefore(goal, kpi.text if kpi is not None else goal, Better(better.text),
                      baseline.number if baseline is not None else None, target.number, due.day,
                      milestones.points if milestones is not None else (), current, horizon.day)


def _plan_of(documents: dict[str, Document]) -> Plan | None:
    """The plan the documents make, built without parsing anything again; None if it cannot be."""
    from opsplan.load.build import build_plan
    from opsplan.load.schema import validate_document
    from opsplan.load.settings import build_settings
    from opsplan.rules import registry

    root = documents.get(ROOT_FILE)
    if root is None or root.root is None:
        return None
    rules = registry()
    settings, _ = build_settings(root, rules)
    if settings is None:
        return None
    counted = [document for file, document in sorted(documents.items())
               if file == ROOT_FILE or not is_excluded(file, list(settings.exclude))]
    invalid: set[tuple[str | int, ...]] = set()
    for document in counted:
        if document.root is not None:
            invalid |= validate_document(document, list(rules))[1]
    plan, _ = build_plan(counted, settings, invalid)
    return plan


def _actuals_files(repo: Path, root: str, head: str) -> list[FileChange]:
    folder = f"{root}/actuals" if root else "actuals"
    return [file for file in plan_files_at(repo, folder, head) if is_actuals_file(file.path)]


def _judge(repo: Path, root: str, head: str, checks: list[_PaceCheck], changes: list[Change],
           documents: dict[str, Document]) -> None:
    """Mark the eased goal changes whose goal was off-track on the commit's date, by the readings
    of the last commit walked up to that date."""
    from opsplan.history.pace import Readings, read_actuals

    latest = _plan_of(documents)
    if latest is None:
        return
    readings = Readings(read_actuals(repo, root, head, latest, _actuals_files(repo, root, head)))
    for check in checks:
        if readings.off_track(check.goal, check.when):
            changes[check.index] = replace(changes[check.index], eased_while_off_track=True)
