"""Process capacity: for each process with a capacity or a demand, how hard it runs against its
target (planned from demand, actual from the latest complete period of volume), the work in
progress by Little's law, whether it is the bottleneck of its part of the process graph, and
the staff it needs; a `capacity-shortfall` gap where it runs above its target."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from opsplan.figures import number, pct
from opsplan.formulas.capacity import (
    above_target,
    actual_utilisation,
    bottlenecks,
    fte_needed,
    per_period,
    planned_utilisation,
    target_of,
    tenths,
    wip,
)
from opsplan.model import Plan, Process, ProgramType
from opsplan.report import wording
from opsplan.report.sections.shared import (
    HUNDRED,
    Basis,
    EntityRef,
    Evidence,
    Gap,
    GapKind,
    GapSeverity,
    entity_source,
    share,
)


@dataclass(frozen=True, slots=True)
class CapacityReport:
    process: str
    name: str
    owner: str
    unit: str | None  # what the capacity counts (orders, contacts)
    per: str | None  # the capacity's period: the period of every rate below
    capacity: Decimal | None
    demand: Decimal | None  # per the capacity's period (per its own without a capacity), one decimal
    planned_utilisation: Decimal | None
    actual_utilisation: Decimal | None  # the latest complete period's volume
    utilisation_target: Decimal
    wip: Decimal | None  # demand x cycle time (Little's law)
    bottleneck: bool  # the highest utilisation of its connected part of the process graph
    fte_needed: Decimal | None  # staff to add to run at the target (staff-based capacity only)
    source: str

    @property
    def utilisation(self) -> Decimal | None:
        """The figure judged against the target: actual when known, else planned."""
        return self.actual_utilisation if self.actual_utilisation is not None else self.planned_utilisation


def build(basis: Basis) -> tuple[CapacityReport, ...]:
    plan = basis.plan
    plan_target = plan.settings.report.utilisation_target
    volumes: dict[str, list[tuple[date, Decimal]]] = {}
    for row in basis.actuals.volumes:
        volumes.setdefault(row.process, []).append((row.date, row.volume))
    reports: list[CapacityReport] = []
    for process in plan.processes.values():
        capacity, demand = process.capacity, process.demand
        if capacity is None and demand is None:
            continue
        planned = actual = needed = None
        demand_figure = None if demand is None else demand.value
        target = target_of(process, plan_target)
        if capacity is not None:
            rows = volumes.get(process.id)
            if rows:
                actual = actual_utilisation(rows, capacity, basis.as_of)
            if demand is not None:
                planned = planned_utilisation(capacity, demand)
                demand_figure = tenths(per_period(demand.value, demand.per, capacity.per))
                needed = fte_needed(capacity, demand, target)
        in_progress = None
        if demand is not None and process.cycle_time is not None:
            in_progress = wip(demand, process.cycle_time.hours)
        reports.append(CapacityReport(
            process=process.id, name=process.name, owner=process.owner,
            unit=None if capacity is None else capacity.unit,
            per=(capacity.per.value if capacity is not None else demand.per.value if demand is not None else None),
            capacity=None if capacity is None else capacity.amount, demand=demand_figure,
            planned_utilisation=planned, actual_utilisation=actual, utilisation_target=target,
            wip=in_progress, bottleneck=False, fte_needed=needed, source=entity_source(process.origin)))
    utilisation = {report.process: value for report in reports if (value := report.utilisation) is not None}
    worst = bottlenecks(plan.processes, utilisation)
    return tuple(_with_bottleneck(report, report.process in worst) for report in reports)


def _with_bottleneck(report: CapacityReport, bottleneck: bool) -> CapacityReport:
    return replace(report, bottleneck=True) if bottleneck else report


# --- gaps ------------------------------------------------------------------------------------


def gaps(plan: Plan, capacity: tuple[CapacityReport, ...]) -> list[Gap]:
    found = []
    for report in capacity:
        utilisation = report.utilisation
        if utilisation is None or not above_target(utilisation, report.utilisation_target):
            continue
        process = plan.processes[report.process]
        which = "actual" if report.actual_utilisation is not None else "planned"
        evidence = [
            Evidence("demand", _rate(report.demand, report)),
            Evidence("capacity", _rate(report.capacity, report)),
            Evidence(f"{which} utilisation", f"{pct(utilisation)}% against a target of "
                                               f"{number(report.utilisation_target)}%"),
        ]
        if report.fte_needed:
            evidence.append(Evidence("FTE needed", f"{grouped(report.fte_needed)} more to run the planned demand at "
                                                    f"{number(report.utilisation_target)}%"))
        elif report.fte_needed is not None:
            evidence.append(Evidence("FTE needed", "none: the planned demand fits the target, the volume "
                                                    "handled does not"))
        if report.bottleneck:
            evidence.append(Evidence("bottleneck", "the busiest process of its part of the process graph"))
        found.append(Gap(
            kind=GapKind.CAPACITY_SHORTFALL,
            severity=GapSeverity.HIGH if utilisation > HUNDRED else GapSeverity.MEDIUM,
            size=share(utilisation - report.utilisation_target, report.utilisation_target),
            title=f"Capacity short in {report.process}: {which} utilisation {pct(utilisation)}%, "
                  f"target {number(report.utilisation_target)}%",
            entities=(EntityRef("process", report.process), EntityRef("department", report.owner)),
            evidence=tuple(evidence), recommendation=_recommendation(plan, process, report)))
    return found


def _rate(figure: Decimal | None, report: CapacityReport) -> str:
    return "not planned" if figure is None else rate(figure, report.unit, report.per)


def rate(figure: Decimal, unit: str | None, per: str | None) -> str:
    """A rate as every format writes it: `425,000 orders a month` (no unit: `425,000 a month`)."""
    return f"{grouped(figure)}{f' {unit}' if unit else ''} a {per}"


def grouped(figure: Decimal) -> str:
    """A count with thousands grouped, as written in the plan: 425,500; 7,594.5."""
    return f"{figure.to_integral_value():,}" if figure == figure.to_integral_value() else f"{figure:,.1f}"


def _recommendation(plan: Plan, process: Process, report: CapacityReport) -> str:
    """Name the hiring programs whose roles land on the owner department: they are what adds
    staff where the process runs."""
    hiring = [program.id for program in plan.programs.values() if program.type is ProgramType.HIRING
              and any((role.department or program.owner) == process.owner for role in program.roles)]
    staff = f"add {grouped(report.fte_needed)} FTE" if report.fte_needed else "add capacity"
    if hiring:
        through = (f"{staff} through {wording.names(hiring)}, whose roles land on {process.owner}, and check "
                   f"that they cover it and are on pace")
    else:
        through = (f"{staff}; no hiring program has roles landing on {process.owner}: plan one, or move work "
                   f"or demand elsewhere")
    return (f"Bring {process.id} back to {number(report.utilisation_target)}% or less with "
            f"{wording.head(plan, process.owner)}: {through}.")
