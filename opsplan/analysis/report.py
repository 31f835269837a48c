"""The gap report: where the organisation stands against its plan on one date, and what to do.

``build_report(plan, actuals, as_of)`` computes every figure once; the renderers under
``opsplan.render.report_*`` only format them. The conventions (how expected spend, pace and
statuses are defined) are documented in docs/report.md and pinned by tests/test_report.py.
Money is exact Decimal in the plan currency; outputs round it to cents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from opsplan.actuals import Actuals
from opsplan.model import Better, Plan

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
    supporters: tuple[Supporter, ...]
    funded: bool  # any supporter funded by a budget line
    source: str


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


def build_report(plan: Plan, actuals: Actuals | None, as_of: date) -> Report:
    """Every figure of the report on ``as_of``; rows dated after it are ignored."""
    known = (actuals or Actuals()).until(as_of)
    return Report(plan.settings.organization.name, plan.currency, as_of, plan.settings.horizon.start,
                  plan.settings.horizon.end, known.files, (), (), (), (), (), ())
