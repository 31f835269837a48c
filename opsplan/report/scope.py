"""The report narrowed to part of the organisation: `opsplan report --owner DEPT` or `--select`.

It filters a built :class:`Report` (every figure stays as the whole plan computed it) to the
entities a selection holds, so that every section and every format show the same narrowing.
"""

from __future__ import annotations

from dataclasses import replace

from opsplan.model import Plan
from opsplan.report.model import Report
from opsplan.report.sections.budgets import added_months, summed_burn
from opsplan.report.sections.headcount import headcount_total
from opsplan.report.sections.shared import Evidence, Gap


def statuses(report: Report) -> dict[str, frozenset[str]]:
    """Entity key (as the selector names it) -> the statuses the report gives it."""
    found: dict[str, frozenset[str]] = {}
    for budget in report.budgets:
        found[f"budget:{budget.id}"] = frozenset({budget.burn.status.value})
        for department in budget.departments:
            for line in department.lines:
                found[f"line:{budget.id}/{department.department}/{line.id}"] = frozenset({line.burn.status.value})
    for kpi in report.kpis:
        found[f"kpi:{kpi.ref}"] = frozenset({kpi.figures.status.value})
    for goal in report.goals:
        found[f"goal:{goal.id}"] = frozenset({goal.status.value})
    for program in report.programs:
        found[f"program:{program.id}"] = frozenset({program.schedule.value, *(["behind"] if program.behind else [])})
    return found


def owner_keys(plan: Plan, department_id: str) -> frozenset[str]:
    """What `--owner DEPT` shows: everything the department and its sub-departments own (their
    budget lines, processes and their KPIs, goals and programs), and the goals their work
    supports or their KPIs measure."""
    from opsplan.select import plan_universe, subtree

    departments = subtree(plan, department_id)
    universe = plan_universe(plan)
    keys = {key for key, entity in universe.entities.items() if entity.owner in departments}
    # A hiring program is the department's too when its roles land there, whoever runs it.
    keys |= {f"program:{program.id}" for program in plan.programs.values()
             if any(role.department in departments for role in program.roles)}
    for goal in plan.goals.values():
        supporters = {f"{kind}:{supporter}" for supporter in goal.supported_by for kind in ("process", "program")}
        if supporters & keys or f"kpi:{goal.measure.kpi}" in keys:
            keys.add(f"goal:{goal.id}")
    return frozenset(keys)


def narrow(report: Report, plan: Plan, keys: frozenset[str], scope: str) -> Report:
    """The report cut down to ``keys`` (entity keys): budgets to the departments and lines held
    (a budget's burn added up again from them), KPIs, goals, headcount and programs held, and the
    gaps naming any of them, each with its due date; ``scope`` is said after the organisation."""
    budgets = []
    for budget in report.budgets:
        departments = []
        for department in budget.departments:
            lines = tuple(line for line in department.lines
                          if f"line:{budget.id}/{department.department}/{line.id}" in keys)
            if f"department:{department.department}" in keys or lines:
                departments.append(replace(department, lines=lines))
        if departments:
            own = [department.own for department in departments]
            budgets.append(replace(budget, departments=tuple(departments),
                                   burn=summed_burn(own, budget.start, budget.end, report.as_of,
                                                    budget.burn.tolerance),
                                   months=added_months([department.months for department in departments])))
    held_departments = {department.department for department in report.headcount
                        if f"department:{department.department}" in keys}
    headcount = tuple(department if department.parent in held_departments else replace(department, parent=None)
                      for department in report.headcount if department.department in held_departments)
    gaps = tuple(_with_due(plan, gap) for gap in report.gaps
                 if any(entity.kind != "budget" and f"{entity.kind}:{entity.id}" in keys for entity in gap.entities))
    return replace(
        report,
        organization=f"{report.organization} ({scope})",
        budgets=tuple(budgets),
        kpis=tuple(kpi for kpi in report.kpis if f"kpi:{kpi.ref}" in keys),
        goals=tuple(goal for goal in report.goals if f"goal:{goal.id}" in keys),
        headcount=headcount,
        programs=tuple(program for program in report.programs if f"program:{program.id}" in keys),
        initiatives=tuple(item for item in report.initiatives if f"program:{item.program}" in keys),
        capacity=tuple(process for process in report.capacity if f"process:{process.process}" in keys),
        gaps=gaps,
        headcount_total=headcount_total(headcount),
        # A waiver is held by its owner department; selections of other entities leave them out.
        waivers=tuple(waiver for waiver in report.waivers if f"department:{waiver.owner}" in keys),
    )


def _with_due(plan: Plan, gap: Gap) -> Gap:
    """A gap with the date it must be acted on by: the earliest due date of the goals, end of the
    programs or end of the budgets it names (none for a gap naming only processes or KPIs)."""
    dates = []
    for entity in gap.entities:
        if entity.kind == "goal" and entity.id in plan.goals:
            dates.append(plan.goals[entity.id].due)
        elif entity.kind == "program" and entity.id in plan.programs:
            dates.append(plan.programs[entity.id].end)
        elif entity.kind == "budget" and entity.id in plan.budgets:
            dates.append(plan.budgets[entity.id].end)
    if not dates:
        return gap
    return replace(gap, evidence=(Evidence("due", min(dates).isoformat()), *gap.evidence))
