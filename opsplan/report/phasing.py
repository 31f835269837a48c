"""Planned spend over a budget's period, following each line's phasing (format 1.1, section 2).

A line's plan is an amount per calendar month of the period, spread evenly over the month's
days inside the period; `expected` on a date is the planned amount of the days up to and
including it. Amounts are kept exact (the money spread as exact decimals, the months as
fractions) until they are handed out as decimals, so a year of months adds up to the allocation
exactly. Profile shares are computed once per profile and period, not once per line: a plan of
40,000 processes has one profile, not 40,000.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact
from fractions import Fraction
from functools import cache

from opsplan.model import Phasing

ZERO = Fraction(0)
# Money spread the same way is added up as decimals, exactly: with this precision no sum of
# plan amounts is ever rounded (and one that were would raise, not be rounded silently).
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact])


@dataclass(frozen=True, slots=True)
class MonthSpan:
    """The part of one calendar month inside a period."""

    month: str  # YYYY-MM
    first: date  # first day of the month inside the period
    last: date  # last day of the month inside the period
    days: int  # days of the month inside the period
    month_days: int  # days of the calendar month


@cache
def month_spans(start: date, end: date) -> tuple[MonthSpan, ...]:
    """The calendar months a period touches, each cut to the period."""
    spans: list[MonthSpan] = []
    year, month = start.year, start.month
    while start <= end and (year, month) <= (end.year, end.month):
        month_days = calendar.monthrange(year, month)[1]
        first = max(start, date(year, month, 1))
        last = min(end, date(year, month, month_days))
        spans.append(MonthSpan(f"{year:04d}-{month:02d}", first, last, (last - first).days + 1, month_days))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(spans)


# How a line's money is spread over the months: by a profile's twelve month weights, or evenly
# over the period's days (None).
Weights = tuple[Decimal, ...] | None


@cache
def profile_shares(weights: tuple[Decimal, ...], start: date, end: date) -> tuple[Fraction, ...]:
    """Each month's share of a line phased by month weights (January first):
    w_m x d_m / D_m / sum over the period's months of (w x d / D). All zero when every month of
    the period weighs zero (OPS103 at check time)."""
    raw = [Fraction(weights[int(span.month[5:]) - 1]) * span.days / span.month_days
           for span in month_spans(start, end)]
    total = sum(raw, ZERO)
    return tuple(share / total for share in raw) if total else tuple(ZERO for _ in raw)


@cache
def even_shares(start: date, end: date) -> tuple[Fraction, ...]:
    """Each month's share of a line spread evenly over the period's days: d_m / D."""
    days = (end - start).days + 1
    return tuple(Fraction(span.days, days) for span in month_spans(start, end))


def shares(weights: Weights, start: date, end: date) -> tuple[Fraction, ...]:
    return even_shares(start, end) if weights is None else profile_shares(weights, start, end)


# Never changed once built, but not frozen: a frozen dataclass is built field by field through
# object.__setattr__, several times slower, and a report builds one plan per budget line. It
# hashes like a frozen one.
@dataclass(slots=True, unsafe_hash=True)
class MonthPlan:
    """Planned amounts per month of a period (one line, or the sum of lines).

    It is kept as the money spread by shares, one total per way of spreading (evenly, or by a
    profile's weights), and the amounts scheduled month by month: lines are added up by adding
    totals (exact decimals), not twelve months each, and the months are worked out once, when
    first read (most even lines never need theirs). The months are exact fractions."""

    start: date
    end: date
    allocated: Decimal
    spread: tuple[tuple[Weights, Decimal], ...]  # (how it is spread, the amount spread that way)
    scheduled: tuple[Fraction, ...] | None  # per month_spans(start, end); None: no schedule
    even: bool  # every line in it is even: expected keeps format 1's formula
    _amounts: tuple[Fraction, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def spans(self) -> tuple[MonthSpan, ...]:
        return month_spans(self.start, self.end)

    @property
    def amounts(self) -> tuple[Fraction, ...]:
        """The planned amount of each month of month_spans(start, end)."""
        if self._amounts is None:
            amounts = list(self.scheduled) if self.scheduled is not None else [ZERO] * len(self.spans)
            for weights, amount in self.spread:
                exact = Fraction(amount)
                for index, share in enumerate(shares(weights, self.start, self.end)):
                    amounts[index] += exact * share
            object.__setattr__(self, "_amounts", tuple(amounts))  # a cache: the plan itself never changes
        assert self._amounts is not None
        return self._amounts

    @property
    def evenly_spread(self) -> Decimal | None:
        """The money, when all of it is spread evenly over the period's days (none by a profile,
        none scheduled); else None."""
        if self.scheduled is None and len(self.spread) == 1 and self.spread[0][0] is None:
            return self.spread[0][1]
        return None

    def cumulative(self, on: date) -> Fraction:
        """The planned amount of the days up to and including ``on``."""
        total = ZERO
        for span, amount in zip(self.spans, self.amounts, strict=True):
            if on >= span.last:
                total += amount
            elif on >= span.first:
                total += amount * ((on - span.first).days + 1) / span.days
                break
            else:
                break
        return total

    def expected(self, on: date) -> Decimal:
        """Expected spend on ``on``: 0 before the period, the allocation once it has ended."""
        if on < self.start:
            return Decimal(0)
        if on >= self.end:
            return self.allocated
        if self.even:
            # Format 1's formula, to the last digit: even plans keep every figure they had.
            days = (self.end - self.start).days + 1
            return self.allocated * ((on - self.start).days + 1) / days
        return to_decimal(self.cumulative(on))

    def planned(self) -> tuple[Decimal, ...]:
        return tuple(to_decimal(amount) for amount in self.amounts)


def to_decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def line_plan(allocated: Decimal, phasing: Phasing, weights: tuple[Decimal, ...] | None,
              start: date, end: date) -> MonthPlan:
    """A line's plan over its budget's period. ``weights`` are the twelve month weights of its
    profile (None for an even line or a schedule, or a profile unknown: then it is even)."""
    if phasing.schedule is not None:
        by_month: dict[str, Fraction] = {}
        for month in phasing.schedule:
            by_month[month.month] = by_month.get(month.month, ZERO) + Fraction(month.allocated)
        scheduled = tuple(by_month.get(span.month, ZERO) for span in month_spans(start, end))
        return MonthPlan(start, end, allocated, (), scheduled, False)
    if phasing.profile is not None and weights is not None and any(profile_shares(weights, start, end)):
        return MonthPlan(start, end, allocated, ((weights, allocated),), None, False)
    return MonthPlan(start, end, allocated, ((None, allocated),), None, True)


def combined(plans: Sequence[MonthPlan], start: date, end: date) -> MonthPlan:
    """The plan of several lines of one period (a department's, a budget's): what each spreads
    the same way is added up, and what they schedule month by month."""
    spread: dict[Weights, Decimal] = {}
    scheduled: list[Fraction] | None = None
    allocated = Decimal(0)
    even = True
    # One pass over the plans (a budget's are its tens of thousands of lines); the money spread
    # is added up through EXACT's own add, the allocations as any sum of decimals is.
    add_exactly = EXACT.add
    for plan in plans:
        for weights, amount in plan.spread:
            known = spread.get(weights)
            spread[weights] = amount if known is None else add_exactly(known, amount)
        if plan.scheduled is not None:
            if scheduled is None:
                scheduled = list(plan.scheduled)
            else:
                for index, month_amount in enumerate(plan.scheduled):
                    scheduled[index] += month_amount
        allocated += plan.allocated
        even = even and plan.even
    return MonthPlan(start, end, allocated, tuple(spread.items()), None if scheduled is None else tuple(scheduled),
                     even)


# Never changed once built, but not frozen, as MonthPlan: a report builds a month table for every
# department of every budget. It hashes like a frozen one.
@dataclass(slots=True, unsafe_hash=True)
class MonthRow:
    """One row of a budget's month-by-month table. ``actual``, ``variance`` and
    ``cumulative_actual`` are None for a month that starts after the as-of date; in the month
    holding it, the variance is against what was planned up to that date."""

    month: str
    planned: Decimal
    actual: Decimal | None
    variance: Decimal | None
    cumulative_planned: Decimal
    cumulative_actual: Decimal | None


def month_table(plan: MonthPlan, spend: Iterable[tuple[date, Decimal]], as_of: date) -> tuple[MonthRow, ...]:
    """Planned, actual (spend rows of the month up to ``as_of``), variance and cumulative figures
    per month of the plan's period."""
    spans = plan.spans
    index = {span.month: position for position, span in enumerate(spans)}
    actual = [Decimal(0)] * len(spans)
    for when, spent in spend:
        position = index.get(f"{when.year:04d}-{when.month:02d}")
        if position is not None and plan.start <= when <= as_of:
            actual[position] += spent
    return month_rows(plan, actual, as_of)


def month_rows(plan: MonthPlan, actual: Sequence[Decimal], as_of: date) -> tuple[MonthRow, ...]:
    """The month table of a plan given what was spent in each of its months up to ``as_of``."""
    evenly = plan.evenly_spread
    if evenly is not None:
        return month_rows_spread_evenly(plan, evenly, actual, as_of)
    return month_rows_by_amounts(plan, actual, as_of)


def month_rows_by_amounts(plan: MonthPlan, actual: Sequence[Decimal], as_of: date) -> tuple[MonthRow, ...]:
    """month_rows of any plan, from its month amounts (fractions)."""
    rows: list[MonthRow] = []
    planned_so_far, actual_so_far = ZERO, Decimal(0)
    for position, (span, amount) in enumerate(zip(plan.spans, plan.amounts, strict=True)):
        planned_so_far += amount
        if span.first > as_of:
            rows.append(MonthRow(span.month, to_decimal(amount), None, None, to_decimal(planned_so_far), None))
            continue
        actual_so_far += actual[position]
        due = amount if as_of >= span.last else amount * ((as_of - span.first).days + 1) / span.days
        rows.append(MonthRow(span.month, to_decimal(amount), actual[position], actual[position] - to_decimal(due),
                             to_decimal(planned_so_far), actual_so_far))
    return tuple(rows)


def month_rows_spread_evenly(plan: MonthPlan, amount: Decimal, actual: Sequence[Decimal],
                             as_of: date) -> tuple[MonthRow, ...]:
    """month_rows of a plan spreading ``amount`` evenly over its period's days, in integers: every
    figure is amount x days / period days, one numerator over one denominator. A quotient of
    integers is the decimal to_decimal gives for the same fraction, reduced or not."""
    numerator, denominator = amount.as_integer_ratio()
    over = Decimal(denominator * ((plan.end - plan.start).days + 1))
    rows: list[MonthRow] = []
    days_so_far, actual_so_far = 0, Decimal(0)
    for position, span in enumerate(plan.spans):
        days_so_far += span.days
        planned = Decimal(numerator * span.days) / over
        cumulative_planned = Decimal(numerator * days_so_far) / over
        if span.first > as_of:
            rows.append(MonthRow(span.month, planned, None, None, cumulative_planned, None))
            continue
        spent = actual[position]
        actual_so_far += spent
        due = planned if as_of >= span.last else Decimal(numerator * ((as_of - span.first).days + 1)) / over
        rows.append(MonthRow(span.month, planned, spent, spent - due, cumulative_planned, actual_so_far))
    return tuple(rows)


def first_day_above(plan: MonthPlan, threshold: Fraction) -> date | None:
    """The first day of the period whose planned cumulative amount is more than ``threshold``;
    found month by month, then inside the month in closed form (no loop over days)."""
    before = ZERO
    for span, amount in zip(plan.spans, plan.amounts, strict=True):
        if before + amount > threshold:
            # before + amount x k / days > threshold  <=>  k > (threshold - before) x days / amount
            return span.first + timedelta(days=math.floor((threshold - before) * span.days / amount))
        before += amount
    return None
