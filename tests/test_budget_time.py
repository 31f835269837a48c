"""Budgets that follow the calendar: phasing, expected, month tables, forecast at completion,
earned value, staleness and tolerances. Every figure is hand-computed, to the cent."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from conftest import BASE_PLAN, ROOT_FILE, PlanWriter, check, findings

from opsplan.model import EVEN, Cadence, Money, Phasing, ReportSettings, ScheduledMonth
from opsplan.report.earned_value import earned_value
from opsplan.report.forecast import forecast_at_completion
from opsplan.report.phasing import line_plan, month_table
from opsplan.report.staleness import is_stale
from opsplan.report.tolerance import band, pace

PEAK = tuple(Decimal(w) for w in (6, 6, 7, 7, 8, 8, 8, 8, 9, 10, 11, 12))  # adds up to 100
FLAT = tuple(Decimal(1) for _ in range(12))
FY = (date(2027, 1, 1), date(2027, 12, 31))


def cents(value: Decimal | None) -> str:
    assert value is not None
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def schedule(**months: str) -> Phasing:
    return Phasing(schedule=tuple(ScheduledMonth(month.replace("_", "-")[1:], Money(Decimal(amount), "USD"),
                                                 Decimal(amount)) for month, amount in months.items()))


def test_even_keeps_the_straight_line() -> None:
    plan = line_plan(Decimal(365_000), EVEN, None, *FY)
    assert cents(plan.expected(date(2027, 3, 31))) == "90000.00"  # 365,000 x 90 / 365


def test_a_profile_weighs_whole_months() -> None:
    plan = line_plan(Decimal(4_800_000), Phasing(profile="peak"), PEAK, *FY)
    assert [cents(amount) for amount in plan.planned()[:3]] == ["288000.00", "288000.00", "336000.00"]
    assert cents(plan.expected(date(2027, 3, 31))) == "912000.00"  # (6 + 6 + 7) / 100 x 4.8M
    assert cents(plan.expected(date(2027, 2, 14))) == "432000.00"  # 288,000 + 288,000 x 14 / 28
    assert sum(plan.planned()) == Decimal(4_800_000)


def test_a_schedule_spends_its_months_evenly_over_their_days() -> None:
    plan = line_plan(Decimal(1_200_000), schedule(_2027_03="800000", _2027_09="400000"), None, *FY)
    assert cents(plan.expected(date(2027, 2, 28))) == "0.00"
    assert cents(plan.expected(date(2027, 3, 10))) == "258064.52"  # 800,000 x 10 / 31
    assert cents(plan.expected(date(2027, 6, 30))) == "800000.00"


def test_a_period_shorter_than_a_month() -> None:
    start, end = date(2027, 2, 10), date(2027, 2, 19)
    for phasing, weights in ((EVEN, None), (Phasing(profile="peak"), PEAK)):
        assert cents(line_plan(Decimal(1000), phasing, weights, start, end).expected(date(2027, 2, 14))) == "500.00"


def test_a_schedule_month_partly_outside_the_period() -> None:
    # January has 17 days in the period (15 to 31): its 170 are spread over those days.
    plan = line_plan(Decimal(1000), schedule(_2027_01="170", _2027_02="830"), None, date(2027, 1, 15), FY[1])
    assert cents(plan.expected(date(2027, 1, 20))) == "60.00"  # 170 x 6 / 17


def test_a_zero_weight_month_plans_nothing() -> None:
    weights = (Decimal(0), *FLAT[1:])
    plan = line_plan(Decimal(1100), Phasing(profile="no-jan"), weights, *FY)
    assert cents(plan.expected(date(2027, 1, 31))) == "0.00"
    assert cents(plan.planned()[1]) == "100.00"  # 1,100 / 11 months
    assert cents(plan.expected(date(2027, 2, 14))) == "50.00"


def test_a_leap_year() -> None:
    assert cents(line_plan(Decimal(366_000), EVEN, None, date(2028, 1, 1), date(2028, 12, 31))
                 .expected(date(2028, 2, 29))) == "60000.00"  # 60 of 366 days
    # 15 of February's 29 days and all of March: shares 15/29 and 1 of 44/29, i.e. 15/44 and 29/44.
    plan = line_plan(Decimal(4400), Phasing(profile="flat"), FLAT, date(2028, 2, 15), date(2028, 3, 31))
    assert [cents(amount) for amount in plan.planned()] == ["1500.00", "2900.00"]
    assert cents(plan.expected(date(2028, 2, 29))) == "1500.00"
    assert cents(plan.expected(date(2028, 3, 10))) == "2435.48"  # 1,500 + 2,900 x 10 / 31


def test_before_and_after_the_period() -> None:
    plan = line_plan(Decimal(4_800_000), Phasing(profile="peak"), PEAK, *FY)
    assert plan.expected(date(2026, 12, 31)) == 0
    assert plan.expected(date(2028, 1, 1)) == Decimal(4_800_000)


def test_month_table() -> None:
    plan = line_plan(Decimal(4_800_000), Phasing(profile="peak"), PEAK, *FY)
    spend = [(date(2027, 1, 31), Decimal(300_000)), (date(2027, 2, 28), Decimal(250_000)),
             (date(2027, 3, 20), Decimal(100_000)), (date(2027, 4, 5), Decimal(99))]
    rows = month_table(plan, spend, date(2027, 3, 20))
    shown = [(r.month, cents(r.planned), r.actual and cents(r.actual), r.variance and cents(r.variance),
              cents(r.cumulative_planned), r.cumulative_actual and cents(r.cumulative_actual)) for r in rows[:4]]
    assert shown == [
        ("2027-01", "288000.00", "300000.00", "12000.00", "288000.00", "300000.00"),
        ("2027-02", "288000.00", "250000.00", "-38000.00", "576000.00", "550000.00"),
        # the running month: against 336,000 x 20 / 31 = 216,774.19 planned so far
        ("2027-03", "336000.00", "100000.00", "-116774.19", "912000.00", "650000.00"),
        ("2027-04", "336000.00", None, None, "1248000.00", None),
    ]
    assert len(rows) == 12 and rows[-1].cumulative_planned == Decimal(4_800_000)


def test_forecast_waits_for_ten_percent_then_runs_out() -> None:
    plan = line_plan(Decimal(365_000), EVEN, None, *FY)
    early = forecast_at_completion(plan, Decimal(40_000), date(2027, 1, 31))  # 31,000 expected < 36,500
    assert (early.forecast, early.forecast_variance, early.run_out) == (None, None, None)
    result = forecast_at_completion(plan, Decimal(44_400), date(2027, 2, 6))  # 37,000 expected
    assert cents(result.forecast) == "438000.00"  # 365,000 x 44,400 / 37,000
    assert cents(result.forecast_variance) == "73000.00"
    # 1,000 a day x 44,400 / 37,000 passes 365,000 on day 305: 1 November
    assert result.run_out == date(2027, 11, 1)


def test_forecast_of_a_phased_line_runs_out_inside_a_month() -> None:
    plan = line_plan(Decimal(4_800_000), Phasing(profile="peak"), PEAK, *FY)
    result = forecast_at_completion(plan, Decimal(1_140_000), date(2027, 3, 31))  # 912,000 expected
    assert cents(result.forecast) == "6000000.00"  # 4.8M x 1.25
    # cumulative x 1.25 > 4.8M  <=>  cumulative > 3,840,000: end of October is 3,696,000 (77%);
    # November plans 528,000 over 30 days (17,600 a day): 144,000 more takes more than 8.18 days,
    # so the allocation runs out on 9 November.
    assert result.run_out == date(2027, 11, 9)


def test_forecast_before_the_start_and_after_the_end() -> None:
    plan = line_plan(Decimal(365_000), EVEN, None, *FY)
    assert forecast_at_completion(plan, Decimal(0), date(2026, 12, 1)).forecast is None
    ended = forecast_at_completion(plan, Decimal(370_000), date(2028, 1, 15))
    assert (cents(ended.forecast), cents(ended.forecast_variance), ended.run_out) == ("370000.00", "5000.00", None)


def test_earned_value() -> None:
    # 2027-02-01 to 2027-11-30 is 303 days; on 2027-03-31, 59 have elapsed.
    figures = earned_value(Decimal(303_000), Decimal(50_000), date(2027, 2, 1), date(2027, 11, 30),
                           date(2027, 3, 31), Decimal(15))
    assert cents(figures.pv) == "59000.00" and cents(figures.ev) == "45450.00"
    assert str(figures.planned_pct.quantize(Decimal("0.1"))) == "19.5"
    assert cents(figures.cpi) == "0.91" and cents(figures.spi) == "0.77"
    assert cents(figures.eac) == "333333.33"  # 50,000 + 257,550 / 0.909
    assert cents(figures.vac) == "-30333.33"
    assert figures.forecast_end == date(2028, 2, 29)  # start + ceil(303 x 59,000 / 45,450) - 1 = + 393 days


def test_earned_value_without_progress_or_spend() -> None:
    figures = earned_value(Decimal(1000), Decimal(0), date(2027, 2, 1), date(2027, 11, 30), date(2027, 1, 15), None)
    assert (figures.pv, figures.ev, figures.cpi, figures.spi, figures.forecast_end) == (0, None, None, None, None)
    assert (figures.eac, figures.vac) == (Decimal(1000), Decimal(0))


def test_stale_after_one_and_a_half_cadences() -> None:
    assert not is_stale(date(2027, 2, 14), date(2027, 3, 31), Cadence.MONTHLY)  # 45 days
    assert is_stale(date(2027, 2, 14), date(2027, 4, 1), Cadence.MONTHLY)  # 46 days
    assert not is_stale(date(2027, 3, 21), date(2027, 3, 31), Cadence.WEEKLY)  # 10 of 10.5 days
    assert is_stale(date(2027, 3, 20), date(2027, 3, 31), Cadence.WEEKLY)
    assert not is_stale(None, date(2027, 3, 31), Cadence.DAILY) and not is_stale(date(2020, 1, 1), date(2027, 3, 31), None)


def test_tolerance_bands() -> None:
    assert band(Decimal(105), Decimal(100), ReportSettings().tolerance) == "on-plan"  # exactly 5%: on plan
    assert band(Decimal("105.01"), Decimal(100), Decimal(5)) == "over"
    assert band(Decimal(110), Decimal(100), Decimal(10)) == "on-plan"
    assert band(Decimal("94.99"), Decimal(100), Decimal(5)) == "under"
    assert pace(Decimal(0), Decimal(2), Decimal(0), Decimal(10)) == "on-track"
    assert pace(Decimal("0.2"), Decimal(2), Decimal(0), Decimal(10)) == "at-risk"
    assert pace(Decimal("0.21"), Decimal(2), Decimal(0), Decimal(10)) == "off-track"
    assert pace(Decimal("0.1"), Decimal(2), Decimal(5), Decimal(10)) == "on-track"


# -- the format ----------------------------------------------------------------------------------

ROOT_11 = ROOT_FILE + """\
report: {tolerance: 8, materiality: 25_000}
profiles:
  peak-season: {jan: 6, feb: 6, mar: 7, apr: 7, may: 8, jun: 8, jul: 8, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12}
  winter: {jan: 1, feb: 1, mar: 0, apr: 0, may: 0, jun: 0, jul: 0, aug: 0, sep: 0, oct: 0, nov: 0, dec: 1}
"""


def test_phasing_tolerance_and_cadence_are_read(write_plan: PlanWriter) -> None:
    plan_text = (BASE_PLAN
                 .replace("program: automation}", "program: automation, phasing: {2027-03: 90, 2027-09: 9.90}}")
                 .replace("category: people, process: picking}", "category: people, process: picking, "
                          "phasing: peak-season, tolerance: 2}")
                 .replace("        cap: 600\n", "        cap: 600\n        tolerance: 3\n")
                 .replace("target: 120}", "target: 120, cadence: weekly}"))
    result = check(write_plan({"plan.yaml": plan_text}, root_file=ROOT_11))
    assert findings(result) == []
    assert result.plan is not None
    settings = result.plan.settings
    assert (settings.report.tolerance, settings.report.materiality, settings.report.at_risk) == (8, 25_000, 10)
    assert settings.profiles["peak-season"].weights == PEAK
    salaries, robots = result.plan.budgets["fy2027"].lines
    assert (salaries.phasing.profile, salaries.tolerance) == ("peak-season", 2)
    assert robots.phasing.schedule is not None and [m.month for m in robots.phasing.schedule] == ["2027-03", "2027-09"]
    assert result.plan.budgets["fy2027"].departments[0].tolerance == 3
    assert result.plan.kpis["picking.pick-rate"].cadence is Cadence.WEEKLY


def test_defaults_are_format_one(write_plan: PlanWriter) -> None:
    result = check(write_plan({"plan.yaml": BASE_PLAN}))
    assert result.plan is not None and result.plan.settings.report == ReportSettings()
    assert all(line.phasing.even and line.tolerance is None for line in result.plan.budgets["fy2027"].lines)


def test_unknown_and_zero_profiles(write_plan: PlanWriter) -> None:
    unknown = BASE_PLAN.replace("program: automation}", "program: automation, phasing: peak-seasn}")
    result = check(write_plan({"plan.yaml": unknown}, root_file=ROOT_11))
    assert [(f"{d.location} {d.code}", d.hint) for d in result.diagnostics] == [
        ("plan.yaml:40:78 OPS202", "did you mean `peak-season`?")]
    # `winter` weighs March to November as zero: a budget of those months would plan nothing.
    spring = unknown.replace("peak-seasn", "winter").replace("    start: 2027-01-01\n    end: 2027-12-31\n",
                                                               "    start: 2027-03-01\n    end: 2027-11-30\n")
    result = check(write_plan({"plan.yaml": spring}, root_file=ROOT_11))
    assert [f"{d.location} {d.code}" for d in result.diagnostics if d.code != "OPS405"] == ["plan.yaml:40:78 OPS103"]


def test_profiles_need_every_month(write_plan: PlanWriter) -> None:
    root = ROOT_FILE + "profiles:\n  short: {jan: 1, feb: 2}\n"
    result = check(write_plan({"plan.yaml": BASE_PLAN}, root_file=root))
    assert {f"{d.location} {d.code}" for d in result.diagnostics} == {"opsplan.yaml:11:3 OPS101"}


def test_progress_rows(write_plan: PlanWriter) -> None:
    rows = "date,program,percent_complete\n2027-02-28,automation,10\n2027-03-31,automation,101\n2027-03-15,automaton,5\n"
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/progress.csv": rows}))
    assert findings(result) == ["actuals/progress.csv:3:23 OPS703", "actuals/progress.csv:4:12 OPS702"]
