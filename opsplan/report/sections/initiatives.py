"""Earned value of every funded program (format 1.1, section 6): what its money bought so far
against what the plan had bought by now; gaps where a program is behind schedule or over cost,
or where a running funded initiative reports no progress at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from opsplan.figures import money, money_grouped, number, pct
from opsplan.model import Plan, ProgramType
from opsplan.report import wording
from opsplan.report.earned_value import EarnedValue, earned_value
from opsplan.report.sections.shared import (
    HUNDRED,
    ONE,
    Basis,
    EntityRef,
    Evidence,
    Gap,
    GapKind,
    GapSeverity,
    line_ref,
    share,
)

# Finishing more than this long after the planned end makes a program behind schedule a high gap.
LATE_FINISH = timedelta(days=30)
# An overrun of more than this share of the budget at completion is a high gap.
SEVERE_OVERRUN = Decimal("0.10")


@dataclass(frozen=True, slots=True)
class InitiativeReport:
    """One funded program's earned value on the as-of date (figures exact; CPI and SPI are shown
    to two decimals)."""

    program: str
    name: str
    type: str
    owner: str
    start: date
    end: date
    lines: tuple[str, ...]  # BUDGET/DEPARTMENT/LINE naming the program
    progress_date: date | None  # the progress row counted
    figures: EarnedValue


def build(basis: Basis) -> tuple[InitiativeReport, ...]:
    plan, as_of = basis.plan, basis.as_of
    lines: dict[str, list[str]] = {}
    allocated: dict[str, Decimal] = {}
    periods: dict[tuple[str, str, str], tuple[str, date, date]] = {}
    for budget in plan.budgets.values():
        for line in budget.lines:
            if line.program is None or line.program not in plan.programs:
                continue
            lines.setdefault(line.program, []).append(line_ref(budget.id, line.department, line.id))
            allocated[line.program] = allocated.get(line.program, Decimal(0)) + line.allocated
            periods[(budget.id, line.department, line.id)] = (line.program, budget.start, budget.end)
    spent: dict[str, Decimal] = {}
    # A ledger has a spend row per line and day, few of them on lines funding a program: a row is
    # looked up by its line id alone first, without making a key of three.
    funding = {line for _, _, line in periods}
    for row in basis.actuals.spend:
        if row.line not in funding:
            continue
        funded = periods.get((row.budget, row.department, row.line))
        # Rows outside their budget's period count nowhere in the report, so not here either.
        if funded is not None and funded[1] <= row.date <= funded[2]:
            spent[funded[0]] = spent.get(funded[0], Decimal(0)) + row.amount
    latest = basis.actuals.latest_progress()
    found = []
    for program in plan.programs.values():
        if program.id not in lines:
            continue
        progress = latest.get(program.id)
        found.append(InitiativeReport(
            program=program.id, name=program.name, type=program.type.value, owner=program.owner,
            start=program.start, end=program.end, lines=tuple(lines[program.id]),
            progress_date=None if progress is None else progress.date,
            figures=earned_value(allocated[program.id], spent.get(program.id, Decimal(0)), program.start,
                                 program.end, as_of, None if progress is None else progress.percent_complete)))
    return tuple(found)


def index(value: Decimal | None) -> str:
    """CPI and SPI as the report shows them: two decimals."""
    return "n/a" if value is None else money(value)  # rounded half up to two decimals, as money is


def gaps(plan: Plan, as_of: date, currency: str, initiatives: tuple[InitiativeReport, ...]) -> list[Gap]:
    floor = ONE - plan.settings.report.tolerance / HUNDRED
    found = []
    for item in initiatives:
        ev = item.figures
        evidence = (
            Evidence("budget at completion (BAC)", wording.money(ev.bac, currency)),
            Evidence("actual cost (AC)", wording.money(ev.ac, currency)),
            Evidence(f"progress{'' if item.progress_date is None else f' on {item.progress_date}'}",
                     "none" if ev.percent_complete is None else f"{number(ev.percent_complete)}% "
                     f"complete, {pct(ev.planned_pct)}% planned by {as_of}"),
            Evidence("earned value (EV) / planned value (PV)",
                     f"{money_grouped(ev.ev or Decimal(0))} / {money_grouped(ev.pv)} {currency}"),
            Evidence("CPI / SPI", f"{index(ev.cpi)} / {index(ev.spi)}"),
            Evidence("estimate at completion (EAC)", f"{wording.money(ev.eac, currency)} "
                     f"(VAC {money_grouped(ev.vac)} {currency})"),
            Evidence("forecast end", "n/a" if ev.forecast_end is None else
                     f"{ev.forecast_end} (planned {item.end})"),
        )
        entities = (EntityRef("program", item.program), EntityRef("department", item.owner))
        if ev.spi is not None and ev.spi < floor:
            late = ev.forecast_end is not None and ev.forecast_end > item.end + LATE_FINISH
            found.append(Gap(
                kind=GapKind.INITIATIVE_BEHIND, severity=GapSeverity.HIGH if late else GapSeverity.MEDIUM,
                size=ONE - ev.spi,
                title=f"{item.program} is behind schedule: SPI {index(ev.spi)}, "
                      f"{number(ev.percent_complete or Decimal(0))}% done of {pct(ev.planned_pct)}% planned",
                entities=entities, evidence=evidence,
                recommendation=(
                    f"Review the plan of {item.program} with {wording.head(plan, item.owner)}: at this pace it "
                    + (f"finishes on {ev.forecast_end}, not {item.end}" if ev.forecast_end is not None
                       else "does not finish")
                    + "; add capacity to the critical work, cut scope, or move the end date and tell "
                      "the goals that depend on it.")))
        if ev.cpi is not None and ev.cpi < floor:
            severe = ev.vac < -(ev.bac * SEVERE_OVERRUN)
            found.append(Gap(
                kind=GapKind.INITIATIVE_OVER_COST, severity=GapSeverity.HIGH if severe else GapSeverity.MEDIUM,
                size=share(-ev.vac, ev.bac) if ev.vac < 0 else ONE - ev.cpi,
                title=f"{item.program} costs more than the work it delivers: CPI {index(ev.cpi)}, "
                      f"estimate at completion {wording.money(ev.eac, currency)}",
                entities=entities, evidence=evidence,
                recommendation=(
                    f"With {wording.head(plan, item.owner)}, find why {item.program} spends "
                    f"{money_grouped(ev.ac)} {currency} for {money_grouped(ev.ev or Decimal(0))} {currency} of work "
                    f"done (rates, rework, scope); cut scope or ask for the "
                    f"{money_grouped(-ev.vac)} {currency} more it will need before its lines "
                    f"({wording.names(item.lines)}) run out.")))
    return found


def missing_progress(plan: Plan, as_of: date, initiatives: tuple[InitiativeReport, ...]) -> list[Gap]:
    """Running funded initiatives with no progress row: their money cannot be judged."""
    blind = [item for item in initiatives if item.type == ProgramType.INITIATIVE.value
             and item.start <= as_of <= item.end and item.figures.percent_complete is None]
    if not blind:
        return []
    running = sum(1 for item in initiatives if item.start <= as_of <= item.end)
    return [Gap(
        kind=GapKind.MISSING_DATA, severity=GapSeverity.LOW, size=Decimal(len(blind)) / running,
        title=f"{wording.plural(len(blind), 'funded initiative')} without progress",
        entities=tuple(EntityRef("program", item.program) for item in blind),
        evidence=tuple(Evidence(item.program, f"no progress row on or before {as_of}; "
                                              f"{money_grouped(item.figures.ac)} spent of "
                                              f"{money_grouped(item.figures.bac)}") for item in blind),
        recommendation=("Record progress for each of these initiatives in actuals (a "
                        "`date,program,percent_complete` row), so that what their money bought can be "
                        "set against what it cost."))]
