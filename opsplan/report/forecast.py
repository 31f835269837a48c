"""Forecast at completion of a line, department or budget (format 1.1, section 3): the pace so
far continues along the phased plan (EAC = AC x BAC / PV)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from opsplan.report.phasing import MonthPlan, first_day_above

# Before this share of the allocation is expected, a forecast would extrapolate from noise.
TOO_EARLY_SHARE = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Forecast:
    forecast: Decimal | None  # None: too early to tell
    forecast_variance: Decimal | None  # forecast - allocated
    run_out: date | None  # when forecast > allocated: the first day the allocation is used up


def forecast_at_completion(plan: MonthPlan, actual: Decimal, as_of: date) -> Forecast:
    """``forecast`` = allocated x actual / expected once expected >= 10% of allocated; after the
    period has ended, the actual; none before. ``run_out``: when forecast > allocated, the first
    day of the period on which planned_cumulative(day) x actual / expected > allocated."""
    return Forecast(*forecast_figures(plan, actual, as_of, plan.expected(as_of)))


def forecast_figures(plan: MonthPlan, actual: Decimal, as_of: date,
                     expected: Decimal) -> tuple[Decimal | None, Decimal | None, date | None]:
    """forecast_at_completion's forecast, forecast variance and run-out date, given what the plan
    expects on ``as_of`` (``plan.expected(as_of)``): a burn has worked it out already, and a
    report builds one for every budget line."""
    allocated = plan.allocated
    if as_of > plan.end:
        return actual, actual - allocated, None
    if expected == 0 or expected < allocated * TOO_EARLY_SHARE:
        return None, None, None
    forecast = allocated * actual / expected
    run_out = None
    if forecast > allocated:
        # planned_cumulative(day) > allocated x expected / actual; expected as the plan has it.
        exact_expected = Fraction(expected) if plan.even else plan.cumulative(as_of)
        run_out = first_day_above(plan, Fraction(allocated) * exact_expected / Fraction(actual))
    return forecast, forecast - allocated, run_out
