"""A semantic diff of two plans: what changed, entity by entity and field by field, and what it
means: budget totals, headcount, goals, dependencies, the critical path, findings.

Ids are identities: an id that changed is a removal and an addition. Moving an entity to
another file, reformatting or reordering is no change at all. Entities and settings are
compared field by field in :mod:`opsplan.diff.entities`; the figures are compared here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from enum import Enum

from opsplan.check.pipeline import CheckResult
from opsplan.diagnostics import Diagnostic

# The entity and settings changes are part of every diff; their types are named from here too.
from opsplan.diff.entities import (
    KINDS,
    Change,
    EntityChange,
    FieldChange,
    entities_of,
    entity_changes,
    settings_changes,
)
from opsplan.diff.waivers import WaiverChange, waiver_changes
from opsplan.formulas import workforce
from opsplan.formulas.chains import chain_to, longest_finishes
from opsplan.model import Kind, Plan, Process, ProgramType

__all__ = ["KINDS", "AmountChange", "Change", "CriticalPath", "DependencyChange", "EntityChange", "FieldChange",
           "GoalChange", "HeadcountChange", "Lengthened", "PlanDiff", "critical_path", "diff_plans"]


class Lengthened(Enum):
    """What a change did to the critical path's length."""

    LONGER = "longer"
    SHORTER = "shorter"
    SAME = "same"


@dataclass(frozen=True, slots=True)
class AmountChange:
    """A total in the plan currency before and after; None where it did not exist."""

    budget: str
    department: str | None  # None: the budget's grand total of all lines
    before: Decimal | None
    after: Decimal | None

    @property
    def delta(self) -> Decimal:
        return (self.after or Decimal(0)) - (self.before or Decimal(0))

    @property
    def percent(self) -> Decimal | None:
        """The delta as a percentage of the total before (None when there was none), to 0.1."""
        if not self.before:
            return None
        return (self.delta * 100 / self.before).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True, slots=True)
class HeadcountChange:
    """A department's filled positions today and its planned headcount at the horizon's end."""

    department: str
    current_before: int | None
    current_after: int | None
    planned_before: int | None
    planned_after: int | None


@dataclass(frozen=True, slots=True)
class GoalChange:
    """A goal whose target or due date moved (goals added or removed are entity changes)."""

    goal: str
    target_before: Decimal
    target_after: Decimal
    due_before: date
    due_after: date

    @property
    def target_moved(self) -> bool:
        return self.target_before != self.target_after

    @property
    def due_moved(self) -> bool:
        return self.due_before != self.due_after


@dataclass(frozen=True, slots=True)
class DependencyChange:
    kind: Kind  # processes or programs
    dependent: str  # the one that depends ...
    dependency: str  # ... on this one
    change: Change  # added or removed


@dataclass(frozen=True, slots=True)
class CriticalPath:
    """The longest chain of process dependencies, weighted by cycle time."""

    hours: Decimal
    processes: tuple[str, ...]  # from the first input to the last output


@dataclass(frozen=True, slots=True)
class PlanDiff:
    base: str  # labels: the revisions compared
    head: str
    root: str  # the plan's folder in the repository ("" at its top); file paths are relative to it
    currency: str
    settings: tuple[FieldChange, ...]
    entities: tuple[EntityChange, ...]
    budget_totals: tuple[AmountChange, ...]  # budget grand totals, then per department
    headcount: tuple[HeadcountChange, ...]
    goals: tuple[GoalChange, ...]
    dependencies: tuple[DependencyChange, ...]
    critical_path_before: CriticalPath
    critical_path_after: CriticalPath
    introduced: tuple[Diagnostic, ...]  # findings at head that base did not have
    fixed: tuple[Diagnostic, ...]  # findings at base that head no longer has
    waivers: tuple[WaiverChange, ...] = ()  # format 1.1: waivers added, removed, extended, changed

    @property
    def changed(self) -> bool:
        """Whether the plan itself changed (findings alone do not make a change)."""
        return bool(self.settings or self.entities or self.waivers)

    @property
    def critical_path_longer(self) -> bool:
        return self.critical_path_after.hours > self.critical_path_before.hours

    @property
    def critical_path_length(self) -> Lengthened:
        if self.critical_path_longer:
            return Lengthened.LONGER
        if self.critical_path_after.hours < self.critical_path_before.hours:
            return Lengthened.SHORTER
        return Lengthened.SAME

    @property
    def critical_path_moved(self) -> bool:
        """Whether dependencies changed or the critical path did (its length or its processes)."""
        return bool(self.dependencies) or self.critical_path_before != self.critical_path_after

    @property
    def budget_grand_totals(self) -> tuple[AmountChange, ...]:
        """The changed budgets' grand totals, without the per-department totals."""
        return tuple(change for change in self.budget_totals if change.department is None)

    @property
    def changed_items(self) -> int:
        """Entities changed, and the settings as one more when they changed."""
        return len(self.entities) + (1 if self.settings else 0)

    def count(self, change: Change) -> int:
        return sum(1 for entity in self.entities if entity.change is change)


def _budget_totals(plan: Plan | None) -> dict[tuple[str, str | None], Decimal]:
    totals: dict[tuple[str, str | None], Decimal] = {}
    for budget in entities_of(Kind.BUDGET, plan).values():
        totals[(budget.id, None)] = sum((line.allocated for line in budget.lines), Decimal(0))
        for allocation in budget.departments:
            key = (budget.id, allocation.department)
            totals[key] = totals.get(key, Decimal(0)) + sum((line.allocated for line in allocation.lines), Decimal(0))
    return totals


def budget_changes(base: Plan | None, head: Plan | None) -> list[AmountChange]:
    old, new = _budget_totals(base), _budget_totals(head)
    keys = sorted(old.keys() | new.keys(), key=lambda key: (key[0], key[1] is not None, key[1] or ""))
    return [AmountChange(budget, department, old.get((budget, department)), new.get((budget, department)))
            for budget, department in keys if old.get((budget, department)) != new.get((budget, department))]


def planned_headcount(plan: Plan, at: date) -> dict[str, int]:
    """Per department: its planned headcount on ``at`` as the report computes it: its headcount
    plus the hires planned by then on roles landing on it (not on the program's owner), net of
    its attrition."""
    hires = {dept_id: 0 for dept_id in plan.departments}
    for program in plan.programs.values():
        if program.type is ProgramType.HIRING:
            for role in program.roles:
                lands_on = role.department or program.owner
                if lands_on in hires:
                    hires[lands_on] += workforce.planned_hires(role, at)
    start = plan.settings.horizon.start
    return {dept.id: max(0, workforce.planned_headcount(dept.headcount or 0, hires[dept.id], dept.attrition, start, at))
            for dept in plan.departments.values()}


def headcount_changes(base: Plan | None, head: Plan | None) -> list[HeadcountChange]:
    def figures(plan: Plan | None) -> tuple[dict[str, int | None], dict[str, int]]:
        if plan is None:
            return {}, {}
        current = {dept.id: dept.headcount for dept in plan.departments.values()}
        return current, planned_headcount(plan, plan.settings.horizon.end)

    old_current, old_planned = figures(base)
    new_current, new_planned = figures(head)
    result = []
    for department in sorted(old_planned.keys() | new_planned.keys()):
        change = HeadcountChange(department, old_current.get(department), new_current.get(department),
                                 old_planned.get(department), new_planned.get(department))
        if (change.current_before, change.planned_before) != (change.current_after, change.planned_after):
            result.append(change)
    return result


def goal_changes(base: Plan | None, head: Plan | None) -> list[GoalChange]:
    old, new = entities_of(Kind.GOAL, base), entities_of(Kind.GOAL, head)
    result = []
    for goal_id in sorted(old.keys() & new.keys()):
        before, after = old[goal_id], new[goal_id]
        if before.measure.target != after.measure.target or before.due != after.due:
            result.append(GoalChange(goal_id, before.measure.target, after.measure.target, before.due, after.due))
    return result


def _edges(plan: Plan | None) -> set[tuple[Kind, str, str]]:
    edges: set[tuple[Kind, str, str]] = set()
    for kind in (Kind.PROCESS, Kind.PROGRAM):
        for entity in entities_of(kind, plan).values():
            edges.update((kind, entity.id, dependency) for dependency in entity.depends_on)
    return edges


def dependency_changes(base: Plan | None, head: Plan | None) -> list[DependencyChange]:
    old, new = _edges(base), _edges(head)
    changes = [DependencyChange(*edge, Change.ADDED) for edge in new - old]
    changes += [DependencyChange(*edge, Change.REMOVED) for edge in old - new]
    return sorted(changes, key=lambda c: (KINDS.index(c.kind), c.dependent, c.dependency, c.change.value))


def critical_path(processes: Mapping[str, Process]) -> CriticalPath:
    """The longest path by cycle time over `depends_on` (``longest_finishes``). Processes on a
    dependency cycle (OPS302) have no order and are left out."""
    # Ties go to the dependency written first, and between equal paths to the one finished first.
    predecessors = {pid: list(dict.fromkeys(dependency for dependency in process.depends_on
                                            if dependency in processes and dependency != pid))
                    for pid, process in processes.items()}
    finish, previous = longest_finishes(processes, predecessors)
    if not finish:
        return CriticalPath(Decimal(0), ())
    last = max(finish, key=finish.__getitem__)
    return CriticalPath(finish[last], chain_to(last, previous))


def _finding_key(diagnostic: Diagnostic) -> tuple[str, str, str]:
    # Lines move when anything above them changes: a finding is the same finding if its rule,
    # file and message are.
    return (diagnostic.code, diagnostic.location.file, diagnostic.message)


def finding_changes(base: Iterable[Diagnostic], head: Iterable[Diagnostic]
                    ) -> tuple[tuple[Diagnostic, ...], tuple[Diagnostic, ...]]:
    base_list, head_list = list(base), list(head)
    before = Counter(_finding_key(d) for d in base_list)
    after = Counter(_finding_key(d) for d in head_list)

    def only(diagnostics: list[Diagnostic], other: Counter[tuple[str, str, str]]) -> tuple[Diagnostic, ...]:
        remaining = Counter(other)
        kept = []
        for diagnostic in diagnostics:
            key = _finding_key(diagnostic)
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                kept.append(diagnostic)
        return tuple(kept)

    return only(head_list, before), only(base_list, after)


def diff_plans(base: CheckResult, head: CheckResult, *, base_label: str, head_label: str,
               root: str = "") -> PlanDiff:
    old, new = base.plan, head.plan
    # A finding a waiver accepts is not news: the waiver itself is listed with the waivers.
    introduced, fixed = finding_changes((d for d in base.diagnostics if d.waived is None),
                                        (d for d in head.diagnostics if d.waived is None))
    either = new or old
    currency = either.currency if either is not None else ""
    return PlanDiff(
        base=base_label,
        head=head_label,
        root=root,
        currency=currency,
        settings=settings_changes(old, new),
        entities=tuple(entity_changes(old, new)),
        budget_totals=tuple(budget_changes(old, new)),
        headcount=tuple(headcount_changes(old, new)),
        goals=tuple(goal_changes(old, new)),
        dependencies=tuple(dependency_changes(old, new)),
        critical_path_before=critical_path(old.processes if old else {}),
        critical_path_after=critical_path(new.processes if new else {}),
        introduced=introduced,
        fixed=fixed,
        waivers=tuple(waiver_changes(old, new)),
    )
