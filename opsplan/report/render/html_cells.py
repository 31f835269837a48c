"""The HTML page's small pieces: badges coloured by a status's tone, table cells for money,
percentages, counts, dates and measured values (each with the key it sorts by), lists, cards
and trends."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from opsplan.figures import money_grouped, number, pct, signed_money
from opsplan.report.render.html_page import Cell, Html, element, join
from opsplan.report.render.svg_charts import sparkline
from opsplan.report.sections.kpis import MeasureFigures
from opsplan.report.sections.shared import (
    BudgetStatus,
    GapSeverity,
    KpiStatus,
    PaceStatus,
    ScheduleStatus,
    Tone,
)

NO_FIGURE = "\u2013"  # an en dash, where there is no figure to show



def badge(text: str, tone: Tone | str) -> Html:
    return element("span", text, class_=f"status tone-{Tone(tone).value}")


Status = TypeVar("Status", BudgetStatus, KpiStatus, PaceStatus, ScheduleStatus, GapSeverity)


def worst_first(statuses: type[Status]) -> list[Status]:
    """A status enum's members by tone, worst first (a stable sort: same tones keep their order)."""
    return sorted(statuses, key=lambda status: status.tone.rank)


def status_cell(status: Status) -> Cell:
    return Cell(badge(status.value, status.tone), sort_key=worst_first(type(status)).index(status))


def money_cell(value: Decimal) -> Cell:
    return Cell(money_grouped(value), sort_key=value, numeric=True)


def signed_money_cell(value: Decimal) -> Cell:
    return Cell(signed_money(value), sort_key=value, numeric=True)


def pct_cell(value: Decimal | None) -> Cell:
    if value is None:
        return Cell(NO_FIGURE, sort_key="", numeric=True)
    return Cell(f"{pct(value)}%", sort_key=value, numeric=True)


def int_cell(value: int | None) -> Cell:
    if value is None:
        return Cell(NO_FIGURE, sort_key="", numeric=True)
    return Cell(f"{value:,}", sort_key=value, numeric=True)


def date_cell(value: date | None) -> Cell:
    if value is None:
        return Cell(NO_FIGURE, sort_key="")
    return Cell(element("span", value.isoformat(), class_="date"), sort_key=value.isoformat())


def measured(value: Decimal | None, unit: str | None, currency: str) -> str:
    """A measured value with its unit, the way people write it: ``97.5%``, ``3.1 days``."""
    if value is None:
        return NO_FIGURE
    text = number(value)
    if unit in (None, "", "count", "ratio", "score"):
        return text
    if unit == "percent":
        return f"{text}%"
    if unit == "money":
        return f"{text} {currency}"
    return f"{text} {unit}"


def measure_cell(value: Decimal | None, unit: str | None, currency: str) -> Cell:
    return Cell(measured(value, unit, currency), sort_key="" if value is None else value, numeric=True)


def list_of(items: Iterable[object]) -> Html:
    shown = [element("li", item) for item in items]
    return element("ul", shown, class_="plain") if shown else element("span", NO_FIGURE, class_="muted")


def trend(figures: MeasureFigures, label: str, tone: str) -> Cell:
    readings = [(point.date, point.value) for point in figures.history]
    return Cell(sparkline(readings, label=label, target=figures.target, tone=tone),
                sort_key=len(readings))


def card(label: str, figure: object, *details: object) -> Html:
    return element("div", element("div", figure, class_="figure"), element("div", label, class_="label"),
                   [element("div", detail, class_="detail") for detail in details], class_="card")


def status_counts(statuses: Iterable[Enum], kind: type[Status]) -> Html:
    """``3 off-track · 2 at-risk ...`` as badges, worst first, leaving out statuses nobody has."""
    counts = Counter(statuses)
    return join([badge(f"{counts[status]} {status.value}", status.tone) for status in worst_first(kind)
                 if counts[status]], " ")


