"""Gaps and recommendations: the report's figures read as a ranked list of things to act on.

Each gap names the entities concerned, shows the figures it rests on and says in plain words
what to do. Related findings are grouped (KPIs per department, spend per budget) so that the
list stays short enough to read in a weekly review.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal

from opsplan.figures import measured, money_grouped, number, pct, signed_money
from opsplan.model import Better, Plan
from opsplan.report.build import (
    BudgetReport,
    BudgetStatus,
    DepartmentBurn,
    EntityRef,
    Evidence,
    Gap,
    GapKind,
    GapSeverity,
    KpiReport,
    KpiStatus,
    PaceStatus,
    Report,
    ScheduleStatus,
)

ONE, HUNDRED = Decimal(1), Decimal(100)
# Over pace by more than this share of expected spend (or past the allocation) is a high gap.
SEVERE_OVERSPEND = Decimal("0.25")
# Hires short by this share of the plan to date, or more, is a high gap.
SEVERE_HIRING_SHORTFALL = Decimal("0.25")
SEVERITY_ORDER = {GapSeverity.HIGH: 0, GapSeverity.MEDIUM: 1, GapSeverity.LOW: 2}
KIND_ORDER = {kind: index for index, kind in enumerate(GapKind)}
# At most this many lines are named in one piece of evidence; the rest are counted.
NAMED = 5


def find_gaps(plan: Plan, report: Report) -> tuple[Gap, ...]:
    """Every gap of the report, ranked: severity, then size (largest first), then kind and id."""
    gaps = [
        *_goal_gaps(plan, report),
        *_unsupported_goals(plan, report),
        *_worsening_kpis(plan, report),
        *_overspending_departments(plan, report),
        *_hiring_behind(plan, report),
        *_training_behind(plan, report),
        *_critical_paths(plan, report),
        *_unfocused_spend(report),
        *_missing_data(report),
    ]
    return tuple(sorted(gaps, key=lambda gap: (SEVERITY_ORDER[gap.severity], -gap.size, KIND_ORDER[gap.kind],
                                               [(entity.kind, entity.id) for entity in gap.entities])))


# --- wording ---------------------------------------------------------------------------------


def _value(value: Decimal, unit: str | None, currency: str) -> str:
    return measured(value, unit, currency)


def _difference(value: Decimal, unit: str | None, currency: str) -> str:
    """How far apart two measured values are: between two percentages that is percentage points
    (8.6% is 1.06 points, not 1.06%, behind 9.66%)."""
    if unit == "percent":
        return f"{number(value)} percentage points"
    return _value(value, unit, currency)


def _money(value: Decimal, currency: str) -> str:
    return f"{money_grouped(value)} {currency}"


def _names(items: Iterable[str], limit: int = NAMED) -> str:
    listed = list(items)
    shown = ", ".join(listed[:limit])
    return shown if len(listed) <= limit else f"{shown} and {len(listed) - limit} more"


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _head(plan: Plan, department_id: str) -> str:
    department = plan.departments.get(department_id)
    if department is None:
        return department_id
    return f"{department.name} ({department.head})" if department.head else department.name


def _name(plan: Plan, department_id: str) -> str:
    department = plan.departments.get(department_id)
    return department.name if department is not None else department_id


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return part / whole if whole else ONE


# --- goals -----------------------------------------------------------------------------------


def _goal_gaps(plan: Plan, report: Report) -> list[Gap]:
    programs = {program.id: program for program in report.programs}
    kpis = {kpi.ref: kpi for kpi in report.kpis}
    worsening_by_process: dict[str, list[str]] = {}
    for kpi in report.kpis:
        if kpi.figures.status is KpiStatus.WORSENING:
            worsening_by_process.setdefault(kpi.process, []).append(kpi.ref)
    gaps = []
    for goal in report.goals:
        if goal.status not in (PaceStatus.OFF_TRACK, PaceStatus.AT_RISK):
            continue
        figures = goal.figures
        assert figures.current is not None and goal.expected is not None and goal.behind is not None
        assert figures.baseline is not None
        span = (figures.target - figures.baseline).copy_abs()
        currency = report.currency
        current = figures.current
        seen = f"{current.date} ({current.origin})" if current.date else f"plan ({current.origin})"
        evidence = [
            Evidence("current", f"{_value(current.value, figures.unit, currency)} on {seen}"),
            Evidence(f"expected on {report.as_of}", _value(goal.expected, figures.unit, currency)),
            Evidence("behind the path by", _difference(goal.behind, figures.unit, currency)),
            Evidence(f"target by {goal.due}", _value(figures.target, figures.unit, currency)),
            Evidence("baseline", _value(figures.baseline, figures.unit, currency)),
        ]
        weak: list[str] = []
        for supporter in goal.supporters:
            program = programs.get(supporter.id) if supporter.kind == "program" else None
            if program is not None and (program.behind or program.schedule is ScheduleStatus.OVERDUE):
                weak.append(f"program {supporter.id} is behind")
            elif program is not None and program.schedule is ScheduleStatus.NOT_STARTED:
                weak.append(f"program {supporter.id} starts {program.start}")
            if supporter.kind == "process":
                worsening = worsening_by_process.get(supporter.id, [])
                if worsening:
                    weak.append(f"{_plural(len(worsening), 'KPI')} of {supporter.id} worsening")
            if not supporter.funded_by:
                weak.append(f"{supporter.kind} {supporter.id} has no budget line")
        measured = kpis.get(goal.measure)
        if measured is not None and not measured.improved_by:
            weak.append(f"no program improves {measured.process}")
        if weak:
            evidence.append(Evidence("supporting work", "; ".join(weak)))
        off = goal.status is PaceStatus.OFF_TRACK
        move = "lower" if figures.better is Better.LOWER else "higher"
        recommendation = (
            f"Put goal {goal.id} on the agenda of the next review with {_head(plan, goal.owner)}: "
            f"{goal.measure} must get {_difference(goal.behind, figures.unit, currency)} {move} to be back "
            f"on its path. " + (f"Start with its supporting work: {'; '.join(weak[:3])}."
                                if weak else "Its supporting work looks on plan: check whether it is "
                                "enough, and add a program aimed at the measure if not."))
        gaps.append(Gap(
            kind=GapKind.GOAL_OFF_TRACK, severity=GapSeverity.HIGH if off else GapSeverity.MEDIUM,
            size=_share(goal.behind, span),
            title=f"Goal {goal.id} is {'off track' if off else 'at risk'}: {goal.title}",
            entities=(EntityRef("goal", goal.id),), evidence=tuple(evidence), recommendation=recommendation))
    return gaps


def _unsupported_goals(plan: Plan, report: Report) -> list[Gap]:
    """Goals with no supporting work (directly or through a sub-goal: OPS601 says it too, but it
    may be a warning), or whose supporting work has no budget line at all."""
    by_id = {goal.id: goal for goal in report.goals}
    gaps = []
    for goal in report.goals:
        if goal.supported and goal.funded:
            continue
        supporters = goal.supporters or tuple(supporter for below in goal.supported_through
                                              for supporter in by_id[below].supporters)
        work = list(dict.fromkeys(f"{s.kind} {s.id}" for s in supporters))
        evidence: tuple[Evidence, ...]
        if not work:
            evidence = (Evidence("supported by", "nothing, directly or through a sub-goal"),)
            recommendation = (f"Decide which processes or programs will move {goal.measure} and list them under "
                              f"`supported_by` of goal {goal.id}; without them the goal is a wish.")
        else:
            through = "" if goal.supporters else " (through its sub-goals)"
            evidence = (Evidence(f"supported by{through}", _names(work)), Evidence("funded by", "no budget line"))
            recommendation = (f"Fund the work behind goal {goal.id}: point a budget line at "
                              f"{'it' if len(work) == 1 else 'one of ' + _names(item.split()[1] for item in work)} "
                              f"(`process:` or `program:`), or agree with {_head(plan, goal.owner)} which "
                              f"existing line pays for it.")
        gaps.append(Gap(
            kind=GapKind.GOAL_UNSUPPORTED, severity=GapSeverity.HIGH if not work else GapSeverity.MEDIUM,
            size=ONE, title=f"Goal {goal.id} has {'no supporting work' if not work else 'no funded work'}: "
                            f"{goal.title}",
            entities=(EntityRef("goal", goal.id), *(EntityRef(s.kind, s.id) for s in goal.supporters)),
            evidence=evidence, recommendation=recommendation))
    return gaps


# --- KPIs ------------------------------------------------------------------------------------


def _worsening_kpis(plan: Plan, report: Report) -> list[Gap]:
    """KPIs at or worse than their baseline that no running or planned program improves, one
    gap per department owning their processes."""
    live = {program.id for program in report.programs
            if program.schedule in (ScheduleStatus.NOT_STARTED, ScheduleStatus.RUNNING)}
    by_owner: dict[str, list[KpiReport]] = {}
    for kpi in report.kpis:
        if kpi.figures.status is KpiStatus.WORSENING and not any(p in live for p in kpi.improved_by):
            by_owner.setdefault(kpi.owner, []).append(kpi)
    gaps = []
    for owner, kpis in by_owner.items():
        evidence = []
        worst = Decimal(0)
        for kpi in kpis:
            figures = kpi.figures
            assert figures.current is not None and figures.baseline is not None
            unit = figures.unit
            evidence.append(Evidence(kpi.ref, (
                f"{_value(figures.current.value, unit, report.currency)} against baseline "
                f"{_value(figures.baseline, unit, report.currency)}, target {_value(figures.target, unit, report.currency)} "
                f"({figures.better.value} is better)")))
            span = (figures.target - figures.baseline).copy_abs()
            lost = (figures.baseline - figures.current.value).copy_abs()
            worst = max(worst, _share(lost, span) if lost else Decimal(0))
        processes = list(dict.fromkeys(kpi.process for kpi in kpis))
        goals = sorted({goal for kpi in kpis for goal in kpi.measures_goals})
        severity = GapSeverity.HIGH if goals else GapSeverity.MEDIUM
        recommendation = (
            f"Ask {_head(plan, owner)} for the cause and a fix of {_names(kpi.ref for kpi in kpis)}: "
            f"no running or planned program improves {_names(processes)}. Start an improvement "
            f"program (`improves: [{', '.join(processes)}]`) or add the fix to an existing one.")
        if goals:
            evidence.append(Evidence("measures goals", ", ".join(goals)))
        gaps.append(Gap(
            kind=GapKind.KPI_WORSENING, severity=severity, size=worst,
            title=f"{_name(plan, owner)}: {_plural(len(kpis), 'KPI')} not improving, and no program on "
                  f"{'it' if len(kpis) == 1 else 'them'}",
            entities=tuple(EntityRef("kpi", kpi.ref) for kpi in kpis), evidence=tuple(evidence),
            recommendation=recommendation))
    return gaps


# --- budgets ---------------------------------------------------------------------------------


def _overspending_departments(plan: Plan, report: Report) -> list[Gap]:
    gaps = []
    currency = report.currency
    for budget in report.budgets:
        for department in budget.departments:
            own = department.own
            if own.status is not BudgetStatus.OVER or not department.lines:
                continue
            over = sorted((line for line in department.lines if line.burn.status is BudgetStatus.OVER),
                          key=lambda line: (-line.burn.variance, line.id))
            under = sorted((line for line in department.lines if line.burn.status is BudgetStatus.UNDER),
                           key=lambda line: (line.burn.variance, line.id))
            size = _share(own.variance, own.expected)
            severe = own.actual > own.allocated or size > SEVERE_OVERSPEND
            evidence = [
                Evidence("allocated", _money(own.allocated, currency)),
                Evidence(f"expected by {report.as_of} ({budget.elapsed_days} of {budget.period_days} days)",
                         _money(own.expected, currency)),
                Evidence("actual", _money(own.actual, currency)),
                Evidence("variance", f"{signed_money(own.variance)} {currency}"
                         + (f" ({pct(size * HUNDRED)}% of expected)" if own.expected else "")),
                Evidence("lines over pace", _names(f"{line.id} {signed_money(line.burn.variance)}" for line in over)),
            ]
            if under:
                evidence.append(Evidence("lines under pace", _names(
                    f"{line.id} {signed_money(line.burn.variance)}" for line in under)))
            recommendation = (
                f"Review {_names(line.id for line in over[:3])} with {_head(plan, department.department)}: "
                f"find the cause (price, volume or timing), forecast the year-end of {budget.id}, and "
                + (f"cut spend or move money from lines under pace ({_names(line.id for line in under[:3])})"
                   if under else "cut spend or ask for a reallocation")
                + " before the department runs out of allocation.")
            gaps.append(Gap(
                kind=GapKind.BUDGET_OVER_PACE, severity=GapSeverity.HIGH if severe else GapSeverity.MEDIUM,
                size=size,
                title=f"{department.name} is over budget pace in {budget.id}: "
                      f"{signed_money(own.variance)} {currency}",
                entities=(EntityRef("department", department.department), EntityRef("budget", budget.id),
                          *(EntityRef("line", f"{budget.id}/{department.department}/{line.id}") for line in over)),
                evidence=tuple(evidence), recommendation=recommendation))
    return gaps


def _running_budgets(report: Report) -> list[BudgetReport]:
    return [budget for budget in report.budgets if budget.start <= report.as_of <= budget.end]


def _unfocused_spend(report: Report) -> list[Gap]:
    """Lines of running budgets that fund nothing a goal needs, one gap per budget."""
    gaps = []
    currency = report.currency
    for budget in _running_budgets(report):
        per_department: list[tuple[DepartmentBurn, list[str], Decimal]] = []
        entities = []
        total = Decimal(0)
        for department in budget.departments:
            lines = [line for line in department.lines if not line.supports_goals]
            if not lines:
                continue
            amount = sum((line.burn.allocated for line in lines), Decimal(0))
            total += amount
            per_department.append((department, [line.id for line in lines], amount))
            entities += [EntityRef("line", f"{budget.id}/{department.department}/{line.id}") for line in lines]
        if not per_department:
            continue
        share = _share(total, budget.burn.allocated)
        evidence = [Evidence("lines funding no goal", f"{len(entities)} lines, {_money(total, currency)} "
                             f"({pct(share * HUNDRED)}% of {budget.id})")]
        evidence += [Evidence(department.department, f"{_money(amount, currency)}: {_names(lines)}")
                     for department, lines, amount in sorted(per_department, key=lambda item: (-item[2], item[0].department))]
        gaps.append(Gap(
            kind=GapKind.UNFOCUSED_SPEND, severity=GapSeverity.LOW, size=share,
            title=f"{pct(share * HUNDRED)}% of {budget.id} funds nothing a goal needs",
            entities=tuple(entities), evidence=tuple(evidence),
            recommendation=(
                "For each line, write the process or program it pays for (`process:` or `program:`) "
                "if a goal relies on that work; lines left are overhead: check they are still needed "
                "at this size when the next budget is drawn up.")))
    return gaps


# --- programs --------------------------------------------------------------------------------


def _hiring_behind(plan: Plan, report: Report) -> list[Gap]:
    gaps = []
    for program in report.programs:
        short = [role for role in program.roles if role.short]
        if not short:
            continue
        missing = sum(role.short for role in short)
        size = _share(Decimal(missing), Decimal(program.planned_hires))
        evidence = [Evidence(role.id, f"{role.hired} of {role.planned} hired (role started {role.start}, "
                             f"{role.count} planned in all)") for role in short]
        evidence.append(Evidence("program", f"{program.hired} of {program.planned_hires} planned hires by "
                                 f"{report.as_of}; runs {program.start} to {program.end} ({program.schedule.value})"))
        wanted = ", ".join(f"{role.short} {role.id}" for role in short)
        recommendation = (
            f"Catch up {_plural(missing, 'hire')} ({wanted}): review the pipeline of {program.id} with "
            f"{_head(plan, program.owner)} and recruiting, widen sourcing (agencies, referrals, job boards) "
            f"and plan cover (overtime, temps) for the work these roles should take on until they are filled.")
        gaps.append(Gap(
            kind=GapKind.HIRING_BEHIND,
            severity=GapSeverity.HIGH if size >= SEVERE_HIRING_SHORTFALL else GapSeverity.MEDIUM, size=size,
            title=f"Hiring behind plan in {program.id}: {program.hired} of {program.planned_hires} hired",
            entities=(EntityRef("program", program.id), EntityRef("department", program.owner)),
            evidence=tuple(evidence), recommendation=recommendation))
    return gaps


def _training_behind(plan: Plan, report: Report) -> list[Gap]:
    gaps = []
    for program in report.programs:
        training = program.training
        if training is None or not program.behind or training.completion_pct is None:
            continue
        assert training.completion_target is not None and training.expected_pct is not None
        assert training.participants is not None
        needed = max(math.ceil(Decimal(training.participants) * training.completion_target / HUNDRED)
                     - training.completed, 0)
        finished = program.schedule is ScheduleStatus.OVERDUE
        size = _share(training.expected_pct - training.completion_pct, training.expected_pct)
        evidence = (
            Evidence("completed", f"{training.completed} of {training.participants} participants "
                                  f"({pct(training.completion_pct)}%)"),
            Evidence(f"expected by {report.as_of}", f"{pct(training.expected_pct)}%"),
            Evidence(f"target by {program.end}", f"{number(training.completion_target)}%"),
        )
        if finished:
            recommendation = (f"{program.id} ended on {program.end} below target: run a catch-up session "
                              f"for the {needed} participants still needed, with {_head(plan, program.owner)}, "
                              f"and agree their managers release them for it.")
        else:
            months = max(Decimal((program.end - report.as_of).days) / Decimal("30.4"), ONE)
            per_month = math.ceil(needed / months)
            recommendation = (f"{needed} more participants must complete {program.id} by {program.end} "
                              f"(about {per_month} a month): schedule more sessions with "
                              f"{_head(plan, program.owner)} and ask the audience's managers "
                              f"({_names(program_audience(plan, program.id))}) to free people for them.")
        gaps.append(Gap(
            kind=GapKind.TRAINING_BELOW_TARGET, severity=GapSeverity.HIGH if finished else GapSeverity.MEDIUM,
            size=size,
            title=f"Training {program.id} below target: {pct(training.completion_pct)}% completed, "
                  f"{pct(training.expected_pct)}% expected by now",
            entities=(EntityRef("program", program.id), EntityRef("department", program.owner)),
            evidence=evidence, recommendation=recommendation))
    return gaps


def program_audience(plan: Plan, program_id: str) -> list[str]:
    program = plan.programs[program_id]
    return list(program.audience) or [program.owner]


# --- critical paths --------------------------------------------------------------------------


def _critical_paths(plan: Plan, report: Report) -> list[Gap]:
    """For each off-track goal, the longest chain of processes (by cycle time) leading to its
    work: a delay or a fault anywhere on it holds the goal back."""
    off_track = [goal for goal in report.goals if goal.status is PaceStatus.OFF_TRACK]
    if not off_track:
        return []
    from opsplan.graph.build import goal_chain, longest_chains

    chains = longest_chains(plan)
    kpis_by_process: dict[str, list[KpiReport]] = {}
    for kpi in report.kpis:
        kpis_by_process.setdefault(kpi.process, []).append(kpi)
    gaps = []
    for goal in off_track:
        chain = goal_chain(plan, plan.goals[goal.id], chains)
        if len(chain.processes) < 2:
            continue
        troubled = [kpi.ref for process in chain.processes for kpi in kpis_by_process.get(process, [])
                    if kpi.figures.status is KpiStatus.WORSENING]
        evidence = [Evidence("chain", " -> ".join(chain.processes)),
                    Evidence("cycle time", f"{number(chain.hours)} h")]
        if troubled:
            evidence.append(Evidence("worsening KPIs on the chain", _names(troubled)))
        owners = list(dict.fromkeys(_name(plan, plan.processes[p].owner) for p in chain.processes))
        recommendation = (
            f"Goal {goal.id} is off track and its work waits on {_plural(len(chain.processes), 'process', 'processes')} "
            f"in a row ({_names(chain.processes, 8)}): check their capacity and hand-offs with "
            f"{_names(owners)}, and fix "
            + (f"the worsening KPIs first ({_names(troubled, 3)})." if troubled
               else "the slowest step first: shortening it shortens the whole chain."))
        gaps.append(Gap(
            kind=GapKind.CRITICAL_PATH, severity=GapSeverity.MEDIUM,
            size=_share(goal.behind or Decimal(0),
                        (goal.figures.target - (goal.figures.baseline or goal.figures.target)).copy_abs()),
            title=f"Critical path of off-track goal {goal.id}: {_plural(len(chain.processes), 'process', 'processes')}",
            entities=(EntityRef("goal", goal.id), *(EntityRef("process", p) for p in chain.processes)),
            evidence=tuple(evidence), recommendation=recommendation))
    return gaps


# --- data ------------------------------------------------------------------------------------


def _missing_data(report: Report) -> list[Gap]:
    """Goals with no current value: nobody can tell whether they are on track."""
    blind = [goal for goal in report.goals if goal.status is PaceStatus.NO_DATA]
    if not blind:
        return []
    return [Gap(
        kind=GapKind.MISSING_DATA, severity=GapSeverity.LOW, size=Decimal(len(blind)) / len(report.goals),
        title=f"{_plural(len(blind), 'goal')} without a current value",
        entities=tuple(EntityRef("goal", goal.id) for goal in blind),
        evidence=tuple(Evidence(goal.id, f"no reading of {goal.measure} on or before {report.as_of}"
                                if goal.figures.current is None else
                                f"no baseline of {goal.measure} to measure progress from")
                       for goal in blind),
        recommendation=("Record a reading for each of these measures in actuals (a `date,kpi,value` row "
                        "with the KPI reference or, for a goal's own metric, the goal id), or a "
                        "`current:` in the plan; give a `baseline:` where one is missing."))]
