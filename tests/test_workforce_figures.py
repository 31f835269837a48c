"""Workforce figures (format 1.1, section 7), each against a figure computed by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from opsplan.formulas.workforce import (
    Requisitions,
    actual_attrition,
    hire_date,
    lead_days,
    planned_headcount,
    planned_hires,
    requisitions,
    role_cost,
    seat_days,
)
from opsplan.model import Duration, DurationUnit, HiringRole, Money, Origin

NOWHERE = Origin("plan.yaml", None)


def role(count: int, start: date, by: date, annual_cost: int | None = None,
         time_to_fill: Duration | None = None) -> HiringRole:
    cost = None if annual_cost is None else Decimal(annual_cost)
    return HiringRole("associate", count, start, None if cost is None else Money(cost, "USD"), cost, NOWHERE,
                      department="warehouse", by=by, time_to_fill=time_to_fill)


# 12 hires from 2027-04-01 to 2027-09-30: a window of 30 + 31 + 30 + 31 + 31 + 30 = 183 days.
ASSOCIATES = role(12, date(2027, 4, 1), date(2027, 9, 30), annual_cost=52_000)


def test_planned_hires_spread_over_the_window() -> None:
    assert planned_hires(ASSOCIATES, date(2027, 3, 31)) == 0
    # 2027-06-30 is day 91 of 183: floor(12 x 91 / 183) = floor(5.97) = 5.
    assert planned_hires(ASSOCIATES, date(2027, 6, 30)) == 5
    assert planned_hires(ASSOCIATES, date(2027, 9, 30)) == 12
    assert planned_hires(ASSOCIATES, date(2028, 1, 1)) == 12


def test_the_i_th_hire_is_planned_on_the_first_day_the_count_reaches_it() -> None:
    # Day ceil(i x 183 / 12): 16 (2027-04-16) for the first, 183 (2027-09-30) for the last.
    assert hire_date(ASSOCIATES, 1) == date(2027, 4, 16)
    assert hire_date(ASSOCIATES, 6) == date(2027, 7, 1)  # day ceil(91.5) = 92
    assert hire_date(ASSOCIATES, 12) == date(2027, 9, 30)
    assert planned_hires(ASSOCIATES, date(2027, 4, 15)) == 0
    assert planned_hires(ASSOCIATES, date(2027, 4, 16)) == 1


def test_a_role_whose_by_is_its_start_hires_everyone_that_day() -> None:
    one_day = role(5, date(2027, 3, 1), date(2027, 3, 1), annual_cost=36_500)
    assert planned_hires(one_day, date(2027, 2, 28)) == 0
    assert planned_hires(one_day, date(2027, 3, 1)) == 5
    assert hire_date(one_day, 1) == hire_date(one_day, 5) == date(2027, 3, 1)
    # Five people from 2027-03-01 to 2027-12-31 (306 days) at 36,500 a year: 5 x 100 x 306 = 153,000.
    assert role_cost(one_day, date(2027, 1, 1), date(2027, 12, 31)) == 153_000


def test_role_cost_counts_each_hire_from_its_date_to_the_budgets_end() -> None:
    # Hires on window days 16, 31, 46, ..., 183 (ceil of 15.25 i) sit 276 - day days in 2027 (a hire
    # on day 1, April 1, would sit 275: April to December):
    # 12 x 276 - (16 + 31 + 46 + 61 + 77 + 92 + 107 + 122 + 138 + 153 + 168 + 183) = 3,312 - 1,194 = 2,118.
    assert seat_days(ASSOCIATES, date(2027, 1, 1), date(2027, 12, 31)) == 2_118
    # 52,000 x 2,118 / 365 = 301,742.47 (rounded to cents).
    cost = role_cost(ASSOCIATES, date(2027, 1, 1), date(2027, 12, 31))
    assert cost == Fraction(52_000 * 2_118, 365) and round(float(cost), 2) == 301_742.47


def test_a_role_spanning_two_budgets_costs_in_each_its_days_in_seat() -> None:
    # Two hires from 2027-12-01 to 2028-01-31 (62 days): days 31 (2027-12-31) and 62 (2028-01-31).
    winter = role(2, date(2027, 12, 1), date(2028, 1, 31), annual_cost=73_000)
    assert (hire_date(winter, 1), hire_date(winter, 2)) == (date(2027, 12, 31), date(2028, 1, 31))
    # 2027: the first hire sits one day. 2028 (366 days): the first all year, the second from 01-31: 336.
    assert seat_days(winter, date(2027, 1, 1), date(2027, 12, 31)) == 1
    assert seat_days(winter, date(2028, 1, 1), date(2028, 12, 31)) == 366 + 336
    assert role_cost(winter, date(2027, 1, 1), date(2027, 12, 31)) == 200
    assert role_cost(winter, date(2028, 1, 1), date(2028, 12, 31)) == 200 * 702


def test_a_hire_planned_after_a_budgets_end_costs_it_nothing() -> None:
    later = role(3, date(2028, 2, 1), date(2028, 3, 31), annual_cost=50_000)
    assert seat_days(later, date(2027, 1, 1), date(2027, 12, 31)) == 0
    assert role_cost(later, date(2027, 1, 1), date(2027, 12, 31)) == 0
    assert role_cost(role(3, date(2027, 2, 1), date(2027, 3, 31)), date(2027, 1, 1), date(2027, 12, 31)) == 0


def test_requisitions_open_time_to_fill_before_each_hire() -> None:
    six_weeks = role(12, date(2027, 4, 1), date(2027, 9, 30), time_to_fill=Duration(Decimal(6), DurationUnit.WEEKS))
    assert lead_days(six_weeks.time_to_fill) == 42
    assert lead_days(Duration(Decimal("1.5"), DurationUnit.DAYS)) == 2  # part of a day opens a day earlier
    # On 2027-05-20 the hires planned by 2027-07-01 (day 92: 6) should have requisitions open;
    # by 2027-06-19 + 42 = 2027-07-31 (day 122: floor(12 x 122 / 183) = 8), two more are due.
    # The 7th hire is on day ceil(106.75) = 107, 2027-07-16: its requisition opens 42 days before.
    assert requisitions(six_weeks, date(2027, 5, 20)) == Requisitions(6, 2, date(2027, 6, 4))
    assert hire_date(six_weeks, 7) == date(2027, 7, 16)
    done = requisitions(six_weeks, date(2027, 9, 1))
    assert (done.open_by_now, done.due_next_30_days, done.next_open_date) == (12, 0, None)


def test_planned_headcount_is_net_of_attrition_from_the_horizon_start() -> None:
    # 140 people, 9% a year, 2027-01-01 to 2027-07-01 (181 days): floor(140 x 0.09 x 181 / 365) = 6 leave.
    assert planned_headcount(140, 10, Decimal(9), date(2027, 1, 1), date(2027, 7, 1)) == 144
    assert planned_headcount(140, 10, None, date(2027, 1, 1), date(2027, 7, 1)) == 150


@given(headcount=st.integers(-50, 100_000), hires=st.integers(0, 1_000),
       attrition=st.none() | st.decimals(-100, 100, places=3) | st.decimals(0, 100, places=12),
       days=st.integers(-30, 4_000))
def test_planned_headcount_is_the_fraction_formula_truncated(headcount: int, hires: int, attrition: Decimal | None,
                                                             days: int) -> None:
    # Worked out in integers: it must truncate as int() of the exact fraction does, below zero too.
    start = date(2027, 1, 1)
    leavers = Fraction(headcount) * Fraction(attrition or 0) / 100 * max(0, days) / 365
    assert planned_headcount(headcount, hires, attrition, start, start + timedelta(days=days)) == (
        headcount + hires - int(leavers))


def test_attrition_on_a_department_with_no_hires() -> None:
    # 100 people at 9% a year: after a whole year (365 days) 9 have left, after 364 days floor(8.98) = 8.
    assert planned_headcount(100, 0, Decimal(9), date(2027, 1, 1), date(2028, 1, 1)) == 91
    assert planned_headcount(100, 0, Decimal(9), date(2027, 1, 1), date(2027, 12, 31)) == 92
    assert planned_headcount(100, 0, Decimal(9), date(2027, 1, 1), date(2027, 1, 1)) == 100


def test_actual_attrition_is_leavers_annualised() -> None:
    # Warehouse: 185 people, 14 hired, 193 counted on 2027-03-31 (89 days after 2027-01-01):
    # 6 left; 6 / 185 x 365 / 89 = 13.3% a year.
    figures = actual_attrition(185, 14, 193, 89)
    assert figures.leavers == 6
    assert figures.annualised_pct == Fraction(6 * 365 * 100, 185 * 89)
    assert round(float(figures.annualised_pct or 0), 1) == 13.3
    assert actual_attrition(0, 3, 2, 89).annualised_pct is None
    assert actual_attrition(10, 0, 10, 0).annualised_pct is None


@given(count=st.integers(1, 60), span=st.integers(0, 400), start_offset=st.integers(-400, 400),
       length=st.integers(0, 500))
def test_closed_form_seat_days_match_counting_each_hire(count: int, span: int, start_offset: int, length: int) -> None:
    start = date(2027, 1, 1)
    hiring = role(count, start, start + timedelta(days=span))
    window_start = start + timedelta(days=start_offset)
    window_end = window_start + timedelta(days=length)
    dates = [hire_date(hiring, index) for index in range(1, count + 1)]
    assert dates == sorted(dates) and dates[-1] == hiring.hired_by
    assert all(planned_hires(hiring, day) >= index for index, day in enumerate(dates, 1))
    assert all(planned_hires(hiring, day - timedelta(days=1)) < index for index, day in enumerate(dates, 1))
    expected = sum((window_end - max(day, window_start)).days + 1 for day in dates if day <= window_end)
    assert seat_days(hiring, window_start, window_end) == expected


def test_a_huge_count_is_figured_at_once() -> None:
    huge = role(10**15, date(2027, 1, 1), date(2027, 12, 31), annual_cost=1)
    assert planned_hires(huge, date(2027, 12, 31)) == 10**15
    assert seat_days(huge, date(2027, 1, 1), date(2027, 12, 31)) > 0
