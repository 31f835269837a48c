"""What every section of the report shares: statuses and the tone each one carries, the gap
records, periods, the plan's links (who supports, funds and improves what) and the basis a
section is built from."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from operator import attrgetter

from opsplan.diagnostics import Location
from opsplan.load.actuals import Actuals, Reading
from opsplan.marks import Origin
from opsplan.model import BudgetLine, Plan

HUNDRED, ONE = Decimal(100), Decimal(1)


# --- statuses and their tones ----------------------------------------------------------------


class Tone(str, Enum):
    """How a status reads at a glance, worst first: every output colours or marks a status by
    its tone, so a status is judged good or bad once, here. The values are the HTML page's class
    names (``tone-bad``)."""

    BAD = "bad"
    WARNING = "warn"
    NEUTRAL = "neutral"
    INFO = "info"
    GOOD = "good"

    @property
    def rank(self) -> int:
        """Worst first: sorting a status column by it puts what needs attention on top."""
        return list(Tone).index(self)


class BudgetStatus(str, Enum):
    OVER = "over"
    ON_PLAN = "on-plan"
    UNDER = "under"

    @property
    def tone(self) -> Tone:
        return _BUDGET_TONES[self]


class KpiStatus(str, Enum):
    MET = "met"
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_DATA = "no-data"
    STALE = "stale"  # format 1.1: the latest reading is older than 1.5 cadences

    @property
    def tone(self) -> Tone:
        return _KPI_TONES[self]


class PaceStatus(str, Enum):
    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    OFF_TRACK = "off-track"
    NO_DATA = "no-data"

    @property
    def tone(self) -> Tone:
        return _PACE_TONES[self]


class ScheduleStatus(str, Enum):
    NOT_STARTED = "not-started"
    RUNNING = "running"
    FINISHED = "finished"
    OVERDUE = "overdue"

    @property
    def tone(self) -> Tone:
        return _SCHEDULE_TONES[self]


class CurrentSource(str, Enum):
    ACTUALS = "actuals"  # the latest reading on or before as_of
    PLAN = "plan"  # the `current:` written in the YAML


class GapSeverity(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def tone(self) -> Tone:
        return _SEVERITY_TONES[self]


_BUDGET_TONES = {BudgetStatus.OVER: Tone.BAD, BudgetStatus.UNDER: Tone.INFO, BudgetStatus.ON_PLAN: Tone.GOOD}
_KPI_TONES = {KpiStatus.WORSENING: Tone.BAD, KpiStatus.NO_DATA: Tone.NEUTRAL, KpiStatus.IMPROVING: Tone.INFO,
              KpiStatus.MET: Tone.GOOD, KpiStatus.STALE: Tone.WARNING}
_PACE_TONES = {PaceStatus.OFF_TRACK: Tone.BAD, PaceStatus.AT_RISK: Tone.WARNING, PaceStatus.NO_DATA: Tone.NEUTRAL,
               PaceStatus.ON_TRACK: Tone.GOOD}
_SCHEDULE_TONES = {ScheduleStatus.OVERDUE: Tone.BAD, ScheduleStatus.NOT_STARTED: Tone.NEUTRAL,
                   ScheduleStatus.RUNNING: Tone.INFO, ScheduleStatus.FINISHED: Tone.GOOD}
_SEVERITY_TONES = {GapSeverity.HIGH: Tone.BAD, GapSeverity.MEDIUM: Tone.WARNING, GapSeverity.LOW: Tone.INFO}


# --- gaps ------------------------------------------------------------------------------------


class GapKind(str, Enum):
    GOAL_OFF_TRACK = "goal-off-track"
    GOAL_UNSUPPORTED = "goal-unsupported"
    KPI_WORSENING = "kpi-worsening"
    BUDGET_OVER_PACE = "budget-over-pace"
    FORECAST_OVER_ALLOCATION = "forecast-over-allocation"
    INITIATIVE_BEHIND = "initiative-behind"
    INITIATIVE_OVER_COST = "initiative-over-cost"
    HIRING_BEHIND = "hiring-behind"
    TRAINING_BELOW_TARGET = "training-below-target"
    CRITICAL_PATH = "critical-path"
    UNFOCUSED_SPEND = "unfocused-spend"
    MISSING_DATA = "missing-data"
    STALE_DATA = "stale-data"
    CAPACITY_SHORTFALL = "capacity-shortfall"


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


def share(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a share of ``whole``; all of it when nothing was planned."""
    return part / whole if whole else ONE


# --- periods ---------------------------------------------------------------------------------


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


def source_of(location: Location) -> str:
    return f"{location.file}:{location.line}"


def entity_source(origin: Origin) -> str:
    """``source_of(origin.location)``: the file:line of an entity's own id key (from the marks
    the loader kept: a report shows one for every KPI and budget line)."""
    return f"{origin.file}:{origin.key_line}"


def line_ref(budget: str, department: str, line: str) -> str:
    return f"{budget}/{department}/{line}"


# --- what a section is built from ------------------------------------------------------------


class Links:
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
                        self.funding.setdefault(funded, []).append(line_ref(budget.id, line.department, line.id))
        self.kpi_goals: dict[str, list[str]] = {}
        for goal in plan.goals.values():
            if goal.measure.kpi is not None:
                self.kpi_goals.setdefault(goal.measure.kpi, []).append(goal.id)
        self._line_goals: dict[tuple[str | None, str | None], tuple[str, ...]] = {}

    def _needs(self, goal_id: str, processes: set[str], programs: set[str]) -> None:
        for process_id in sorted(processes):
            self.process_goals.setdefault(process_id, []).append(goal_id)
        for program_id in sorted(programs):
            self.program_goals.setdefault(program_id, []).append(goal_id)

    def line_goals(self, line: BudgetLine) -> tuple[str, ...]:
        # Worked out once per process and program funded: thousands of lines fund the same ones.
        funded = (line.process, line.program)
        goals = self._line_goals.get(funded)
        if goals is None:
            found: list[str] = []
            if line.process is not None:
                found += self.process_goals.get(line.process, [])
            if line.program is not None:
                found += self.program_goals.get(line.program, [])
            goals = self._line_goals[funded] = tuple(dict.fromkeys(found))
        return goals


def readings_by_measure(actuals: Actuals) -> Mapping[str, tuple[Reading, ...]]:
    """Readings per measure in date order (one a date: the loader keeps the row read last)."""
    if actuals.readings_by_measure is not None:  # as the loader grouped them
        return actuals.readings_by_measure
    by_measure: dict[str, tuple[Reading, ...]] = {}
    by_date = attrgetter("date")
    # The loader lists them by measure, so each measure's readings come in one run, already in
    # date order (sorting them is one pass). Each run is made the tuple the report keeps while
    # its readings are at hand: a ledger has hundreds of thousands.
    for measure, run in itertools.groupby(actuals.readings, key=attrgetter("measure")):
        in_order = sorted(run, key=by_date)
        known = by_measure.get(measure)
        if known is not None:  # a measure listed twice: its readings merged, each run's order kept
            in_order = sorted((*known, *in_order), key=by_date)
        by_measure[measure] = tuple(in_order)
    return by_measure


@dataclass(frozen=True, slots=True)
class Basis:
    """What every section is built from: the plan, the actuals known on ``as_of`` (rows dated
    after it left out), and the indexes built once."""

    plan: Plan
    actuals: Actuals
    as_of: date
    links: Links
    readings: Mapping[str, tuple[Reading, ...]]

    @classmethod
    def of(cls, plan: Plan, actuals: Actuals | None, as_of: date) -> Basis:
        known = (actuals or Actuals()).until(as_of)
        return cls(plan, known, as_of, Links(plan), readings_by_measure(known))
