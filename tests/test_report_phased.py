"""The report following the calendar (format 1.1): expected spend along each line's phasing,
tolerances and materiality, the forecast at completion, the month-by-month table, line-level
gaps with honest recommendations, stale KPIs and the earned value of funded programs. Every
figure is hand-computed to the cent."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import PlanWriter

from opsplan.check.pipeline import check_path
from opsplan.report.build import build_report
from opsplan.report.model import Report
from opsplan.report.render.json import render_report_json
from opsplan.report.render.markdown import render_report_markdown
from opsplan.report.render.text import render_report_text
from opsplan.report.sections.budgets import DepartmentBurn, LineReport
from opsplan.report.sections.shared import BudgetStatus, GapKind, GapSeverity, KpiStatus

ROOT = """\
opsplan: 1
organization: {name: Calendar Co, currency: USD}
horizon: {start: 2027-01-01, end: 2029-12-31}
report: {materiality: MATERIALITY}
"""

PLAN = """\
departments:
  ops: {name: Operations, head: Dana Kim, headcount: 5}
processes:
  moving:
    name: Moving
    owner: ops
    kpis:
      trips: {name: Trips, unit: count, better: higher, baseline: 10, target: 20, cadence: weekly}
programs:
  fleet-renewal:
    type: initiative
    name: Fleet renewal
    owner: ops
    start: 2027-01-01
    end: 2027-12-31
    improves: [moving]
goals:
  more-trips:
    title: More trips
    owner: ops
    due: 2029-12-31
    measure: {kpi: moving.trips, target: 20}
    supported_by: [moving]
budgets:
  fy2027:
    name: FY 2027
    start: 2027-01-01
    end: 2027-12-31
    total: 5000
    departments:
      ops:
        lines:
          fuel: {amount: 1200, type: opex, process: moving, phasing: {2027-01: 100, 2027-02: 200, 2027-03: 300, 2027-04: 600}FUEL_TOLERANCE}
          rent: {amount: 365, type: opex}
          cleaning: {amount: 730, type: opex}
          trucks: {amount: 365, type: capex, program: fleet-renewal, phasing: {2027-06: 365}}
"""

SPEND = """\
date,department,line,amount
2027-01-31,ops,fuel,150
2027-02-10,ops,fuel,150
2027-02-01,ops,rent,45
"""


def report_of(write_plan: PlanWriter, as_of: date, *, materiality: str = "0", fuel_tolerance: str = "",
              files: dict[str, str] | None = None) -> Report:
    root = write_plan({
        "plan.yaml": PLAN.replace("FUEL_TOLERANCE", fuel_tolerance),
        "actuals/spend.csv": SPEND, **(files or {})},
        root_file=ROOT.replace("MATERIALITY", materiality))
    _, result = check_path(root)
    assert result.plan is not None and not result.errors, [str(d) for d in result.diagnostics]
    return build_report(result.plan, result.actuals, as_of)


def ops(report: Report) -> DepartmentBurn:
    return report.budgets[0].departments[0]


def line(report: Report, line_id: str) -> LineReport:
    return next(item for item in ops(report).lines if item.id == line_id)


MID_FEBRUARY = date(2027, 2, 14)


def test_expected_follows_the_schedule_and_the_forecast_continues_the_pace(write_plan: PlanWriter) -> None:
    report = report_of(write_plan, MID_FEBRUARY)
    fuel = line(report, "fuel").burn
    # January's 100, then 14 of February's 28 days of 200.
    assert fuel.expected == Decimal(200) and fuel.variance == Decimal(100)
    assert fuel.status is BudgetStatus.OVER
    # 1200 x 300 / 200; the plan spent at 1.5 times its pace passes 1200 when its own
    # cumulative passes 800: 600 by March, then 600 over April's 30 days, 200 more on day 11.
    assert (fuel.forecast, fuel.forecast_variance, fuel.run_out) == (Decimal(1800), Decimal(600), date(2027, 4, 11))
    # Nothing of the trucks is planned before June: nothing expected, no forecast (too early).
    trucks = line(report, "trucks").burn
    assert (trucks.expected, trucks.status, trucks.forecast) == (Decimal(0), BudgetStatus.ON_PLAN, None)
    # Even lines keep format 1's formula: 365 x 45 / 365.
    assert line(report, "rent").burn.expected == Decimal(45)
    # The department: 200 + 45 + 90 + 0 = 335 expected, 345 spent: +3%, on plan with 5%.
    own = ops(report).own
    assert (own.expected, own.actual, own.status) == (Decimal(335), Decimal(345), BudgetStatus.ON_PLAN)
    assert report.budgets[0].burn.expected == Decimal(335)


def test_forecast_is_too_early_below_ten_percent_and_the_actual_once_the_period_ended(
        write_plan: PlanWriter) -> None:
    early = report_of(write_plan, date(2027, 1, 10))
    # 100 x 10 / 31 of 1200 is 2.7% of the fuel line: too early to extrapolate.
    assert line(early, "fuel").burn.forecast is None
    ended = report_of(write_plan, date(2028, 1, 15))
    assert line(ended, "fuel").burn.forecast == Decimal(300)
    assert line(ended, "fuel").burn.forecast_variance == Decimal(-900)


def test_the_month_table_has_planned_actual_variance_and_cumulative_figures(write_plan: PlanWriter) -> None:
    report = report_of(write_plan, MID_FEBRUARY)
    months = report.budgets[0].months
    assert [row.month for row in months] == [f"2027-{month:02d}" for month in range(1, 13)]
    january, february, march = months[:3]
    # January: fuel 100 + rent 31 + cleaning 62 planned; 150 spent.
    assert (january.planned, january.actual, january.variance) == (Decimal(193), Decimal(150), Decimal(-43))
    # February: 200 + 28 + 56 planned. It holds the as-of date: its variance is against the
    # first 14 days (100 + 14 + 28).
    assert (february.planned, february.actual, february.variance) == (Decimal(284), Decimal(195), Decimal(53))
    assert (february.cumulative_planned, february.cumulative_actual) == (Decimal(477), Decimal(345))
    assert (march.actual, march.variance, march.cumulative_actual) == (None, None, None)
    assert months[-1].cumulative_planned == Decimal(2660)
    document = json.loads(render_report_json(report))
    assert document["budgets"][0]["months"][1] == {
        "month": "2027-02", "planned": "284.00", "actual": "195.00", "variance": "53.00",
        "cumulative_planned": "477.00", "cumulative_actual": "345.00"}
    fuel = document["budgets"][0]["departments"][0]["lines"][0]
    assert (fuel["phasing"], fuel["forecast"], fuel["forecast_variance"], fuel["run_out"]) == (
        "schedule", "1800.00", "600.00", "2027-04-11")
    rows = [text_line.split() for text_line in render_report_text(report).splitlines()]
    assert ["2027-02", "284.00", "195.00", "+53.00", "477.00", "345.00"] in rows
    assert ["2027-03", "393.00", "-", "-", "870.00", "-"] in rows
    assert "| 2027-02 | 284.00 | 195.00 | +53.00 | 477.00 | 345.00 |" in render_report_markdown(report)


def test_an_over_line_at_materiality_raises_a_gap_in_a_department_on_plan(write_plan: PlanWriter) -> None:
    report = report_of(write_plan, MID_FEBRUARY, materiality="100")
    [gap] = [gap for gap in report.gaps if gap.kind is GapKind.BUDGET_OVER_PACE]
    assert gap.title == "Operations has lines over budget pace in fy2027: fuel +100.00 USD"
    assert ("line", "fy2027/ops/fuel") in [(entity.kind, entity.id) for entity in gap.entities]
    # Money can move only from opex forecast below its allocation: cleaning (0 of 730 at this
    # pace), never the trucks (capex, and nothing of it is planned before June).
    assert "(cleaning)" in gap.recommendation and "trucks" not in gap.recommendation
    assert "forecast the year-end" not in gap.recommendation
    # Below the materiality nothing is raised.
    quiet = report_of(write_plan, MID_FEBRUARY, materiality="100.01")
    assert not [gap for gap in quiet.gaps if gap.kind is GapKind.BUDGET_OVER_PACE]


def test_a_line_tolerance_wins_over_the_plan(write_plan: PlanWriter) -> None:
    # +100 on 200 expected is 50%: over with the plan's 5%, on plan with the line's own 50%.
    report = report_of(write_plan, MID_FEBRUARY, fuel_tolerance=", tolerance: 50")
    assert line(report, "fuel").burn.status is BudgetStatus.ON_PLAN
    assert line(report_of(write_plan, MID_FEBRUARY, fuel_tolerance=", tolerance: 49.9"), "fuel").burn.status \
        is BudgetStatus.OVER


def test_forecast_over_allocation_names_the_lines_driving_it(write_plan: PlanWriter) -> None:
    spend = SPEND + "2027-03-20,ops,fuel,900\n"
    report = report_of(write_plan, date(2027, 3, 31), files={"actuals/spend.csv": spend})
    own = ops(report).own
    # Expected 600 + 90 + 180 + 0 = 870; actual 1200 + 45 = 1245; forecast 2660 x 1245 / 870.
    assert own.expected == Decimal(870) and own.actual == Decimal(1245)
    assert own.forecast == Decimal(2660) * 1245 / 870
    [gap] = [gap for gap in report.gaps if gap.kind is GapKind.FORECAST_OVER_ALLOCATION]
    assert gap.entities[2:] == tuple(gap.entities[2:]) and gap.entities[2].id == "fy2027/ops/fuel"
    # Fuel at 2x its pace uses the 1200 up when its plan passes 600: at the end of March, so the
    # department runs out within 90 days: high.
    assert gap.severity is GapSeverity.HIGH
    assert any(item.label == "forecast" for item in gap.evidence)


def test_a_reading_older_than_one_and_a_half_cadences_is_stale(write_plan: PlanWriter) -> None:
    def status(reading_date: str) -> tuple[KpiStatus, list[GapKind]]:
        readings = f"date,kpi,value\n{reading_date},moving.trips,12\n"
        report = report_of(write_plan, MID_FEBRUARY, files={"actuals/readings.csv": readings})
        return report.kpis[0].figures.status, [gap.kind for gap in report.gaps]

    # Weekly: stale after 10.5 days. 13 days old is stale, 9 days old is not.
    kpi_status, kinds = status("2027-02-01")
    assert kpi_status is KpiStatus.STALE and GapKind.STALE_DATA in kinds
    kpi_status, kinds = status("2027-02-05")
    assert kpi_status is KpiStatus.IMPROVING and GapKind.STALE_DATA not in kinds


def test_earned_value_of_a_funded_program(write_plan: PlanWriter) -> None:
    spend = SPEND + "2027-03-01,ops,trucks,100\n"
    progress = "date,program,percent_complete\n2027-03-31,fleet-renewal,20\n"
    report = report_of(write_plan, date(2027, 3, 31),
                       files={"actuals/spend.csv": spend, "actuals/progress.csv": progress})
    [item] = report.initiatives
    ev = item.figures
    # BAC 365; PV = 365 x 90 / 365 = 90; EV = 73; CPI = 73 / 100; SPI = 73 / 90.
    assert (ev.bac, ev.ac, ev.pv, ev.ev, ev.cpi) == (Decimal(365), Decimal(100), Decimal(90), Decimal(73),
                                                      Decimal("0.73"))
    # EAC = 100 + 292 / 0.73 = 500; VAC = -135; 365 / (73 / 90) = 450 days from 2027-01-01.
    assert (ev.eac, ev.vac, ev.forecast_end) == (Decimal(500), Decimal(-135), date(2028, 3, 25))
    kinds = {gap.kind: gap for gap in report.gaps}
    assert kinds[GapKind.INITIATIVE_BEHIND].severity is GapSeverity.HIGH  # ends 85 days late
    assert kinds[GapKind.INITIATIVE_OVER_COST].severity is GapSeverity.HIGH  # VAC under -10% of BAC
    program = json.loads(render_report_json(report))["programs"][0]
    assert (program["cpi"], program["spi"], program["eac"], program["forecast_end"]) == (
        "0.73", "0.81", "500.00", "2028-03-25")


def test_a_running_funded_initiative_without_progress_is_missing_data(write_plan: PlanWriter) -> None:
    report = report_of(write_plan, date(2027, 3, 31))
    missing = [gap for gap in report.gaps if gap.kind is GapKind.MISSING_DATA
               and any(entity.id == "fleet-renewal" for entity in gap.entities)]
    assert len(missing) == 1 and missing[0].title == "1 funded initiative without progress"


def test_json_of_a_phased_plan_matches_the_schema(write_plan: PlanWriter, tmp_path: Path) -> None:
    import jsonschema

    schema = json.loads((Path(__file__).parent.parent / "schemas" / "report.schema.json").read_text())
    progress = "date,program,percent_complete\n2027-03-31,fleet-renewal,20\n"
    report = report_of(write_plan, MID_FEBRUARY, files={"actuals/progress.csv": progress})
    jsonschema.validate(json.loads(render_report_json(report)), schema)


def test_goal_pace_bands_follow_the_report_settings() -> None:
    from opsplan.model import Better
    from opsplan.report.sections.goals import pace_status
    from opsplan.report.sections.shared import PaceStatus

    def status(current: str, pace_tolerance: str, at_risk: str) -> PaceStatus:
        return pace_status(Better.HIGHER, Decimal(0), Decimal(100), Decimal(current), Decimal(100),
                           Decimal(pace_tolerance), Decimal(at_risk))[0]

    # Behind by 5 of a span of 100: at risk with format 1's bands, on track with a 5% tolerance.
    assert status("95", "0", "10") is PaceStatus.AT_RISK
    assert status("95", "5", "10") is PaceStatus.ON_TRACK
    # At risk up to and including at_risk% of the span, off track beyond it.
    assert status("90", "0", "10") is PaceStatus.AT_RISK
    assert status("89.99", "0", "10") is PaceStatus.OFF_TRACK
    assert status("80", "0", "20") is PaceStatus.AT_RISK
