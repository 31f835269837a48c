"""Capacity figures (format 1.1, section 8), each against a figure computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from opsplan.formulas.capacity import (
    above_target,
    actual_utilisation,
    bottlenecks,
    calendar_period,
    fte_needed,
    latest_complete_period,
    per_period,
    planned_utilisation,
    tenths,
    wip,
)
from opsplan.model import Capacity, Demand, Origin, Period, Process, ProcessType


def capacity(per: Period, value: int | None = None, per_fte: int | None = None, fte: str | None = None) -> Capacity:
    return Capacity("orders", per, None if value is None else Decimal(value),
                    None if per_fte is None else Decimal(per_fte), None if fte is None else Decimal(fte))


def test_periods_convert_through_their_days() -> None:
    # A month is 365/12 days: 7,000 a week is 7,000 x (365/12) / 7 = 30,416 2/3 a month.
    assert per_period(Decimal(7000), Period.WEEK, Period.MONTH) == Fraction(91_250, 3)
    # and back: 30,416 2/3 a month is 7,000 a week, exactly.
    assert per_period(Fraction(91_250, 3), Period.MONTH, Period.WEEK) == 7000
    assert per_period(Decimal(12), Period.YEAR, Period.QUARTER) == 3
    assert per_period(Decimal(2), Period.DAY, Period.YEAR) == 730


def test_planned_utilisation_converts_demand_into_the_capacitys_period() -> None:
    # 26,000 a month against 7,000 a week (30,416.67 a month): 85.479...% -> 85.5%.
    assert planned_utilisation(capacity(Period.WEEK, 7000), Demand(Period.MONTH, Decimal(26_000))) == Decimal("85.5")
    # 410,000 against 425,000 a month: 96.47% -> 96.5%.
    assert planned_utilisation(capacity(Period.MONTH, 425_000), Demand(Period.MONTH, Decimal(410_000))) == Decimal("96.5")


def test_a_staff_based_capacity_is_per_fte_times_fte() -> None:
    staffed = capacity(Period.MONTH, per_fte=2300, fte="185")
    assert staffed.amount == 425_500
    # 410,000 / 425,500 = 96.357...% -> 96.4%.
    demand = Demand(Period.MONTH, Decimal(410_000))
    assert planned_utilisation(staffed, demand) == Decimal("96.4")
    # At 85%: ceil(410,000 / (2,300 x 0.85)) - 185 = ceil(209.72) - 185 = 25 more people.
    assert fte_needed(staffed, demand, Decimal(85)) == 25
    assert fte_needed(staffed, Demand(Period.MONTH, Decimal(100_000)), Decimal(85)) == 0
    assert fte_needed(capacity(Period.MONTH, 425_000), demand, Decimal(85)) is None


def test_a_utilisation_of_exactly_the_target_is_not_above_it() -> None:
    at_target = planned_utilisation(capacity(Period.DAY, 1000), Demand(Period.DAY, Decimal(850)))
    assert at_target == Decimal("85.0")
    assert not above_target(at_target, Decimal(85))
    assert above_target(planned_utilisation(capacity(Period.DAY, 1000), Demand(Period.DAY, Decimal("850.5"))),
                        Decimal(85))
    # 85.04% is read as 85.0%: at target, as people see it.
    assert not above_target(planned_utilisation(capacity(Period.DAY, 10_000), Demand(Period.DAY, Decimal(8504))),
                            Decimal(85))


def test_percentages_round_half_up_to_one_decimal() -> None:
    assert tenths(Fraction(8545, 100)) == Decimal("85.5")
    assert tenths(Fraction(8544, 100)) == Decimal("85.4")


def test_calendar_periods_are_iso_weeks_months_quarters_and_years() -> None:
    # 2027-03-31 is a Wednesday: its ISO week runs Monday 2027-03-29 to Sunday 2027-04-04.
    assert calendar_period(date(2027, 3, 31), Period.WEEK) == (date(2027, 3, 29), date(2027, 4, 4))
    assert calendar_period(date(2028, 2, 10), Period.MONTH) == (date(2028, 2, 1), date(2028, 2, 29))
    assert calendar_period(date(2027, 5, 10), Period.QUARTER) == (date(2027, 4, 1), date(2027, 6, 30))
    assert calendar_period(date(2027, 5, 10), Period.YEAR) == (date(2027, 1, 1), date(2027, 12, 31))
    # The latest complete week on that Wednesday is the one that ended on Sunday 2027-03-28.
    assert latest_complete_period(date(2027, 3, 31), Period.WEEK) == (date(2027, 3, 22), date(2027, 3, 28))
    assert latest_complete_period(date(2027, 3, 31), Period.MONTH) == (date(2027, 3, 1), date(2027, 3, 31))
    assert latest_complete_period(date(2027, 3, 30), Period.MONTH) == (date(2027, 2, 1), date(2027, 2, 28))
    assert latest_complete_period(date(2027, 1, 5), Period.QUARTER) == (date(2026, 10, 1), date(2026, 12, 31))


def test_actual_utilisation_is_the_volume_of_the_latest_complete_period() -> None:
    monthly = capacity(Period.MONTH, 425_000)
    rows = [(date(2027, 2, 28), Decimal(380_000)), (date(2027, 3, 15), Decimal(200_000)),
            (date(2027, 3, 31), Decimal(198_000)), (date(2027, 4, 2), Decimal(5))]
    # On 2027-03-31, March is complete: 200,000 + 198,000 = 398,000 / 425,000 = 93.6%.
    assert actual_utilisation(rows, monthly, date(2027, 3, 31)) == Decimal("93.6")
    # On 2027-03-30 it is not: February's 380,000 / 425,000 = 89.4%.
    assert actual_utilisation(rows, monthly, date(2027, 3, 30)) == Decimal("89.4")
    # No row in the latest complete period: unknown, not zero.
    assert actual_utilisation(rows, monthly, date(2027, 6, 30)) is None
    weekly = capacity(Period.WEEK, 10_000)
    week_rows = [(date(2027, 3, 22), Decimal(4000)), (date(2027, 3, 28), Decimal(4500)),
                 (date(2027, 3, 29), Decimal(9000))]
    assert actual_utilisation(week_rows, weekly, date(2027, 3, 31)) == Decimal("85.0")


def test_wip_by_littles_law() -> None:
    # 410,000 a month is 410,000 / (365/12 x 24) = 561.64 an hour; with a 4-hour cycle, 2,246.6 in progress.
    assert wip(Demand(Period.MONTH, Decimal(410_000)), Decimal(4)) == Decimal("2246.6")
    # 168 a week is 1 an hour; a 2-day cycle (48 hours) holds 48.
    assert wip(Demand(Period.WEEK, Decimal(168)), Decimal(48)) == Decimal("48.0")


def process(id: str, depends_on: tuple[str, ...] = ()) -> Process:
    return Process(id, id, "ops", ProcessType.CORE, depends_on, (), None, (), None, (), {}, Origin("p.yaml", None))


def test_each_connected_part_has_its_most_utilised_process_as_bottleneck() -> None:
    processes = {id: process(id, deps) for id, deps in [
        ("intake", ()), ("picking", ("intake",)), ("shipping", ("picking",)),
        ("returns", ()), ("refunds", ("returns",)), ("payroll", ())]}
    utilisation = {"intake": Decimal("70.0"), "picking": Decimal("96.4"), "shipping": Decimal("88.0"),
                   "returns": Decimal("60.0"), "refunds": Decimal("60.0")}
    # Ties go to the first in plan order; payroll has no utilisation, so its part has no bottleneck.
    assert bottlenecks(processes, utilisation) == {"picking", "returns"}
