"""Properties of month plans on generated amounts and periods: money spread the same way adds up
exactly (as the fractions of every line would), and the month table of a plan spread evenly,
worked out in integers, is the one worked out from its month amounts, to the last digit of every
decimal (its exponent included, which == does not compare)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from opsplan.model import EVEN, Phasing
from opsplan.report.phasing import (
    MonthPlan,
    MonthRow,
    combined,
    line_plan,
    month_rows,
    month_rows_by_amounts,
    month_rows_spread_evenly,
    month_spans,
)

# Plan amounts go up to 10^15 with up to 30 decimal places: sums of them need more digits than
# a decimal context keeps by default.
amounts = st.builds(lambda units, places: Decimal(units).scaleb(-places),
                    st.integers(0, 10**17), st.integers(0, 30))
periods = st.builds(lambda start, days: (start, start + timedelta(days=days)),
                    st.dates(date(2026, 1, 1), date(2029, 12, 31)), st.integers(0, 800))
FLAT = tuple(Decimal(1) for _ in range(12))


def exactly(rows: tuple[MonthRow, ...]) -> list[tuple[object, ...]]:
    return [(row.month, *(None if value is None else value.as_tuple() for value in (
        row.planned, row.actual, row.variance, row.cumulative_planned, row.cumulative_actual))) for row in rows]


def even_plan(allocations: list[Decimal], start: date, end: date) -> MonthPlan:
    return combined([line_plan(allocated, EVEN, None, start, end) for allocated in allocations], start, end)


@settings(max_examples=300, deadline=None)
@given(allocations=st.lists(amounts, min_size=1, max_size=6), period=periods,
       as_of_offset=st.integers(-40, 840), spent=st.lists(amounts, min_size=60, max_size=60))
def test_the_month_table_of_an_even_plan_is_the_one_from_its_month_amounts(
        allocations: list[Decimal], period: tuple[date, date], as_of_offset: int, spent: list[Decimal]) -> None:
    start, end = period
    plan = even_plan(allocations, start, end)
    evenly = plan.evenly_spread
    assert evenly is not None
    actual = spent[:len(month_spans(start, end))]
    as_of = start + timedelta(days=as_of_offset)
    assert exactly(month_rows_spread_evenly(plan, evenly, actual, as_of)) == exactly(
        month_rows_by_amounts(plan, actual, as_of))


@settings(max_examples=200, deadline=None)
@given(allocations=st.lists(amounts, min_size=1, max_size=8), profiled=st.lists(st.booleans(), min_size=8,
                                                                              max_size=8), period=periods)
def test_money_spread_the_same_way_adds_up_exactly(allocations: list[Decimal], profiled: list[bool],
                                                   period: tuple[date, date]) -> None:
    start, end = period
    lines = [line_plan(allocated, Phasing(profile="flat") if by_profile else EVEN, FLAT if by_profile else None,
                       start, end) for allocated, by_profile in zip(allocations, profiled, strict=False)]
    plan = combined(lines, start, end)
    for weights, amount in plan.spread:
        assert Fraction(amount) == sum((Fraction(line.allocated) for line in lines if line.spread[0][0] == weights),
                                       Fraction(0))
    month_sums = [sum(months, Fraction(0)) for months in zip(*(line.amounts for line in lines), strict=True)]
    assert list(plan.amounts) == month_sums
    # Only an even plan takes the integer month table.
    assert (plan.evenly_spread is not None) == (not any(profiled[:len(allocations)]))
    table = month_rows(plan, [Decimal(0)] * len(plan.spans), end)
    assert exactly(table) == exactly(month_rows_by_amounts(plan, [Decimal(0)] * len(plan.spans), end))
