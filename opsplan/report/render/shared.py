"""What every report renderer writes the same way: a burn's figures as table cells, counts of
statuses, a status word's tone. One place, so that text, Markdown and HTML cannot drift apart."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from opsplan.figures import money_grouped, pct, signed_money
from opsplan.report.phasing import MonthRow
from opsplan.report.sections.budgets import Burn
from opsplan.report.sections.initiatives import InitiativeReport, index
from opsplan.report.sections.shared import (
    BudgetStatus,
    GapSeverity,
    KpiStatus,
    PaceStatus,
    ScheduleStatus,
    Tone,
)

# Every status word the report writes, with the tone its status carries: for outputs that have
# only the word at hand when they colour or mark it.
TONE_OF_WORD: dict[str, Tone] = {
    status.value: status.tone
    for statuses in (BudgetStatus, KpiStatus, PaceStatus, ScheduleStatus, GapSeverity)
    for status in statuses
}


def percent(value: Decimal | None) -> str:
    """A percentage with its sign, or ``-`` where there is none."""
    return "-" if value is None else f"{pct(value)}%"


# The columns of burn_cells, after the row's label.
BURN_HEADERS = ["allocated", "expected", "actual", "variance", "used", "forecast", "runs out", "status"]


def burn_cells(burn: Burn) -> list[str]:
    """allocated, expected, actual, variance, used, forecast at completion, run-out date, status."""
    return [money_grouped(burn.allocated), money_grouped(burn.expected), money_grouped(burn.actual),
            signed_money(burn.variance), percent(burn.used_pct), forecast_cell(burn),
            "-" if burn.run_out is None else burn.run_out.isoformat(), burn.status.value]


def forecast_cell(burn: Burn) -> str:
    """The forecast at completion, or why there is none yet (under 10% of the allocation expected)."""
    return "too early" if burn.forecast is None else money_grouped(burn.forecast)


def month_cells(row: MonthRow) -> list[str]:
    """month, planned, actual, variance, cumulative planned, cumulative actual; a month not yet
    begun has no actual."""
    return [row.month, money_grouped(row.planned), "-" if row.actual is None else money_grouped(row.actual),
            "-" if row.variance is None else signed_money(row.variance), money_grouped(row.cumulative_planned),
            "-" if row.cumulative_actual is None else money_grouped(row.cumulative_actual)]


MONTH_HEADERS = ["month", "planned", "actual", "variance", "cumulative planned", "cumulative actual"]


def initiative_cells(item: InitiativeReport) -> list[str]:
    """program, BAC, AC, planned %, complete %, PV, EV, CPI, SPI, EAC, VAC, forecast end."""
    ev = item.figures
    return [item.program, money_grouped(ev.bac), money_grouped(ev.ac), percent(ev.planned_pct),
            percent(ev.percent_complete), money_grouped(ev.pv), "-" if ev.ev is None else money_grouped(ev.ev),
            index(ev.cpi), index(ev.spi), money_grouped(ev.eac), signed_money(ev.vac),
            "-" if ev.forecast_end is None else ev.forecast_end.isoformat()]


INITIATIVE_HEADERS = ["program", "BAC", "AC", "planned", "complete", "PV", "EV", "CPI", "SPI", "EAC", "VAC",
                      "forecast end"]


def counts(values: Sequence[str]) -> str:
    """``3 on-track, 1 at-risk``, in order of first appearance."""
    counted: dict[str, int] = {}
    for value in values:
        counted[value] = counted.get(value, 0) + 1
    return ", ".join(f"{count} {name}" for name, count in counted.items())


def severities(gaps: Sequence[object]) -> list[str]:
    """The gaps' severities, most severe first."""
    order = list(GapSeverity)
    return [severity.value for severity in sorted((gap.severity for gap in gaps), key=order.index)]  # type: ignore[attr-defined]


def attrition(leavers: int | None, attrition_pct: Decimal | None) -> str:
    """A department's leavers since the horizon started and that rate over a year; more people
    counted than the plan and its hires explain is said so, not written as negative leavers."""
    if leavers is None:
        return "-"
    if leavers < 0:
        return f"none left ({-leavers} more counted than planned and hired)"
    rate = "" if attrition_pct is None else f" ({pct(attrition_pct)}% a year)"
    return f"{leavers} left{rate}"
