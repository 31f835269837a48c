"""References between entities: every id named must exist, cost centers are unique."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from opsplan.diagnostics import Diagnostic, Severity, Suggestions
from opsplan.model import Kind, Origin, Plan
from opsplan.rules.codes import UNKNOWN_REFERENCE, checked_by, rule


class _Resolver:
    """Looks ids up in one kind, with a did-you-mean hint for the ones that do not exist."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.ids: dict[Kind, Mapping[str, Any]] = {
            Kind.DEPARTMENT: plan.departments, Kind.PROCESS: plan.processes, Kind.GOAL: plan.goals,
            Kind.PROGRAM: plan.programs, Kind.BUDGET: plan.budgets,
        }
        self.suggestions: dict[tuple[Kind, ...], Suggestions] = {}

    def known(self, kind: Kind, id: str) -> bool:
        return id in self.ids[kind] or id in self.plan.invalid_ids.get(kind, frozenset())

    def check(self, kinds: tuple[Kind, ...], id: str, origin: Origin, path: tuple[str | int, ...],
              what: str, *, key: bool = False) -> Iterator[Diagnostic]:
        if any(self.known(kind, id) for kind in kinds):
            return
        suggestions = self.suggestions.get(kinds)
        if suggestions is None:
            # Ids with shape errors are candidates too: a hint names what the writer meant.
            suggestions = self.suggestions[kinds] = Suggestions(
                known for kind in kinds
                for known in (*self.ids[kind], *sorted(self.plan.invalid_ids.get(kind, frozenset()))))
        names = " or ".join(kind.singular for kind in kinds)
        yield UNKNOWN_REFERENCE.finding(f"unknown {names} `{id}` {what}", origin.at(*path, key=key),
                              hint=suggestions.did_you_mean(id))


def _each(values: tuple[str, ...], field: str) -> Iterator[tuple[int, str, tuple[str | int, ...]]]:
    for index, value in enumerate(values):
        yield index, value, (field, index)


@checked_by(UNKNOWN_REFERENCE)
def unknown_references(plan: Plan) -> Iterator[Diagnostic]:
    resolve = _Resolver(plan)
    dept, proc, prog = (Kind.DEPARTMENT,), (Kind.PROCESS,), (Kind.PROGRAM,)
    for department in plan.departments.values():
        if department.parent is not None:
            yield from resolve.check(dept, department.parent, department.origin, ("parent",),
                                     f"as parent of department `{department.id}`")
    for process in plan.processes.values():
        yield from resolve.check(dept, process.owner, process.origin, ("owner",), f"as owner of process `{process.id}`")
        for _, value, path in _each(process.depends_on, "depends_on"):
            yield from resolve.check(proc, value, process.origin, path, f"in `depends_on` of process `{process.id}`")
        for _, value, path in _each(process.serves, "serves"):
            yield from resolve.check(dept, value, process.origin, path, f"in `serves` of process `{process.id}`")
    for budget in plan.budgets.values():
        for allocation in budget.departments:
            yield from resolve.check(dept, allocation.department, allocation.origin, (),
                                     f"in budget `{budget.id}`", key=True)
            for line in allocation.lines:
                if line.process is not None:
                    yield from resolve.check(proc, line.process, line.origin, ("process",),
                                             f"funded by line `{line.id}` of budget `{budget.id}`")
                if line.program is not None:
                    yield from resolve.check(prog, line.program, line.origin, ("program",),
                                             f"funded by line `{line.id}` of budget `{budget.id}`")
    for goal in plan.goals.values():
        yield from resolve.check(dept, goal.owner, goal.origin, ("owner",), f"as owner of goal `{goal.id}`")
        if goal.parent is not None:
            yield from resolve.check((Kind.GOAL,), goal.parent, goal.origin, ("parent",),
                                     f"as parent of goal `{goal.id}`")
        for _, value, path in _each(goal.supported_by, "supported_by"):
            yield from resolve.check((Kind.PROCESS, Kind.PROGRAM), value, goal.origin, path,
                                     f"in `supported_by` of goal `{goal.id}`")
    for program in plan.programs.values():
        yield from resolve.check(dept, program.owner, program.origin, ("owner",), f"as owner of program `{program.id}`")
        for _, value, path in _each(program.depends_on, "depends_on"):
            yield from resolve.check(prog, value, program.origin, path, f"in `depends_on` of program `{program.id}`")
        for _, value, path in _each(program.improves, "improves"):
            yield from resolve.check(proc, value, program.origin, path, f"in `improves` of program `{program.id}`")
        for _, value, path in _each(program.audience, "audience"):
            yield from resolve.check(dept, value, program.origin, path, f"in `audience` of program `{program.id}`")
        for role in program.roles:
            # A role without `department:` lands on the owner, which is checked above.
            if role.department != program.owner:
                yield from resolve.check(dept, role.department, role.origin, ("department",),
                                         f"as department of role `{role.id}` of program `{program.id}`")


@rule("OPS203", "duplicate-cost-center", Severity.ERROR, "duplicate cost center",
      rationale="Spend is matched to departments by cost center; two departments with one cost "
      "center make every such row ambiguous.",
      bad="departments:\n  warehouse: {name: Warehouse, cost_center: CC-200}\n"
      "  transport: {name: Transport, cost_center: CC-200}\n",
      good="departments:\n  warehouse: {name: Warehouse, cost_center: CC-200}\n"
      "  transport: {name: Transport, cost_center: CC-210}\n",
      configurable=False)
def duplicate_cost_centers(plan: Plan) -> Iterator[Diagnostic]:
    first: dict[str, str] = {}
    for department in plan.departments.values():
        if department.cost_center is None:
            continue
        other = first.setdefault(department.cost_center, department.id)
        if other != department.id:
            yield duplicate_cost_centers.finding(f"cost center `{department.cost_center}` of department `{department.id}` "
                f"is already used by department `{other}`", department.origin.at("cost_center"),
                hint="cost centers are unique across departments")
