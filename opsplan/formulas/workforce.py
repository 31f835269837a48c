"""Workforce figures of format 1.1, section 7: planned hires spread from a role's start to its
`by` date, requisition dates, role cost within a budget, planned headcount net of attrition and
actual attrition from headcount and hires.

Every count is exact and found in closed form, never one hire at a time: a role's `count` comes
from a pull request and may be any whole number up to 10^15.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from opsplan.model import Duration, HiringRole

DAYS_PER_YEAR = 365


def _days(first: date, last: date) -> int:
    """Days from ``first`` to ``last``, both counted (inclusive, as every day count in the plan)."""
    return (last - first).days + 1


def planned_hires(role: HiringRole, on: date) -> int:
    """Hires planned by ``on`` (that day included): floor(count x e / s), where s counts the days
    from start to by and e the days from start to ``on``; 0 before start, count from by on."""
    if on < role.start:
        return 0
    if on >= role.hired_by:
        return role.count
    return role.count * _days(role.start, on) // _days(role.start, role.hired_by)


def hire_date(role: HiringRole, index: int) -> date:
    """The planned date of the ``index``-th hire (1..count): the first day the count reaches it,
    that is day ceil(index x s / count) of the window."""
    span = _days(role.start, role.hired_by)
    day = -(-index * span // role.count)
    return role.start + timedelta(days=day - 1)


def lead_days(time_to_fill: Duration | None) -> int:
    """Whole days a requisition opens before its hire; part of a day counts as a day, so that
    the requisition is never late."""
    if time_to_fill is None:
        return 0
    return math.ceil(Fraction(time_to_fill.hours) / 24)


@dataclass(frozen=True, slots=True)
class Requisitions:
    """A role's requisitions on a date: how many should be open by then (their opening date is
    on or before it), how many open in the 30 days after it, and the next opening date."""

    open_by_now: int
    due_next_30_days: int
    next_open_date: date | None


def requisitions(role: HiringRole, as_of: date) -> Requisitions:
    """The i-th requisition opens ``time_to_fill`` before the i-th hire, so the requisitions open
    by a day are the hires planned by that day plus the lead time."""
    lead = timedelta(days=lead_days(role.time_to_fill))
    open_now = planned_hires(role, as_of + lead)
    open_in_30 = planned_hires(role, as_of + timedelta(days=30) + lead)
    next_open = hire_date(role, open_now + 1) - lead if open_now < role.count else None
    return Requisitions(open_now, open_in_30 - open_now, next_open)


def _floor_sum(terms: int, modulus: int, slope: int, offset: int) -> int:
    """sum over i in 0..terms-1 of floor((slope x i + offset) / modulus), in O(log) steps (the
    classic floor-sum recursion; all arguments non-negative, modulus > 0)."""
    total = 0
    while terms > 0:
        if slope >= modulus:
            total += terms * (terms - 1) // 2 * (slope // modulus)
            slope %= modulus
        if offset >= modulus:
            total += terms * (offset // modulus)
            offset %= modulus
        last = slope * terms + offset
        if last < modulus:
            break
        terms, offset, modulus, slope = last // modulus, last % modulus, slope, modulus
    return total


def _sum_hire_days(role: HiringRole, first: int, last: int) -> int:
    """Sum over hires first..last of their day in the window (1-based): ceil(i x s / count)."""
    if last < first:
        return 0
    span, count = _days(role.start, role.hired_by), role.count

    def up_to(n: int) -> int:  # sum for i in 1..n of floor((i x span + count - 1) / count)
        return _floor_sum(n + 1, count, span, count - 1) - (count - 1) // count

    return up_to(last) - up_to(first - 1)


def seat_days(role: HiringRole, start: date, end: date) -> int:
    """Days the role's hires sit within [start, end]: each hire from its planned date (or
    ``start``, if later) to ``end``; a hire planned after ``end`` sits none of them."""
    if end < start:
        return 0
    before = planned_hires(role, start - timedelta(days=1))
    by_end = planned_hires(role, end)
    whole = before * _days(start, end)
    # A hire on window day c sits from start + c - 1 to end: (end - role.start) + 2 - c days.
    offset = (end - role.start).days + 2
    within = (by_end - before) * offset - _sum_hire_days(role, before + 1, by_end)
    return whole + within


def role_cost(role: HiringRole, start: date, end: date) -> Fraction:
    """annual_cost x seat days within [start, end] / 365, exact (none without an annual cost)."""
    if role.annual_cost_allocated is None:
        return Fraction(0)
    return Fraction(role.annual_cost_allocated) * seat_days(role, start, end) / DAYS_PER_YEAR


def planned_headcount(headcount: int, hires: int, attrition: Decimal | None, horizon_start: date, on: date) -> int:
    """headcount + planned hires landing on the department - floor(headcount x attrition / 100 x
    days from the horizon start to ``on`` (exclusive) / 365)."""
    days = max(0, (on - horizon_start).days)
    # In integers, one numerator over one denominator: a report asks this for every department
    # on every date it shows, and fractions made it most of the headcount section.
    rate, per = (attrition or Decimal(0)).as_integer_ratio()
    numerator, denominator = headcount * rate * days, per * 100 * DAYS_PER_YEAR
    leavers = numerator // denominator if numerator >= 0 else -(-numerator // denominator)  # toward zero
    return headcount + hires - leavers


@dataclass(frozen=True, slots=True)
class Attrition:
    """Actual attrition of a department: people who left since the horizon started, and that
    rate over a year, in percent (none when there is no headcount or no day to annualise)."""

    leavers: int
    annualised_pct: Fraction | None


def actual_attrition(headcount: int, hires: int, latest_headcount: int, days: int) -> Attrition:
    """leavers = headcount + hires counted for the department - the latest actual headcount;
    annualised rate = leavers / headcount x 365 / days x 100, where ``days`` runs from the horizon
    start to the date of the latest headcount (exclusive)."""
    leavers = headcount + hires - latest_headcount
    if headcount <= 0 or days <= 0:
        return Attrition(leavers, None)
    return Attrition(leavers, Fraction(leavers * DAYS_PER_YEAR * 100, headcount * days))
