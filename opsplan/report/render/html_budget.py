"""The HTML page's budget-over-time parts: a budget's month-by-month table with a chart of
cumulative planned against actual spend (the as-of date marked), and the earned value of every
funded program. Formatting only: every figure comes from the report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from opsplan.figures import money_grouped
from opsplan.report.model import Report
from opsplan.report.render.html_cells import (
    NO_FIGURE,
    date_cell,
    money_cell,
    pct_cell,
    signed_money_cell,
)
from opsplan.report.render.html_page import Cell, Column, Html, element, join, table
from opsplan.report.render.svg_charts import SVG_NAMESPACE, TONE_COLOURS
from opsplan.report.render.view import Names
from opsplan.report.sections.budgets import BudgetReport
from opsplan.report.sections.initiatives import index

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 320, 120, 6

MONTH_COLUMNS = (
    Column("Month"), Column("Planned", numeric=True), Column("Actual", numeric=True),
    Column("Variance", numeric=True), Column("Cumulative planned", numeric=True),
    Column("Cumulative actual", numeric=True),
)


def _money_or_none(value: Decimal | None, signed: bool = False) -> Cell:
    if value is None:
        return Cell(NO_FIGURE, numeric=True)
    return signed_money_cell(value) if signed else money_cell(value)


def _x(position: Decimal, count: int) -> str:
    inner = CHART_WIDTH - 2 * CHART_PAD
    return f"{float(CHART_PAD + inner * position / count):.1f}"


def _y(value: Decimal, scale: Decimal) -> str:
    inner = CHART_HEIGHT - 2 * CHART_PAD
    share = value / scale if scale > 0 else Decimal(0)
    return f"{float(CHART_HEIGHT - CHART_PAD - inner * share):.1f}"


def cumulative_chart(budget: BudgetReport, as_of: date) -> Html:
    """Cumulative planned (grey) and actual (coloured by the budget's status) at each month's
    end, from zero at the period's start; a dashed line marks the as-of date."""
    months = budget.months
    if not months:
        return element("span", "no months", class_="muted small")
    count = len(months)
    actuals = [row.cumulative_actual for row in months]
    scale = max([row.cumulative_planned for row in months] + [value for value in actuals if value is not None]
                + [Decimal(0)])
    planned = " ".join([f"{_x(Decimal(0), count)},{_y(Decimal(0), scale)}"]
                       + [f"{_x(Decimal(i + 1), count)},{_y(row.cumulative_planned, scale)}"
                          for i, row in enumerate(months)])
    shapes: list[Html] = [element("polyline", points=planned, fill="none", stroke="#9ca3af", stroke_width="2")]
    spent = [(i, value) for i, value in enumerate(actuals) if value is not None]
    if spent:
        # The month holding the as-of date ends the actual line at that date, not at the month's end.
        days = (budget.end - budget.start).days + 1
        at = Decimal(min(max((as_of - budget.start).days + 1, 0), days)) * count / days
        points = [f"{_x(Decimal(0), count)},{_y(Decimal(0), scale)}"]
        points += [f"{_x(min(Decimal(i + 1), at), count)},{_y(value, scale)}" for i, value in spent]
        colour = TONE_COLOURS.get(budget.burn.status.tone.value, TONE_COLOURS["neutral"])
        shapes.append(element("polyline", points=" ".join(points), fill="none", stroke=colour, stroke_width="2"))
    if budget.start <= as_of <= budget.end:
        days = (budget.end - budget.start).days + 1
        mark = _x(Decimal((as_of - budget.start).days + 1) * count / days, count)
        shapes.append(element("line", x1=mark, x2=mark, y1="0", y2=str(CHART_HEIGHT), stroke="#111827",
                              stroke_width="1", stroke_dasharray="4 3"))
    last = next((row for row in reversed(months) if row.cumulative_actual is not None), None)
    label = (f"{budget.name}: cumulative planned {money_grouped(months[-1].cumulative_planned)} by "
             f"{budget.end.isoformat()}"
             + (f"; actual {money_grouped(last.cumulative_actual or Decimal(0))} by {as_of.isoformat()}"
                if last is not None else "; nothing spent yet"))
    return element("svg", element("title", label), shapes, xmlns=SVG_NAMESPACE,
                   viewBox=f"0 0 {CHART_WIDTH} {CHART_HEIGHT}", class_="month-chart", role="img",
                   aria_label=label, width=str(CHART_WIDTH), height=str(CHART_HEIGHT))


def months_block(budget: BudgetReport, report: Report) -> Html:
    rows = [[Cell(row.month, sort_key=row.month), money_cell(row.planned), _money_or_none(row.actual),
             _money_or_none(row.variance, signed=True), money_cell(row.cumulative_planned),
             _money_or_none(row.cumulative_actual)] for row in budget.months]
    legend = element("p", "grey: cumulative planned · colour: cumulative actual · dashed: the as-of date",
                     class_="muted small")
    return element("details", element("summary", f"Month by month ({len(rows)} months)"),
                   cumulative_chart(budget, report.as_of), legend,
                   table(MONTH_COLUMNS, rows, caption=f"{budget.name} month by month, in {report.currency}: "
                                                       "planned following each line's phasing, and actual",
                         table_id=f"months-{budget.id}"), class_="months")


INITIATIVE_COLUMNS = (
    Column("Program", wide=True), Column("BAC", numeric=True), Column("AC", numeric=True),
    Column("Planned", numeric=True), Column("Complete", numeric=True), Column("PV", numeric=True),
    Column("EV", numeric=True), Column("CPI", numeric=True), Column("SPI", numeric=True),
    Column("EAC", numeric=True), Column("VAC", numeric=True), Column("Forecast end"),
)


def _index_cell(value: Decimal | None) -> Cell:
    return Cell(index(value) if value is not None else NO_FIGURE, sort_key=value, numeric=True)


def initiatives(report: Report, names: Names) -> Html:
    rows = []
    for item in report.initiatives:
        ev = item.figures
        rows.append([Cell(names.program(item.program), sort_key=item.program), money_cell(ev.bac), money_cell(ev.ac),
                     pct_cell(ev.planned_pct), pct_cell(ev.percent_complete), money_cell(ev.pv),
                     _money_or_none(ev.ev), _index_cell(ev.cpi), _index_cell(ev.spi), money_cell(ev.eac),
                     signed_money_cell(ev.vac), date_cell(ev.forecast_end)])
    note = element("p", "Budget at completion (BAC) is every line naming the program; CPI = EV / AC and "
                        "SPI = EV / PV, below 1 is behind on cost or schedule.", class_="muted small")
    return join([note, table(INITIATIVE_COLUMNS, rows, caption=f"Earned value of funded programs, in "
                                                                f"{report.currency}, as of {report.as_of}",
                             table_id="earned-value-table", empty="No program is funded by a budget line.")])
