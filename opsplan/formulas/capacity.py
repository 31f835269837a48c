"""Capacity figures of format 1.1, section 8: rates converted between periods, planned and
actual utilisation, work in progress by Little's law, the bottleneck of each connected part of
the process graph and the staff a process needs to run at its target.

Rates convert exactly (fractions of days); a percentage is rounded half up to one decimal only
at the end, and a judgement (above the target?) is made on the figure people see.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from opsplan.model import Capacity, Demand, Period, Process

DAYS_PER_PERIOD: Mapping[Period, Fraction] = {
    Period.DAY: Fraction(1), Period.WEEK: Fraction(7), Period.MONTH: Fraction(365, 12),
    Period.QUARTER: Fraction(365, 4), Period.YEAR: Fraction(365),
}


def per_period(value: Decimal | Fraction, written_per: Period, wanted_per: Period) -> Fraction:
    """A rate per ``written_per`` as a rate per ``wanted_per``: 7,000 a week is 30,416 2/3 a month."""
    return Fraction(value) * DAYS_PER_PERIOD[wanted_per] / DAYS_PER_PERIOD[written_per]


def tenths(value: Fraction) -> Decimal:
    """A non-negative figure rounded half up to one decimal: 85.45 -> 85.5."""
    return Decimal(int(value * 10 + Fraction(1, 2))) / 10


def planned_utilisation(capacity: Capacity, demand: Demand) -> Decimal:
    """demand / capacity x 100, both per the capacity's period, to one decimal."""
    return tenths(per_period(demand.value, demand.per, capacity.per) / Fraction(capacity.amount) * 100)


def utilisation(volume: Decimal | Fraction, capacity: Capacity) -> Decimal:
    """A period's volume / the capacity of that period x 100, to one decimal."""
    return tenths(Fraction(volume) / Fraction(capacity.amount) * 100)


def target_of(process: Process, plan_target: Decimal) -> Decimal:
    return process.utilisation_target if process.utilisation_target is not None else plan_target


def above_target(utilisation_pct: Decimal, target: Decimal) -> bool:
    """Judged on the rounded figure people read: 85.0% against a target of 85 is at target."""
    return utilisation_pct > target


def calendar_period(day: date, per: Period) -> tuple[date, date]:
    """The calendar period holding ``day``: the day, its ISO week (Monday to Sunday), month,
    quarter or year."""
    if per is Period.DAY:
        return day, day
    if per is Period.WEEK:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if per is Period.MONTH:
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if per is Period.QUARTER:
        first_month = (day.month - 1) // 3 * 3 + 1
        last_month = first_month + 2
        return (date(day.year, first_month, 1),
                date(day.year, last_month, calendar.monthrange(day.year, last_month)[1]))
    return date(day.year, 1, 1), date(day.year, 12, 31)


def latest_complete_period(as_of: date, per: Period) -> tuple[date, date]:
    """The latest calendar period that ends on or before ``as_of``."""
    start, end = calendar_period(as_of, per)
    if end == as_of:
        return start, end
    return calendar_period(start - timedelta(days=1), per)


def actual_utilisation(volumes: Iterable[tuple[date, Decimal]], capacity: Capacity,
                       as_of: date) -> Decimal | None:
    """The volume of the latest complete period (rows dated in it add up) / capacity x 100;
    none when no row falls in that period: a missing export is not a quiet week."""
    start, end = latest_complete_period(as_of, capacity.per)
    total, seen = Fraction(0), False
    for when, volume in volumes:
        if start <= when <= end:
            total += Fraction(volume)
            seen = True
    return utilisation(total, capacity) if seen else None


def wip(demand: Demand, cycle_time_hours: Decimal) -> Decimal:
    """Little's law, L = lambda x W: demand per hour x cycle time in hours, to one decimal."""
    per_hour = Fraction(demand.value) / (DAYS_PER_PERIOD[demand.per] * 24)
    return tenths(per_hour * Fraction(cycle_time_hours))


def fte_needed(capacity: Capacity, demand: Demand, target: Decimal) -> Decimal | None:
    """Staff to add so that demand runs at the target: ceil(demand / (per_fte x target / 100)) -
    fte, 0 when the staff suffice; none for a capacity that is not staff-based."""
    if capacity.per_fte is None or capacity.fte is None or target <= 0:
        return None
    wanted = per_period(demand.value, demand.per, capacity.per) / (Fraction(capacity.per_fte) * Fraction(target) / 100)
    needed = Decimal(-(-wanted.numerator // wanted.denominator)) - capacity.fte
    return max(needed, Decimal(0))


def bottlenecks(processes: Mapping[str, Process], utilisation_of: Mapping[str, Decimal]) -> set[str]:
    """In each connected part of the process graph (processes joined by `depends_on`, either way),
    the process with the highest utilisation; on a tie, the first in plan order. A part where no
    process has a utilisation has no bottleneck."""
    parent = {id: id for id in processes}

    def root(id: str) -> str:
        while parent[id] != id:
            parent[id] = parent[parent[id]]
            id = parent[id]
        return id

    for process in processes.values():
        for other in process.depends_on:
            if other in parent:
                parent[root(process.id)] = root(other)
    best: dict[str, tuple[Decimal, str]] = {}
    for id in processes:
        value = utilisation_of.get(id)
        if value is None:
            continue
        part = root(id)
        known = best.get(part)
        if known is None or value > known[0]:
            best[part] = (value, id)
    return {id for _, id in best.values()}
