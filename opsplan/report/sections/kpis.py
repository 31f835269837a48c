"""KPIs: each KPI's current value (the latest reading, else the plan's `current:`) against its
baseline and target, and what every measured thing reports (goals use it too); a gap per
department whose KPIs worsen with no program on them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from opsplan.figures import number
from opsplan.load.actuals import Reading
from opsplan.model import Better, Cadence, Plan
from opsplan.report import wording
from opsplan.report.sections.programs import ProgramReport
from opsplan.report.sections.shared import (
    HUNDRED,
    Basis,
    CurrentSource,
    EntityRef,
    Evidence,
    Gap,
    GapKind,
    GapSeverity,
    KpiStatus,
    ScheduleStatus,
    entity_source,
    share,
    source_of,
)
from opsplan.report.staleness import is_stale, stale_after_days


# The figures of KPIs and measures are never changed once built, but not frozen: a frozen
# dataclass is built field by field through object.__setattr__, several times slower, and a plan
# has tens of thousands of KPIs. They hash like frozen ones.
@dataclass(slots=True, unsafe_hash=True)
class Observation:
    """A current value and where it came from: an actuals row, or the plan's `current:`."""

    value: Decimal
    date: date | None  # the reading's date; None for a value from the plan
    source: CurrentSource
    origin: str  # file:line


@dataclass(frozen=True, slots=True)
class ReadingPoint:
    """A dated value written by hand; the history of a measure read from actuals holds the
    readings themselves (a ledger's KPIs have hundreds of thousands: no copy of each is made)."""

    date: date
    value: Decimal


HistoryPoint = Reading | ReadingPoint  # a dated value of a measure's history


@dataclass(slots=True, unsafe_hash=True)
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
    history: tuple[HistoryPoint, ...]  # readings on or before as_of, in date order


@dataclass(slots=True, unsafe_hash=True)
class KpiReport:
    ref: str  # PROCESS.KPI
    process: str
    owner: str  # department owning the process
    name: str
    figures: MeasureFigures
    improved_by: tuple[str, ...]  # programs whose `improves` lists the process
    measures_goals: tuple[str, ...]  # goals measured by this KPI
    source: str
    cadence: str | None = None  # format 1.1: how often it is measured


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
                    current: Observation | None, history: tuple[HistoryPoint, ...] = ()) -> MeasureFigures:
    value = current.value if current is not None else None
    attainment = None
    if value is not None and baseline is not None and target != baseline:
        attainment = (value - baseline) / (target - baseline) * HUNDRED
    # Fields in order (unit, better, baseline, target, current, gap, attainment_pct, status,
    # history), not by name: a plan has tens of thousands of KPIs, and a call by keywords takes
    # twice as long to build one.
    return MeasureFigures(unit, better, baseline, target, current, target - value if value is not None else None,
                          attainment, kpi_status(better, baseline, target, value), history)


def observed(readings: Sequence[Reading] | None) -> tuple[Observation | None, tuple[Reading, ...]]:
    """The latest reading as the current value, and every reading as the history (the readings
    themselves when they come as a tuple, as Basis keeps them)."""
    if not readings:
        return None, ()
    latest = readings[-1]
    observation = Observation(latest.value, latest.date, CurrentSource.ACTUALS, str(latest.origin))
    return observation, tuple(readings)


def stale_checked(figures: MeasureFigures, cadence: Cadence | None, as_of: date) -> MeasureFigures:
    """The figures with status `stale` when the latest reading is older than 1.5 cadences; the
    value is still shown. A value from the plan has no date: it is never stale."""
    current = figures.current
    latest = current.date if current is not None and current.source is CurrentSource.ACTUALS else None
    return replace(figures, status=KpiStatus.STALE) if is_stale(latest, as_of, cadence) else figures


def build(basis: Basis) -> tuple[KpiReport, ...]:
    # What every KPI reads is taken once, not per KPI: a plan has tens of thousands of them.
    processes, readings, as_of = basis.plan.processes, basis.readings, basis.as_of
    improved_by, kpi_goals = basis.links.improved_by, basis.links.kpi_goals
    # A process's owner and the programs improving it, as each of its KPIs reports them: made
    # once per process, not once per KPI.
    of_process: dict[str, tuple[str, tuple[str, ...]]] = {}
    no_goals: tuple[str, ...] = ()
    reports: list[KpiReport] = []
    for ref, kpi in basis.plan.kpis.items():
        process = kpi.process
        owner_improvers = of_process.get(process)
        if owner_improvers is None:
            owner_improvers = of_process[process] = (processes[process].owner, tuple(improved_by.get(process, ())))
        current, history = observed(readings.get(ref))
        if current is None and kpi.current is not None:
            current = Observation(kpi.current, None, CurrentSource.PLAN, source_of(kpi.origin.at("current")))
        cadence = kpi.cadence
        figures = measure_figures(kpi.unit, kpi.better, kpi.baseline, kpi.target, current, history)
        if cadence is not None:  # without a cadence nothing is ever stale
            figures = stale_checked(figures, cadence, as_of)
        goals = kpi_goals.get(ref)
        # Fields in order (ref, process, owner, name, figures, improved_by, measures_goals, source,
        # cadence), not by name: a call by keywords takes twice as long.
        reports.append(KpiReport(
            ref, process, owner_improvers[0], kpi.name, figures, owner_improvers[1],
            no_goals if goals is None else tuple(goals), entity_source(kpi.origin),
            None if cadence is None else cadence.value))
    return tuple(reports)


# --- gaps ------------------------------------------------------------------------------------


def gaps(plan: Plan, currency: str, kpis: tuple[KpiReport, ...], programs: tuple[ProgramReport, ...]) -> list[Gap]:
    """KPIs at or worse than their baseline that no running or planned program improves, one
    gap per department owning their processes."""
    live = {program.id for program in programs
            if program.schedule in (ScheduleStatus.NOT_STARTED, ScheduleStatus.RUNNING)}
    by_owner: dict[str, list[KpiReport]] = {}
    for kpi in kpis:
        if kpi.figures.status is KpiStatus.WORSENING and not any(p in live for p in kpi.improved_by):
            by_owner.setdefault(kpi.owner, []).append(kpi)
    found = []
    for owner, worsening in by_owner.items():
        evidence = []
        worst = Decimal(0)
        for kpi in worsening:
            figures = kpi.figures
            assert figures.current is not None and figures.baseline is not None
            unit = figures.unit
            evidence.append(Evidence(kpi.ref, (
                f"{wording.value(figures.current.value, unit, currency)} against baseline "
                f"{wording.value(figures.baseline, unit, currency)}, target "
                f"{wording.value(figures.target, unit, currency)} ({figures.better.value} is better)")))
            span = (figures.target - figures.baseline).copy_abs()
            lost = (figures.baseline - figures.current.value).copy_abs()
            worst = max(worst, share(lost, span) if lost else Decimal(0))
        processes = list(dict.fromkeys(kpi.process for kpi in worsening))
        goals = sorted({goal for kpi in worsening for goal in kpi.measures_goals})
        severity = GapSeverity.HIGH if goals else GapSeverity.MEDIUM
        recommendation = (
            f"Ask {wording.head(plan, owner)} for the cause and a fix of "
            f"{wording.names(kpi.ref for kpi in worsening)}: "
            f"no running or planned program improves {wording.names(processes)}. Start an improvement "
            f"program (`improves: [{', '.join(processes)}]`) or add the fix to an existing one.")
        if goals:
            evidence.append(Evidence("measures goals", ", ".join(goals)))
        found.append(Gap(
            kind=GapKind.KPI_WORSENING, severity=severity, size=worst,
            title=f"{wording.department_name(plan, owner)}: {wording.plural(len(worsening), 'KPI')} not improving, "
                  f"and no program on {'it' if len(worsening) == 1 else 'them'}",
            entities=tuple(EntityRef("kpi", kpi.ref) for kpi in worsening), evidence=tuple(evidence),
            recommendation=recommendation))
    return found


def stale_gaps(plan: Plan, as_of: date, kpis: tuple[KpiReport, ...]) -> list[Gap]:
    """KPIs whose latest reading is too old for their cadence, one gap per owning department:
    medium when one of them measures a goal (the goal's status rests on it), else low."""
    by_owner: dict[str, list[KpiReport]] = {}
    for kpi in kpis:
        if kpi.figures.status is KpiStatus.STALE:
            by_owner.setdefault(kpi.owner, []).append(kpi)
    found = []
    for owner, stale in by_owner.items():
        evidence = []
        oldest = Decimal(0)
        for kpi in stale:
            current = kpi.figures.current
            assert current is not None and current.date is not None and kpi.cadence is not None
            age = (as_of - current.date).days
            limit = stale_after_days(Cadence(kpi.cadence))
            oldest = max(oldest, Decimal(age) / limit)
            evidence.append(Evidence(kpi.ref, f"last reading {current.date} ({age} days old), measured "
                                              f"{kpi.cadence}: stale after {number(limit)} days"))
        goals = sorted({goal for kpi in stale for goal in kpi.measures_goals})
        if goals:
            evidence.append(Evidence("measures goals", ", ".join(goals)))
        found.append(Gap(
            kind=GapKind.STALE_DATA, severity=GapSeverity.MEDIUM if goals else GapSeverity.LOW, size=oldest,
            title=f"{wording.department_name(plan, owner)}: {wording.plural(len(stale), 'KPI')} not measured "
                  f"on {'its' if len(stale) == 1 else 'their'} cadence",
            entities=tuple(EntityRef("kpi", kpi.ref) for kpi in stale), evidence=tuple(evidence),
            recommendation=(
                f"Ask {wording.head(plan, owner)} to post current readings of "
                f"{wording.names(kpi.ref for kpi in stale)} to the actuals (kind `readings`), or change "
                f"`cadence:` to how often they are really measured; until then their status is unknown.")))
    return found
