"""Goals: each goal's pace against its path (baseline, milestones, target), the work that
supports it and whether a budget line funds that work; gaps where a goal is off track or at
risk, has no (funded) supporting work, waits on a long chain of processes, or has no figure."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from itertools import pairwise

from opsplan.figures import number
from opsplan.model import Better, Goal, Origin, Plan
from opsplan.report import wording
from opsplan.report.sections.kpis import (
    KpiReport,
    MeasureFigures,
    Observation,
    at_or_better,
    measure_figures,
    observed,
    stale_checked,
)
from opsplan.report.sections.programs import ProgramReport
from opsplan.report.sections.shared import (
    HUNDRED,
    ONE,
    Basis,
    CurrentSource,
    EntityRef,
    Evidence,
    Gap,
    GapKind,
    GapSeverity,
    KpiStatus,
    PaceStatus,
    ScheduleStatus,
    entity_source,
    share,
    source_of,
)
from opsplan.report.tolerance import goal_pace_tolerance, pace

# v1's at-risk band (the `report: at_risk` default): a share of |target - baseline|.
AT_RISK_SHARE = Decimal("0.10")


@dataclass(frozen=True, slots=True)
class PathPoint:
    date: date
    value: Decimal
    kind: str  # start | milestone | due


@dataclass(frozen=True, slots=True)
class Supporter:
    kind: str  # process | program
    id: str
    name: str
    funded_by: tuple[str, ...]  # lines as BUDGET/DEPARTMENT/LINE


@dataclass(frozen=True, slots=True)
class GoalReport:
    id: str
    title: str
    owner: str
    parent: str | None
    due: date
    perspective: str | None
    measure: str  # PROCESS.KPI, or the goal's own metric name
    figures: MeasureFigures
    path: tuple[PathPoint, ...]  # empty without a baseline
    expected: Decimal | None  # the path's value at as_of
    behind: Decimal | None  # how far current is behind expected, in the measure's unit (<= 0: not behind)
    status: PaceStatus
    supporters: tuple[Supporter, ...]  # the goal's own `supported_by`
    funded: bool  # any of its supporters funded by a budget line; without any, any of its sub-goals' work
    source: str
    # Without supporters of its own, a goal is supported through the nearest goals below it in the
    # cascade that have some (OPS601's definition of a supported goal, used by every output).
    supported_through: tuple[str, ...] = ()

    @property
    def supported(self) -> bool:
        return bool(self.supporters or self.supported_through)


def goal_path(goal: Goal, horizon_start: date) -> tuple[PathPoint, ...]:
    """(horizon start, baseline), each milestone, (due, target); empty without a baseline."""
    if goal.measure.baseline is None:
        return ()
    return (PathPoint(horizon_start, goal.measure.baseline, "start"),
            *(PathPoint(milestone.date, milestone.target, "milestone") for milestone in goal.milestones),
            PathPoint(goal.due, goal.measure.target, "due"))


def path_value(path: tuple[PathPoint, ...], as_of: date) -> Decimal | None:
    """The path's value on ``as_of``: linear by days between points, the first value before the
    path starts and the last one after it ends."""
    if not path:
        return None
    if as_of <= path[0].date:
        return path[0].value
    for before, after in pairwise(path):
        if before.date <= as_of <= after.date and after.date > before.date:
            part = Decimal((as_of - before.date).days) / Decimal((after.date - before.date).days)
            return before.value + (after.value - before.value) * part
    return path[-1].value


def pace_status(better: Better, baseline: Decimal | None, target: Decimal, current: Decimal | None,
                expected: Decimal | None, pace_tolerance: Decimal = Decimal(0),
                at_risk: Decimal = AT_RISK_SHARE * HUNDRED) -> tuple[PaceStatus, Decimal | None]:
    """The pace status and how far current is behind expected (positive: behind); the bands are
    percentages of |target - baseline| (the plan's `report:` settings, or the goal's `tolerance:`)."""
    if current is None:
        return PaceStatus.NO_DATA, None
    if expected is None or baseline is None:
        # No path to compare with: only a met target tells the goal is on track.
        return (PaceStatus.ON_TRACK if at_or_better(better, current, target) else PaceStatus.NO_DATA), None
    behind = expected - current if better is Better.HIGHER else current - expected
    if behind <= 0:
        return PaceStatus.ON_TRACK, behind
    return PaceStatus(pace(behind, (target - baseline).copy_abs(), pace_tolerance, at_risk)), behind


def build(basis: Basis) -> tuple[GoalReport, ...]:
    return _with_support_through(basis.plan, tuple(_goal_report(basis, goal) for goal in basis.plan.goals.values()))


def _plan_current(plan: Plan, goal: Goal) -> Observation | None:
    """The goal's `current:` from the YAML: its own, else its KPI's."""
    if goal.measure.current is None:
        return None
    if _has_field(goal.origin, "measure", "current"):
        location = goal.origin.at("measure", "current")
    else:
        kpi = plan.kpis.get(goal.measure.kpi or "")
        location = kpi.origin.at("current") if kpi is not None else goal.origin.location
    return Observation(goal.measure.current, None, CurrentSource.PLAN, source_of(location))


def _has_field(origin: Origin, *path: str) -> bool:
    node = origin.node
    for part in (*origin.path, *path):
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def _goal_report(basis: Basis, goal: Goal) -> GoalReport:
    plan, links = basis.plan, basis.links
    measure = goal.measure
    current, history = observed(basis.readings.get(measure.kpi if measure.kpi is not None else goal.id))
    if current is None:
        current = _plan_current(plan, goal)
    figures = stale_checked(
        measure_figures(measure.unit, measure.better, measure.baseline, measure.target, current, history),
        measure.cadence, basis.as_of)
    path = goal_path(goal, plan.settings.horizon.start)
    expected = path_value(path, basis.as_of)
    settings = plan.settings.report
    status, behind = pace_status(measure.better, measure.baseline, measure.target,
                                 current.value if current else None, expected,
                                 goal_pace_tolerance(goal, settings), settings.at_risk)
    supporters: list[Supporter] = []
    for supporter_id in goal.supported_by:
        if supporter_id in plan.processes:
            supporters.append(Supporter("process", supporter_id, plan.processes[supporter_id].name,
                                        tuple(links.funding.get(supporter_id, ()))))
        elif supporter_id in plan.programs:
            supporters.append(Supporter("program", supporter_id, plan.programs[supporter_id].name,
                                        tuple(links.funding.get(supporter_id, ()))))
    return GoalReport(
        id=goal.id, title=goal.title, owner=goal.owner, parent=goal.parent, due=goal.due,
        perspective=goal.perspective.value if goal.perspective else None,
        measure=measure.kpi if measure.kpi is not None else (measure.metric or goal.id),
        figures=figures, path=path, expected=expected, behind=behind, status=status,
        supporters=tuple(supporters), funded=any(s.funded_by for s in supporters),
        source=entity_source(goal.origin))


def _nearest_supported(goal_id: str, seen: frozenset[str], children: Mapping[str, list[str]],
                       by_id: Mapping[str, GoalReport], supported: Set[str]) -> list[str]:
    """The nearest sub-goals of a goal that have supporters of their own. (Not a closure: one
    that calls itself is a reference cycle, and the command line runs without the collector.)"""
    found: list[str] = []
    for child in children.get(goal_id, ()):
        if child in seen or child not in supported:
            continue
        found += [child] if by_id[child].supporters else _nearest_supported(child, seen | {child}, children, by_id,
                                                                            supported)
    return found


def _with_support_through(plan: Plan, goals: tuple[GoalReport, ...]) -> tuple[GoalReport, ...]:
    """Each goal without supporters of its own gets the nearest sub-goals that have some, and is
    funded when any of their work is: the goals OPS601 counts as supported are exactly those with
    supporters or sub-goals to go through."""
    from opsplan.rules.hygiene import supported_goals

    supported = supported_goals(plan)
    by_id = {goal.id: goal for goal in goals}
    children: dict[str, list[str]] = {}
    for goal in goals:
        if goal.parent is not None:
            children.setdefault(goal.parent, []).append(goal.id)

    completed = []
    for goal in goals:
        if goal.supporters or goal.id not in supported:
            completed.append(goal)
            continue
        through = tuple(dict.fromkeys(_nearest_supported(goal.id, frozenset({goal.id}), children, by_id, supported)))
        completed.append(replace(goal, supported_through=through,
                                 funded=any(by_id[below].funded for below in through)))
    return tuple(completed)


# --- gaps ------------------------------------------------------------------------------------


def gaps(plan: Plan, as_of: date, currency: str, goals: tuple[GoalReport, ...], kpis: tuple[KpiReport, ...],
         programs: tuple[ProgramReport, ...]) -> list[Gap]:
    return [*_off_pace(plan, as_of, currency, goals, kpis, programs), *_unsupported(plan, goals),
            *_critical_paths(plan, goals, kpis), *_missing_data(as_of, goals)]


def _off_pace(plan: Plan, as_of: date, currency: str, goals: tuple[GoalReport, ...], kpis: tuple[KpiReport, ...],
              programs: tuple[ProgramReport, ...]) -> list[Gap]:
    programs_by_id = {program.id: program for program in programs}
    kpis_by_ref = {kpi.ref: kpi for kpi in kpis}
    worsening_by_process: dict[str, list[str]] = {}
    for kpi in kpis:
        if kpi.figures.status is KpiStatus.WORSENING:
            worsening_by_process.setdefault(kpi.process, []).append(kpi.ref)
    found = []
    for goal in goals:
        if goal.status not in (PaceStatus.OFF_TRACK, PaceStatus.AT_RISK):
            continue
        figures = goal.figures
        assert figures.current is not None and goal.expected is not None and goal.behind is not None
        assert figures.baseline is not None
        span = (figures.target - figures.baseline).copy_abs()
        current = figures.current
        seen = f"{current.date} ({current.origin})" if current.date else f"plan ({current.origin})"
        evidence = [
            Evidence("current", f"{wording.value(current.value, figures.unit, currency)} on {seen}"),
            Evidence(f"expected on {as_of}", wording.value(goal.expected, figures.unit, currency)),
            Evidence("behind the path by", wording.difference(goal.behind, figures.unit, currency)),
            Evidence(f"target by {goal.due}", wording.value(figures.target, figures.unit, currency)),
            Evidence("baseline", wording.value(figures.baseline, figures.unit, currency)),
        ]
        weak: list[str] = []
        for supporter in goal.supporters:
            program = programs_by_id.get(supporter.id) if supporter.kind == "program" else None
            if program is not None and (program.behind or program.schedule is ScheduleStatus.OVERDUE):
                weak.append(f"program {supporter.id} is behind")
            elif program is not None and program.schedule is ScheduleStatus.NOT_STARTED:
                weak.append(f"program {supporter.id} starts {program.start}")
            if supporter.kind == "process":
                worsening = worsening_by_process.get(supporter.id, [])
                if worsening:
                    weak.append(f"{wording.plural(len(worsening), 'KPI')} of {supporter.id} worsening")
            if not supporter.funded_by:
                weak.append(f"{supporter.kind} {supporter.id} has no budget line")
        measured_by = kpis_by_ref.get(goal.measure)
        if measured_by is not None and not measured_by.improved_by:
            weak.append(f"no program improves {measured_by.process}")
        if weak:
            evidence.append(Evidence("supporting work", "; ".join(weak)))
        off = goal.status is PaceStatus.OFF_TRACK
        move = "lower" if figures.better is Better.LOWER else "higher"
        recommendation = (
            f"Put goal {goal.id} on the agenda of the next review with {wording.head(plan, goal.owner)}: "
            f"{goal.measure} must get {wording.difference(goal.behind, figures.unit, currency)} {move} to be back "
            f"on its path. " + (f"Start with its supporting work: {'; '.join(weak[:3])}."
                                if weak else "Its supporting work looks on plan: check whether it is "
                                "enough, and add a program aimed at the measure if not."))
        found.append(Gap(
            kind=GapKind.GOAL_OFF_TRACK, severity=GapSeverity.HIGH if off else GapSeverity.MEDIUM,
            size=share(goal.behind, span),
            title=f"Goal {goal.id} is {'off track' if off else 'at risk'}: {goal.title}",
            entities=(EntityRef("goal", goal.id),), evidence=tuple(evidence), recommendation=recommendation))
    return found


def _unsupported(plan: Plan, goals: tuple[GoalReport, ...]) -> list[Gap]:
    """Goals with no supporting work (directly or through a sub-goal: OPS601 says it too, but it
    may be a warning), or whose supporting work has no budget line at all."""
    by_id = {goal.id: goal for goal in goals}
    found = []
    for goal in goals:
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
            evidence = (Evidence(f"supported by{through}", wording.names(work)), Evidence("funded by", "no budget line"))
            recommendation = (f"Fund the work behind goal {goal.id}: point a budget line at "
                              f"{'it' if len(work) == 1 else 'one of ' + wording.names(item.split()[1] for item in work)} "
                              f"(`process:` or `program:`), or agree with {wording.head(plan, goal.owner)} which "
                              f"existing line pays for it.")
        found.append(Gap(
            kind=GapKind.GOAL_UNSUPPORTED, severity=GapSeverity.HIGH if not work else GapSeverity.MEDIUM,
            size=ONE, title=f"Goal {goal.id} has {'no supporting work' if not work else 'no funded work'}: "
                            f"{goal.title}",
            entities=(EntityRef("goal", goal.id), *(EntityRef(s.kind, s.id) for s in goal.supporters)),
            evidence=evidence, recommendation=recommendation))
    return found


def _critical_paths(plan: Plan, goals: tuple[GoalReport, ...], kpis: tuple[KpiReport, ...]) -> list[Gap]:
    """For each off-track goal, the longest chain of processes (by cycle time) leading to its
    work: a delay or a fault anywhere on it holds the goal back."""
    off_track = [goal for goal in goals if goal.status is PaceStatus.OFF_TRACK]
    if not off_track:
        return []
    # The chains are the graph feature's: imported here, so a report without off-track goals
    # never loads it.
    from opsplan.graph.build import goal_chain, longest_chains

    chains = longest_chains(plan)
    # Only worsening KPIs are ever named on a chain: only they are indexed (a plan has tens of
    # thousands of KPIs, few of them worsening), each process's in plan order.
    worsening_by_process: dict[str, list[str]] = {}
    for kpi in kpis:
        if kpi.figures.status is KpiStatus.WORSENING:
            worsening_by_process.setdefault(kpi.process, []).append(kpi.ref)
    found = []
    for goal in off_track:
        chain = goal_chain(plan, plan.goals[goal.id], chains)
        if len(chain.processes) < 2:
            continue
        troubled = [ref for process in chain.processes for ref in worsening_by_process.get(process, [])]
        evidence = [Evidence("chain", " -> ".join(chain.processes)),
                    Evidence("cycle time", f"{number(chain.hours)} h")]
        if troubled:
            evidence.append(Evidence("worsening KPIs on the chain", wording.names(troubled)))
        owners = list(dict.fromkeys(wording.department_name(plan, plan.processes[p].owner) for p in chain.processes))
        processes = wording.plural(len(chain.processes), "process", "processes")
        recommendation = (
            f"Goal {goal.id} is off track and its work waits on {processes} "
            f"in a row ({wording.names(chain.processes, 8)}): check their capacity and hand-offs with "
            f"{wording.names(owners)}, and fix "
            + (f"the worsening KPIs first ({wording.names(troubled, 3)})." if troubled
               else "the slowest step first: shortening it shortens the whole chain."))
        found.append(Gap(
            kind=GapKind.CRITICAL_PATH, severity=GapSeverity.MEDIUM,
            size=share(goal.behind or Decimal(0),
                       (goal.figures.target - (goal.figures.baseline or goal.figures.target)).copy_abs()),
            title=f"Critical path of off-track goal {goal.id}: {processes}",
            entities=(EntityRef("goal", goal.id), *(EntityRef("process", p) for p in chain.processes)),
            evidence=tuple(evidence), recommendation=recommendation))
    return found


def _missing_data(as_of: date, goals: tuple[GoalReport, ...]) -> list[Gap]:
    """Goals with no current value: nobody can tell whether they are on track."""
    blind = [goal for goal in goals if goal.status is PaceStatus.NO_DATA]
    if not blind:
        return []
    return [Gap(
        kind=GapKind.MISSING_DATA, severity=GapSeverity.LOW, size=Decimal(len(blind)) / len(goals),
        title=f"{wording.plural(len(blind), 'goal')} without a current value",
        entities=tuple(EntityRef("goal", goal.id) for goal in blind),
        evidence=tuple(Evidence(goal.id, f"no reading of {goal.measure} on or before {as_of}"
                                if goal.figures.current is None else
                                f"no baseline of {goal.measure} to measure progress from")
                       for goal in blind),
        recommendation=("Record a reading for each of these measures in actuals (a `date,kpi,value` row "
                        "with the KPI reference or, for a goal's own metric, the goal id), or a "
                        "`current:` in the plan; give a `baseline:` where one is missing."))]
