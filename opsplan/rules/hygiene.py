"""Hygiene: the warnings that keep a plan useful: goals someone works on, processes that are
measured, departments that someone leads and that do something."""

from __future__ import annotations

from collections.abc import Iterator

from opsplan.diagnostics import Diagnostic, Severity
from opsplan.model import Kind, Plan
from opsplan.rules.codes import rule


def _incomplete(plan: Plan, *kinds: Kind) -> bool:
    """Whether entities these warnings depend on were dropped for shape errors: judging what is
    missing from an incomplete plan would only repeat those errors as false warnings."""
    return any(plan.invalid_ids.get(kind) for kind in kinds)


def supported_goals(plan: Plan) -> set[str]:
    """The goals that count as supported: those naming support in `supported_by`, and every
    goal above one of them in the cascade. The report and the goals view use this definition too."""
    supported: set[str] = set()
    for goal in plan.goals.values():
        if goal.supported_by:
            # Mark the goal and its ancestors; stop at a goal already marked (or at a cycle).
            current: str | None = goal.id
            while current is not None and current not in supported and current in plan.goals:
                supported.add(current)
                current = plan.goals[current].parent
    return supported


@rule("OPS601", "unsupported-goal", Severity.WARNING, "a goal has no supporting process or program",
      rationale="A goal that no process or program works toward is a wish. A goal counts as "
      "supported when it, or any goal below it in the cascade, names support in `supported_by`.",
      bad="goals:\n  cut-cost: {title: Cut cost per order, owner: warehouse, due: 2028-12-31, measure: {...}}\n",
      good="goals:\n  cut-cost: {..., supported_by: [order-fulfillment, warehouse-automation]}\n")
def unsupported_goal(plan: Plan) -> Iterator[Diagnostic]:
    if _incomplete(plan, Kind.GOAL):
        return
    supported = supported_goals(plan)
    for goal in plan.goals.values():
        if goal.id not in supported:
            yield unsupported_goal.finding(f"goal `{goal.id}` has no supporting process or program", goal.origin.at(),
                hint="add `supported_by: [...]` with the processes and programs that carry it")


@rule("OPS602", "process-without-kpi", Severity.WARNING, "a process has no KPI",
      rationale="A process without a KPI cannot be managed by numbers: nobody can tell whether it "
      "gets better or worse.",
      bad="billing: {name: Billing, owner: finance}\n",
      good="billing:\n  name: Billing\n  owner: finance\n  kpis:\n    days-to-invoice: "
      "{name: Days to invoice, unit: days, better: lower, target: 2}\n")
def process_without_kpi(plan: Plan) -> Iterator[Diagnostic]:
    for process in plan.processes.values():
        if not process.kpis:
            yield process_without_kpi.finding(f"process `{process.id}` has no KPI", process.origin.at(),
                                  hint="add `kpis:` with at least one measure of how well it runs")


@rule("OPS603", "department-without-head", Severity.WARNING, "a department has no head",
      rationale="Every department needs a person accountable for it.",
      bad="hr: {name: Human resources}\n", good="hr: {name: Human resources, head: Priya Nair}\n")
def department_without_head(plan: Plan) -> Iterator[Diagnostic]:
    for department in plan.departments.values():
        if not department.head:
            yield department_without_head.finding(f"department `{department.id}` has no head", department.origin.at(),
                                  hint="add `head:` with the person responsible")


@rule("OPS604", "idle-department", Severity.WARNING,
      "a department without sub-departments owns no process and no program",
      rationale="A team that owns no process and no program does nothing the plan can see: either "
      "its work is missing from the plan, or the department is.",
      bad="departments:\n  legal: {name: Legal, head: Sam Ortiz}\n# no process or program has owner: legal\n",
      good="processes:\n  contract-review: {name: Contract review, owner: legal, ...}\n")
def idle_department(plan: Plan) -> Iterator[Diagnostic]:
    if _incomplete(plan, Kind.DEPARTMENT, Kind.PROCESS, Kind.PROGRAM):
        return
    owners = {process.owner for process in plan.processes.values()}
    owners |= {program.owner for program in plan.programs.values()}
    parents = {department.parent for department in plan.departments.values()}
    for department in plan.departments.values():
        if department.id not in parents and department.id not in owners:
            yield idle_department.finding(f"department `{department.id}` owns no process and no program",
                                  department.origin.at(),
                                  hint="give it the processes it runs (`owner:`), or remove it")
