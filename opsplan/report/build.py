"""The gap report: where the organisation stands against its plan on one date, and what to do.

``build_report(plan, actuals, as_of)`` computes every figure once; the renderers under
``opsplan.report.render`` only formats them. The conventions (how expected spend, pace and
statuses are defined) are documented in docs/report.md and pinned by tests/test_report.py.
Money is exact Decimal in the plan currency; outputs round it to cents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from itertools import pairwise

from opsplan.diagnostics import Location
from opsplan.load.actuals import Actuals, Reading
from opsplan.model import (
    Better,
    Budget,
    BudgetLine,
    Goal,
    HiringRole,
    Kpi,
    Origin,
    Plan,
    Program,
    ProgramType,
)

# --- statuses --------------------------------------------------------------------------------


class BudgetStatus(str, Enum):
    OVER = "over"
    ON_PLAN = "on-plan"
    UNDER = "under"


class KpiStatus(str, Enum):
    MET = "met"
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_DATA = "no-data"


class PaceStatus(str, Enum):
    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    OFF_TRACK = "off-track"
    NO_DATA = "no-data"


class ScheduleStatus(str, Enum):
    NOT_STARTED = "not-started"
    RUNNING = "running"
    FINISHED = "finished"
    OVERDUE = "overdue"


class CurrentSource(str, Enum):
    ACTUALS = "actuals"  # the latest reading on or before as_of
    PLAN = "plan"  # the `current:` written in the YAML


class GapSeverity(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class GapKind(str, Enum):
    GOAL_OFF_TRACK = "goal-off-track"
    GOAL_UNSUPPORTED = "goal-unsupported"
    KPI_WORSENING = "kpi-worsening"
    BUDGET_OVER_PACE = "budget-over-pace"
    HIRING_BEHIND = "hiring-behind"
    TRAINING_BELOW_TARGET = "training-below-target"
    CRITICAL_PATH = "critical-path"
    UNFOCUSED_SPEND = "unfocused-spend"
    MISSING_DATA = "missing-data"


# --- budgets ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Burn:
    """Money figures of a line, a department or a whole budget at as_of (plan currency, exact).

    ``expected`` = allocated x elapsed days / period days; ``variance`` = actual - expected;
    ``used_pct`` = actual / allocated x 100 (None when nothing is allocated).
    """

    allocated: Decimal
    actual: Decimal
    expected: Decimal
    variance: Decimal
    used_pct: Decimal | None
    status: BudgetStatus


@dataclass(frozen=True, slots=True)
class LineReport:
    id: str
    department: str
    type: str  # opex | capex
    category: str | None
    process: str | None
    program: str | None
    account: str | None
    burn: Burn
    supports_goals: tuple[str, ...]  # goals whose supporting work this line funds
    source: str  # file:line of the line in the plan


@dataclass(frozen=True, slots=True)
class DepartmentBurn:
    """One department's part of one budget: its own lines, and rolled up with its sub-departments'."""

    department: str
    name: str
    parent: str | None
    own: Burn
    rolled_up: Burn
    lines: tuple[LineReport, ...]  # own lines only


@dataclass(frozen=True, slots=True)
class BudgetReport:
    id: str
    name: str
    start: date
    end: date
    elapsed_days: int  # inclusive, capped to the period: 0 before start, period_days after end
    period_days: int  # inclusive
    burn: Burn
    departments: tuple[DepartmentBurn, ...]  # plan order; every department with lines in its subtree
    source: str


# --- KPIs and goals --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Observation:
    """A current value and where it came from: an actuals row, or the plan's `current:`."""

    value: Decimal
    date: date | None  # the reading's date; None for a value from the plan
    source: CurrentSource
    origin: str  # file:line


@dataclass(frozen=True, slots=True)
class ReadingPoint:
    date: date
    value: Decimal


@dataclass(frozen=True, slots=True)
class MeasureFigures:
    """What every measured thing reports: where it started, where it should go, where it is."""

    unit: str | None
    better: Better
    baseline: Decimal | None
    target: Decimal
    current: Observation | None
    gap: Decimal | None  # target - current
    attainment_pct: Decimal | None  # (current - baseline) / (target - baseline) x 100
    status: KpiStatus
    history: tuple[ReadingPoint, ...]  # readings on or before as_of, in date order


@dataclass(frozen=True, slots=True)
class KpiReport:
    ref: str  # PROCESS.KPI
    process: str
    owner: str  # department owning the process
    name: str
    figures: MeasureFigures
    improved_by: tuple[str, ...]  # programs whose `improves` lists the process
    measures_goals: tuple[str, ...]  # goals measured by this KPI
    source: str


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


# --- headcount and programs ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedAt:
    program: str
    date: date  # the hiring program's end
    planned: int


@dataclass(frozen=True, slots=True)
class Staffing:
    current: int  # YAML headcount (0 when not given)
    planned: int  # at as_of
    actual: int | None  # latest headcount row on or before as_of


@dataclass(frozen=True, slots=True)
class HeadcountReport:
    department: str
    name: str
    parent: str | None
    own: Staffing
    rolled_up: Staffing  # a sub-department without headcount rows counts with its plan figure
    actual_date: date | None
    actual_origin: str | None  # file:line of the row
    at_program_ends: tuple[PlannedAt, ...]  # own hiring programs


@dataclass(frozen=True, slots=True)
class RoleReport:
    id: str
    count: int
    start: date
    planned: int  # by as_of: count if the role has started, else 0
    hired: int  # cumulative rows on or before as_of
    short: int  # max(planned - hired, 0)


@dataclass(frozen=True, slots=True)
class TrainingReport:
    participants: int | None
    completed: int  # cumulative rows on or before as_of
    completion_pct: Decimal | None  # completed / participants x 100
    completion_target: Decimal | None
    expected_pct: Decimal | None  # target x elapsed program days / program days


@dataclass(frozen=True, slots=True)
class ProgramReport:
    id: str
    name: str
    type: str  # initiative | hiring | training
    owner: str
    start: date
    end: date
    schedule: ScheduleStatus
    elapsed_days: int
    period_days: int
    improves: tuple[str, ...]
    supports_goals: tuple[str, ...]
    funded_by: tuple[str, ...]  # lines as BUDGET/DEPARTMENT/LINE
    roles: tuple[RoleReport, ...]
    planned_hires: int  # by as_of, all roles
    hired: int
    training: TrainingReport | None
    behind: bool  # hires below plan, or training completion below its expected pace
    source: str


# --- gaps ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntityRef:
    kind: str  # goal | kpi | process | program | department | budget | line
    id: str


@dataclass(frozen=True, slots=True)
class Evidence:
    label: str
    value: str  # a figure, already written with its unit


@dataclass(frozen=True, slots=True)
class Gap:
    kind: GapKind
    severity: GapSeverity
    size: Decimal  # how far off, as a share of what was planned (0.25 = 25%); ranks within a severity
    title: str
    entities: tuple[EntityRef, ...]
    evidence: tuple[Evidence, ...]
    recommendation: str


# --- the report ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Report:
    organization: str
    currency: str
    as_of: date
    horizon_start: date
    horizon_end: date
    actuals_files: tuple[str, ...]
    budgets: tuple[BudgetReport, ...]
    kpis: tuple[KpiReport, ...]
    goals: tuple[GoalReport, ...]
    headcount: tuple[HeadcountReport, ...]
    programs: tuple[ProgramReport, ...]
    gaps: tuple[Gap, ...]  # ranked: severity, then size, largest first
    # The whole organisation: every top-level department's rolled-up figures added up (None
    # without departments). Its actual counts a tree without headcount rows as in the plan.
    headcount_total: Staffing | None = None


# --- building it -----------------------------------------------------------------------------

HUNDRED = Decimal(100)
# A budget is over (under) pace when its variance is more than this share of expected spend.
PACE_TOLERANCE = Decimal("0.05")
# A goal behind its path by less than this share of |target - baseline| is at risk, else off track.
AT_RISK_SHARE = Decimal("0.10")


def build_report(plan: Plan, actuals: Actuals | None, as_of: date) -> Report:
    """Every figure of the report on ``as_of``; actuals rows dated after it are ignored."""
    from opsplan.report.gaps import find_gaps

    known = (actuals or Actuals()).until(as_of)
    links = _Links(plan)
    readings = _readings_by_measure(known)
    kpis = tuple(_kpi_report(plan, kpi, readings, links) for kpi in plan.kpis.values())
    goals = _with_support_through(plan, tuple(_goal_report(plan, goal, readings, links, as_of)
                                              for goal in plan.goals.values()))
    headcount = _headcount(plan, known, as_of)
    programs = tuple(_program_report(plan, program, known, links, as_of) for program in plan.programs.values())
    report = Report(
        organization=plan.settings.organization.name,
        currency=plan.currency,
        as_of=as_of,
        horizon_start=plan.settings.horizon.start,
        horizon_end=plan.settings.horizon.end,
        actuals_files=known.files,
        budgets=tuple(_budget_report(plan, budget, known, links, as_of) for budget in plan.budgets.values()),
        kpis=kpis,
        goals=goals,
        headcount=headcount,
        programs=programs,
        gaps=(),
        headcount_total=headcount_total(headcount),
    )
    return replace(report, gaps=find_gaps(plan, report))


# --- periods and money -----------------------------------------------------------------------


def period_days(start: date, end: date) -> int:
    """Days in a period, both ends counted."""
    return (end - start).days + 1


def elapsed_days(start: date, end: date, as_of: date) -> int:
    """Days of the period on or before ``as_of``, both ends counted: 0 before it starts, all of
    them after it ends."""
    if as_of < start:
        return 0
    if as_of >= end:
        return period_days(start, end)
    return (as_of - start).days + 1


def budget_status(actual: Decimal, expected: Decimal) -> BudgetStatus:
    """Over or under pace by more than 5% of expected spend. Before a period starts nothing is
    expected: any spend then is over, none is on plan."""
    if expected == 0:
        return BudgetStatus.OVER if actual > 0 else BudgetStatus.ON_PLAN
    variance = actual - expected
    tolerance = expected.copy_abs() * PACE_TOLERANCE
    if variance > tolerance:
        return BudgetStatus.OVER
    if variance < -tolerance:
        return BudgetStatus.UNDER
    return BudgetStatus.ON_PLAN


def burn(allocated: Decimal, actual: Decimal, elapsed: int, days: int) -> Burn:
    expected = allocated * elapsed / days if elapsed < days else allocated
    return Burn(
        allocated=allocated,
        actual=actual,
        expected=expected,
        variance=actual - expected,
        used_pct=actual / allocated * HUNDRED if allocated else None,
        status=budget_status(actual, expected),
    )


def _line_ref(budget: str, department: str, line: str) -> str:
    return f"{budget}/{department}/{line}"


def _source(location: Location) -> str:
    return f"{location.file}:{location.line}"


class _Links:
    """Who supports, funds and improves what: indexes built once, so that nothing is looked up
    by scanning the plan in a loop."""

    def __init__(self, plan: Plan) -> None:
        self.process_goals: dict[str, list[str]] = {}
        self.program_goals: dict[str, list[str]] = {}
        for goal in plan.goals.values():
            supported = set(goal.supported_by)
            needed_processes = {p for p in supported if p in plan.processes}
            needed_programs = {p for p in supported if p in plan.programs}
            for program_id in list(needed_programs):
                needed_processes.update(p for p in plan.programs[program_id].improves if p in plan.processes)
            self._needs(goal.id, needed_processes, needed_programs)
        self.improved_by: dict[str, list[str]] = {}
        for program in plan.programs.values():
            for process_id in program.improves:
                self.improved_by.setdefault(process_id, []).append(program.id)
        # A program also serves the goals of the processes it improves.
        for program in plan.programs.values():
            for process_id in program.improves:
                for goal_id in self.process_goals.get(process_id, []):
                    if goal_id not in self.program_goals.setdefault(program.id, []):
                        self.program_goals[program.id].append(goal_id)
        self.funding: dict[str, list[str]] = {}  # process or program id -> line refs
        for budget in plan.budgets.values():
            for line in budget.lines:
                for funded in (line.process, line.program):
                    if funded is not None:
                        self.funding.setdefault(funded, []).append(
                            _line_ref(budget.id, line.department, line.id))
        self.kpi_goals: dict[str, list[str]] = {}
        for goal in plan.goals.values():
            if goal.measure.kpi is not None:
                self.kpi_goals.setdefault(goal.measure.kpi, []).append(goal.id)

    def _needs(self, goal_id: str, processes: set[str], programs: set[str]) -> None:
        for process_id in sorted(processes):
            self.process_goals.setdefault(process_id, []).append(goal_id)
        for program_id in sorted(programs):
            self.program_goals.setdefault(program_id, []).append(goal_id)

    def line_goals(self, line: BudgetLine) -> tuple[str, ...]:
        goals: list[str] = []
        if line.process is not None:
            goals += self.process_goals.get(line.process, [])
        if line.program is not None:
            goals += self.program_goals.get(line.program, [])
        return tuple(dict.fromkeys(goals))


# --- budgets ---------------------------------------------------------------------------------


def _budget_report(plan: Plan, budget: Budget, actuals: Actuals, links: _Links, as_of: date) -> BudgetReport:
    days = period_days(budget.start, budget.end)
    elapsed = elapsed_days(budget.start, budget.end, as_of)
    spent: dict[tuple[str, str], Decimal] = {}
    for row in actuals.spend:
        if row.budget == budget.id and budget.start <= row.date <= budget.end:
            key = (row.department, row.line)
            spent[key] = spent.get(key, Decimal(0)) + row.amount

    own_lines: dict[str, list[LineReport]] = {}
    for allocation in budget.departments:
        for line in allocation.lines:
            actual = spent.get((line.department, line.id), Decimal(0))
            own_lines.setdefault(allocation.department, []).append(LineReport(
                id=line.id, department=line.department, type=line.type.value, category=line.category,
                process=line.process, program=line.program, account=line.account,
                burn=burn(line.allocated, actual, elapsed, days), supports_goals=links.line_goals(line),
                source=_source(line.origin.location)))

    def totals(lines: list[LineReport]) -> tuple[Decimal, Decimal]:
        return (sum((line.burn.allocated for line in lines), Decimal(0)),
                sum((line.burn.actual for line in lines), Decimal(0)))

    own_totals = {department: totals(lines) for department, lines in own_lines.items()}
    rolled: dict[str, tuple[Decimal, Decimal]] = {}
    for department_id, (allocated, actual) in own_totals.items():
        # Each department's lines count for it and for every ancestor, once.
        for target in (department_id, *plan.ancestors(department_id)):
            before = rolled.get(target, (Decimal(0), Decimal(0)))
            rolled[target] = (before[0] + allocated, before[1] + actual)

    departments: list[DepartmentBurn] = []
    for department_id, department in plan.departments.items():
        if department_id not in rolled:
            continue
        own = own_totals.get(department_id, (Decimal(0), Decimal(0)))
        departments.append(DepartmentBurn(
            department=department_id, name=department.name, parent=department.parent,
            own=burn(own[0], own[1], elapsed, days),
            rolled_up=burn(*rolled[department_id], elapsed, days),
            lines=tuple(own_lines.get(department_id, ()))))
    allocated, actual = totals([line for lines in own_lines.values() for line in lines])
    return BudgetReport(
        id=budget.id, name=budget.name, start=budget.start, end=budget.end, elapsed_days=elapsed,
        period_days=days, burn=burn(allocated, actual, elapsed, days), departments=tuple(departments),
        source=_source(budget.origin.location))


# --- KPIs and goals --------------------------------------------------------------------------


def _readings_by_measure(actuals: Actuals) -> dict[str, list[Reading]]:
    """Readings per measure in date order; on the same date file order is kept, so the row read
    last is the latest, as in ``Actuals.latest_readings``."""
    by_measure: dict[str, list[Reading]] = {}
    for reading in actuals.readings:
        by_measure.setdefault(reading.measure, []).append(reading)
    for readings in by_measure.values():
        readings.sort(key=lambda reading: reading.date)
    return by_measure


def at_or_better(better: Better, value: Decimal, than: Decimal) -> bool:
    return value >= than if better is Better.HIGHER else value <= than


def kpi_status(better: Better, baseline: Decimal | None, target: Decimal, current: Decimal | None) -> KpiStatus:
    """`met` at or better than target; else `improving` when strictly better than the baseline and
    `worsening` when at or worse than it (no progress counts as worsening: the plan expects
    movement); `no-data` without a current value, or without a baseline to judge it against."""
    if current is None:
        return KpiStatus.NO_DATA
    if at_or_better(better, current, target):
        return KpiStatus.MET
    if baseline is None:
        return KpiStatus.NO_DATA
    if at_or_better(better, current, baseline) and current != baseline:
        return KpiStatus.IMPROVING
    return KpiStatus.WORSENING


def measure_figures(unit: str | None, better: Better, baseline: Decimal | None, target: Decimal,
                    current: Observation | None, history: tuple[ReadingPoint, ...] = ()) -> MeasureFigures:
    value = current.value if current is not None else None
    attainment = None
    if value is not None and baseline is not None and target != baseline:
        attainment = (value - baseline) / (target - baseline) * HUNDRED
    return MeasureFigures(
        unit=unit, better=better, baseline=baseline, target=target, current=current,
        gap=target - value if value is not None else None, attainment_pct=attainment,
        status=kpi_status(better, baseline, target, value), history=history)


def _observed(readings: list[Reading] | None) -> tuple[Observation | None, tuple[ReadingPoint, ...]]:
    if not readings:
        return None, ()
    latest = readings[-1]
    observation = Observation(latest.value, latest.date, CurrentSource.ACTUALS, str(latest.origin))
    return observation, tuple(ReadingPoint(reading.date, reading.value) for reading in readings)


def _kpi_report(plan: Plan, kpi: Kpi, readings: dict[str, list[Reading]], links: _Links) -> KpiReport:
    current, history = _observed(readings.get(kpi.ref))
    if current is None and kpi.current is not None:
        current = Observation(kpi.current, None, CurrentSource.PLAN, _source(kpi.origin.at("current")))
    return KpiReport(
        ref=kpi.ref, process=kpi.process, owner=plan.processes[kpi.process].owner, name=kpi.name,
        figures=measure_figures(kpi.unit, kpi.better, kpi.baseline, kpi.target, current, history),
        improved_by=tuple(links.improved_by.get(kpi.process, ())),
        measures_goals=tuple(links.kpi_goals.get(kpi.ref, ())), source=_source(kpi.origin.location))


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
            share = Decimal((as_of - before.date).days) / Decimal((after.date - before.date).days)
            return before.value + (after.value - before.value) * share
    return path[-1].value


def pace_status(better: Better, baseline: Decimal | None, target: Decimal, current: Decimal | None,
                expected: Decimal | None) -> tuple[PaceStatus, Decimal | None]:
    """The pace status and how far current is behind expected (positive: behind)."""
    if current is None:
        return PaceStatus.NO_DATA, None
    if expected is None or baseline is None:
        # No path to compare with: only a met target tells the goal is on track.
        return (PaceStatus.ON_TRACK if at_or_better(better, current, target) else PaceStatus.NO_DATA), None
    behind = expected - current if better is Better.HIGHER else current - expected
    if behind <= 0:
        return PaceStatus.ON_TRACK, behind
    if behind < (target - baseline).copy_abs() * AT_RISK_SHARE:
        return PaceStatus.AT_RISK, behind
    return PaceStatus.OFF_TRACK, behind


def _plan_current(plan: Plan, goal: Goal) -> Observation | None:
    """The goal's `current:` from the YAML: its own, else its KPI's."""
    if goal.measure.current is None:
        return None
    if _has_field(goal.origin, "measure", "current"):
        location = goal.origin.at("measure", "current")
    else:
        kpi = plan.kpis.get(goal.measure.kpi or "")
        location = kpi.origin.at("current") if kpi is not None else goal.origin.location
    return Observation(goal.measure.current, None, CurrentSource.PLAN, _source(location))


def _has_field(origin: Origin, *path: str) -> bool:
    node = origin.node
    for part in (*origin.path, *path):
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def _goal_report(plan: Plan, goal: Goal, readings: dict[str, list[Reading]], links: _Links,
                 as_of: date) -> GoalReport:
    measure = goal.measure
    current, history = _observed(readings.get(measure.kpi if measure.kpi is not None else goal.id))
    if current is None:
        current = _plan_current(plan, goal)
    figures = measure_figures(measure.unit, measure.better, measure.baseline, measure.target, current, history)
    path = goal_path(goal, plan.settings.horizon.start)
    expected = path_value(path, as_of)
    status, behind = pace_status(measure.better, measure.baseline, measure.target,
                                 current.value if current else None, expected)
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
        source=_source(goal.origin.location))


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

    def nearest(goal_id: str, seen: frozenset[str]) -> list[str]:
        found: list[str] = []
        for child in children.get(goal_id, ()):
            if child in seen or child not in supported:
                continue
            found += [child] if by_id[child].supporters else nearest(child, seen | {child})
        return found

    completed = []
    for goal in goals:
        if goal.supporters or goal.id not in supported:
            completed.append(goal)
            continue
        through = tuple(dict.fromkeys(nearest(goal.id, frozenset({goal.id}))))
        completed.append(replace(goal, supported_through=through,
                                 funded=any(by_id[below].funded for below in through)))
    return tuple(completed)


# --- headcount -------------------------------------------------------------------------------


def headcount_total(headcount: tuple[HeadcountReport, ...]) -> Staffing | None:
    """The organisation's figures: its top-level departments' rolled-up ones added up. The actual
    counts a tree without headcount rows as in the plan, as a department's total does, and is None
    when no department has rows."""
    tops = [department.rolled_up for department in headcount if department.parent is None]
    if not tops:
        return None
    counted = any(staffing.actual is not None for staffing in tops)
    return Staffing(
        current=sum(staffing.current for staffing in tops),
        planned=sum(staffing.planned for staffing in tops),
        actual=sum(staffing.current if staffing.actual is None else staffing.actual for staffing in tops)
        if counted else None)


def _headcount(plan: Plan, actuals: Actuals, as_of: date) -> tuple[HeadcountReport, ...]:
    roles_by_owner: dict[str, list[HiringRole]] = {}
    hiring_by_owner: dict[str, list[Program]] = {}
    for program in plan.programs.values():
        if program.type is ProgramType.HIRING:
            roles_by_owner.setdefault(program.owner, []).extend(program.roles)
            hiring_by_owner.setdefault(program.owner, []).append(program)

    def planned(department_id: str, when: date) -> int:
        base = plan.departments[department_id].headcount or 0
        return base + sum(role.count for role in roles_by_owner.get(department_id, ()) if role.start <= when)

    latest = actuals.latest_headcount()
    own: dict[str, Staffing] = {}
    for department_id, department in plan.departments.items():
        row = latest.get(department_id)
        own[department_id] = Staffing(department.headcount or 0, planned(department_id, as_of),
                                      row.headcount if row is not None else None)

    children = plan.children()
    rolled: dict[str, Staffing] = {}

    def roll(department_id: str, seen: frozenset[str]) -> tuple[Staffing, int, bool]:
        """Rolled-up figures, the subtree's headcount as last counted, and whether any
        department in the subtree has headcount rows."""
        mine = own[department_id]
        current, planned_total = mine.current, mine.planned
        counted = mine.actual if mine.actual is not None else mine.current
        rows = mine.actual is not None
        for child in children[department_id]:
            if child in seen:  # a cycle, which OPS301 reports
                continue
            below, below_counted, below_rows = roll(child, seen | {child})
            current += below.current
            planned_total += below.planned
            counted += below_counted
            rows = rows or below_rows
        return Staffing(current, planned_total, counted if rows else None), counted, rows

    for department_id in plan.departments:
        rolled[department_id] = roll(department_id, frozenset({department_id}))[0]

    reports: list[HeadcountReport] = []
    for department_id, department in plan.departments.items():
        row = latest.get(department_id)
        reports.append(HeadcountReport(
            department=department_id, name=department.name, parent=department.parent,
            own=own[department_id], rolled_up=rolled[department_id],
            actual_date=row.date if row is not None else None,
            actual_origin=str(row.origin) if row is not None else None,
            at_program_ends=tuple(PlannedAt(program.id, program.end, planned(department_id, program.end))
                                  for program in hiring_by_owner.get(department_id, ()))))
    return tuple(reports)


# --- programs --------------------------------------------------------------------------------


def schedule_status(start: date, end: date, as_of: date, behind: bool) -> ScheduleStatus:
    """`overdue` is a finished program whose figures are behind: hires below plan, or training
    completion below its target."""
    if as_of < start:
        return ScheduleStatus.NOT_STARTED
    if as_of <= end:
        return ScheduleStatus.RUNNING
    return ScheduleStatus.OVERDUE if behind else ScheduleStatus.FINISHED


def _program_report(plan: Plan, program: Program, actuals: Actuals, links: _Links, as_of: date) -> ProgramReport:
    days = period_days(program.start, program.end)
    elapsed = elapsed_days(program.start, program.end, as_of)
    hired: dict[str, int] = {}
    for row in actuals.hires:
        if row.program == program.id:
            hired[row.role] = hired.get(row.role, 0) + row.hired
    roles = []
    for role in program.roles:
        planned = role.count if role.start <= as_of else 0
        got = hired.get(role.id, 0)
        roles.append(RoleReport(role.id, role.count, role.start, planned, got, max(planned - got, 0)))
    training = None
    behind = any(role.short for role in roles)
    if program.type is ProgramType.TRAINING:
        completed = sum(row.completed for row in actuals.completions if row.program == program.id)
        completion = (Decimal(completed) / program.participants * HUNDRED) if program.participants else None
        target = program.completion_target
        expected = target * elapsed / days if target is not None and elapsed < days else target
        training = TrainingReport(program.participants, completed, completion, target, expected)
        behind = behind or (completion is not None and expected is not None and completion < expected)
    return ProgramReport(
        id=program.id, name=program.name, type=program.type.value, owner=program.owner,
        start=program.start, end=program.end,
        schedule=schedule_status(program.start, program.end, as_of, behind),
        elapsed_days=elapsed, period_days=days, improves=program.improves,
        supports_goals=tuple(links.program_goals.get(program.id, ())),
        funded_by=tuple(links.funding.get(program.id, ())), roles=tuple(roles),
        planned_hires=sum(role.planned for role in roles), hired=sum(role.hired for role in roles),
        training=training, behind=behind, source=_source(program.origin.location))
