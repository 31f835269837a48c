"""`opsplan report`: every figure's formula on hand-computed cases, the statuses at their edges,
the gaps a manager would act on, and the outputs of the example plan pinned by golden files."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ACME, BASE_PLAN, REPO, PlanWriter, assert_golden

from opsplan.check.pipeline import check_path
from opsplan.cli import cli
from opsplan.figures import money, pct
from opsplan.report.build import build_report
from opsplan.report.model import Report
from opsplan.report.render.json import render_report_json
from opsplan.report.render.markdown import render_report_markdown
from opsplan.report.render.text import render_report_text
from opsplan.report.sections.budgets import DepartmentBurn, LineReport
from opsplan.report.sections.goals import GoalReport
from opsplan.report.sections.kpis import KpiReport
from opsplan.report.sections.programs import ProgramReport
from opsplan.report.sections.shared import (
    BudgetStatus,
    CurrentSource,
    GapKind,
    GapSeverity,
    KpiStatus,
    PaceStatus,
    ScheduleStatus,
    elapsed_days,
    period_days,
)

AS_OF = date(2027, 3, 31)


def report_of(root: Path, as_of: date = AS_OF) -> Report:
    _, result = check_path(root)
    assert result.plan is not None and not result.errors, [str(d) for d in result.diagnostics]
    return build_report(result.plan, result.actuals, as_of)


def with_actuals(files: dict[str, str]) -> dict[str, str]:
    """Actuals CSV files under actuals/, beside the base plan."""
    return {"plan.yaml": BASE_PLAN, **{f"actuals/{name}": text for name, text in files.items()}}


def department(report: Report, budget: str, department_id: str) -> DepartmentBurn:
    found = next(b for b in report.budgets if b.id == budget)
    return next(d for d in found.departments if d.department == department_id)


def line(report: Report, budget: str, department_id: str, line_id: str) -> LineReport:
    return next(item for item in department(report, budget, department_id).lines if item.id == line_id)


# --- periods and budgets ---------------------------------------------------------------------


def test_days_are_counted_inclusively_and_capped_to_the_period() -> None:
    start, end = date(2027, 1, 1), date(2027, 12, 31)
    assert period_days(start, end) == 365
    assert elapsed_days(start, end, date(2026, 12, 31)) == 0  # before the period
    assert elapsed_days(start, end, start) == 1  # the first day counts
    assert elapsed_days(start, end, date(2027, 3, 31)) == 90  # 31 + 28 + 31
    assert elapsed_days(start, end, end) == 365
    assert elapsed_days(start, end, date(2030, 6, 1)) == 365  # after the end: the whole period


def test_budget_line_figures_are_exact_to_the_cent(write_plan: PlanWriter) -> None:
    root = write_plan(with_actuals({"spend.csv": (
        "date,department,line,amount\n"
        "2027-01-15,warehouse,salaries,100.10\n"
        "2027-03-31,CC-2,salaries,150.00\n"  # a cost center names the department
        "2027-04-01,warehouse,salaries,999.99\n"  # after as-of: not counted
    )}))
    salaries = line(report_of(root), "fy2027", "warehouse", "salaries").burn
    # allocated 500.10; expected = 500.10 x 90 / 365 = 123.3123287... ; actual = 250.10
    assert salaries.allocated == Decimal("500.10")
    assert salaries.actual == Decimal("250.10")
    assert money(salaries.expected) == "123.31"
    assert money(salaries.variance) == "126.79"  # 250.10 - 123.3123 = 126.7876...
    assert pct(salaries.used_pct or Decimal(0)) == "50.0"  # 250.10 / 500.10 = 50.0099...%
    assert salaries.status is BudgetStatus.OVER


def test_money_rounds_half_up_to_cents() -> None:
    assert money(Decimal("0.505")) == "0.51"  # banker's rounding would give 0.50
    assert money(Decimal("-0.505")) == "-0.51"
    assert money(Decimal("2.675")) == "2.68"
    assert pct(Decimal("12.25")) == "12.3"
    assert money(Decimal("-0.001")) == "0.00"  # no negative zero


def test_expected_spend_on_a_two_day_period_rounds_half_up(write_plan: PlanWriter) -> None:
    plan = BASE_PLAN.replace("start: 2027-01-01\n    end: 2027-12-31", "start: 2027-01-01\n    end: 2027-01-02")
    plan = plan.replace("amount: 500.10", "amount: 1.01")
    root = write_plan({"plan.yaml": plan})
    salaries = line(report_of(root, date(2027, 1, 1)), "fy2027", "warehouse", "salaries").burn
    assert salaries.expected == Decimal("0.505")  # 1.01 x 1 / 2, exactly
    assert json.loads(render_report_json(report_of(root, date(2027, 1, 1))))[
        "budgets"][0]["departments"][1]["lines"][0]["expected"] == "0.51"


STRADDLING = BASE_PLAN.replace("""  fy2027:
    name: FY 2027
    start: 2027-01-01
    end: 2027-12-31""", """  fy2027:
    name: FY 2027-28
    start: 2027-07-01
    end: 2028-06-30""")


def test_a_budget_straddling_two_years_counts_the_leap_day(write_plan: PlanWriter) -> None:
    plan = STRADDLING.replace("amount: 500.10", "amount: 366").replace("total: 1000", "total: 1000")
    root = write_plan({"plan.yaml": plan, "actuals/spend.csv": (
        "date,department,line,amount\n"
        "2027-08-31,warehouse,salaries,100\n"
        "2028-02-29,warehouse,salaries,180\n"
        "2028-04-30,warehouse,salaries,50\n")})
    report = report_of(root, date(2028, 3, 31))
    budget = report.budgets[0]
    # July to March: 31 + 31 + 30 + 31 + 30 + 31 + 31 + 29 + 31 = 275 of 366 days
    assert (budget.elapsed_days, budget.period_days) == (275, 366)
    salaries = line(report, "fy2027", "warehouse", "salaries").burn
    assert salaries.expected == Decimal(275)  # 366 x 275 / 366
    assert salaries.actual == Decimal(280)  # both years' rows count; April's is after as-of
    assert salaries.status is BudgetStatus.ON_PLAN  # +5 is within 5% of 275 (13.75)


def test_before_a_budget_starts_nothing_is_expected_and_after_it_ends_everything_is(write_plan: PlanWriter) -> None:
    root = write_plan(with_actuals({"spend.csv": "date,department,line,amount\n2027-06-30,warehouse,salaries,480\n"}))
    before = line(report_of(root, date(2026, 12, 1)), "fy2027", "warehouse", "salaries").burn
    assert (before.expected, before.actual, before.variance, before.status) == (0, 0, 0, BudgetStatus.ON_PLAN)
    after = line(report_of(root, date(2028, 2, 1)), "fy2027", "warehouse", "salaries").burn
    assert after.expected == Decimal("500.10")  # the whole allocation
    assert money(after.variance) == "-20.10"
    assert after.status is BudgetStatus.ON_PLAN  # -20.10 is within 5% of 500.10 (25.005)


@pytest.mark.parametrize(("actual", "status"), [
    ("1050.00", BudgetStatus.ON_PLAN),  # variance exactly 5% of expected: still on plan
    ("1050.01", BudgetStatus.OVER),
    ("950.00", BudgetStatus.ON_PLAN),
    ("949.99", BudgetStatus.UNDER),
])
def test_budget_status_uses_five_percent_of_expected(write_plan: PlanWriter, actual: str, status: BudgetStatus) -> None:
    plan = BASE_PLAN.replace("total: 1000", "total: 5000").replace("cap: 600", "cap: 5000")
    plan = plan.replace("amount: 500.10", "amount: 3650")  # 10 a day: expected 1000 on day 100
    root = write_plan({"plan.yaml": plan, "actuals/spend.csv": f"date,department,line,amount\n2027-04-10,warehouse,salaries,{actual}\n"})
    salaries = line(report_of(root, date(2027, 4, 10)), "fy2027", "warehouse", "salaries").burn
    assert salaries.expected == Decimal(1000)
    assert salaries.status is status


def test_a_line_with_nothing_allocated_is_over_as_soon_as_money_is_spent(write_plan: PlanWriter) -> None:
    root = write_plan(with_actuals({"spend.csv": "date,department,line,amount\n2027-02-01,warehouse,robots,10\n"}))
    idle = line(report_of(root, date(2027, 2, 1)), "fy2027", "warehouse", "salaries").burn
    assert idle.status is BudgetStatus.UNDER  # nothing spent on salaries yet
    plan = BASE_PLAN.replace("amount: 99.90", "amount: 0")
    root = write_plan({"plan.yaml": plan, "actuals/spend.csv": "date,department,line,amount\n2027-02-01,warehouse,robots,10\n"})
    robots = line(report_of(root, date(2027, 2, 1)), "fy2027", "warehouse", "robots").burn
    assert (robots.expected, robots.used_pct, robots.status) == (0, None, BudgetStatus.OVER)


def test_departments_report_own_lines_and_lines_rolled_up_with_sub_departments(write_plan: PlanWriter) -> None:
    plan = BASE_PLAN.replace("    departments:\n      warehouse:\n        cap: 600", (
        "    departments:\n      ops:\n        lines:\n          travel: {amount: 300, type: opex}\n"
        "      warehouse:\n        cap: 600"))
    root = write_plan({"plan.yaml": plan, "actuals/spend.csv": (
        "date,department,line,amount\n2027-03-01,ops,travel,40\n2027-03-01,warehouse,salaries,60\n")})
    report = report_of(root)
    ops = department(report, "fy2027", "ops")
    assert (ops.own.allocated, ops.own.actual) == (Decimal(300), Decimal(40))
    assert (ops.rolled_up.allocated, ops.rolled_up.actual) == (Decimal(900), Decimal(100))
    assert money(ops.rolled_up.expected) == "221.92"  # 900 x 90 / 365 = 221.9178...
    assert report.budgets[0].burn.allocated == Decimal(900)


# --- KPIs ------------------------------------------------------------------------------------


def kpi(report: Report, ref: str) -> KpiReport:
    return next(item for item in report.kpis if item.ref == ref)


def test_the_latest_reading_on_or_before_as_of_wins_over_the_plan(write_plan: PlanWriter) -> None:
    root = write_plan(with_actuals({"readings.csv": (
        "date,kpi,value\n"
        "2027-01-31,shipping.on-time,91\n"
        "2027-03-31,shipping.on-time,94.5\n"
        "2027-02-28,shipping.on-time,92\n"  # rows need not be in date order
        "2027-04-30,shipping.on-time,99\n")}))  # after as-of
    figures = kpi(report_of(root), "shipping.on-time").figures
    assert figures.current is not None
    assert (figures.current.value, figures.current.date) == (Decimal("94.5"), AS_OF)
    assert (figures.current.source, figures.current.origin) == (CurrentSource.ACTUALS, "actuals/readings.csv:3")
    assert [point.value for point in figures.history] == [Decimal(91), Decimal(92), Decimal("94.5")]
    # baseline 90, target 97: gap 2.5, attainment 4.5 / 7 = 64.29%
    assert figures.gap == Decimal("2.5")
    assert pct(figures.attainment_pct or Decimal(0)) == "64.3"
    assert figures.status is KpiStatus.IMPROVING


def test_without_readings_the_plans_current_is_used_with_its_place(write_plan: PlanWriter) -> None:
    report = report_of(write_plan({"plan.yaml": BASE_PLAN}))
    figures = kpi(report, "shipping.on-time").figures
    assert figures.current is not None
    assert (figures.current.value, figures.current.date) == (Decimal(93), None)
    assert (figures.current.source, figures.current.origin) == (CurrentSource.PLAN, "plan.yaml:27")
    no_data = kpi(report, "picking.pick-rate").figures
    assert (no_data.current, no_data.gap, no_data.attainment_pct, no_data.status) == (None, None, None, KpiStatus.NO_DATA)


@pytest.mark.parametrize(("value", "gap", "attainment", "status"), [
    ("11.45", "-0.95", "50.0", KpiStatus.IMPROVING),  # (11.45 - 12.40) / (10.50 - 12.40) = 50%
    ("12.40", "-1.90", "0.0", KpiStatus.WORSENING),  # exactly at baseline: no progress
    ("12.60", "-2.10", "-10.5", KpiStatus.WORSENING),
    ("10.50", "0.00", "100.0", KpiStatus.MET),
    ("10.00", "0.50", "126.3", KpiStatus.MET),  # better than target
])
def test_a_kpi_where_lower_is_better(write_plan: PlanWriter, value: str, gap: str, attainment: str,
                                     status: KpiStatus) -> None:
    root = write_plan(with_actuals({"readings.csv": f"date,kpi,value\n2027-03-01,shipping.cost-per-order,{value}\n"}))
    figures = kpi(report_of(root), "shipping.cost-per-order").figures
    assert str(figures.gap) == gap
    assert pct(figures.attainment_pct or Decimal(0)) == attainment
    assert figures.status is status


@pytest.mark.parametrize(("value", "status"), [
    ("120", KpiStatus.MET), ("125", KpiStatus.MET), ("100.5", KpiStatus.IMPROVING),
    ("100", KpiStatus.WORSENING), ("95", KpiStatus.WORSENING),
])
def test_a_kpi_where_higher_is_better(write_plan: PlanWriter, value: str, status: KpiStatus) -> None:
    root = write_plan(with_actuals({"readings.csv": f"date,kpi,value\n2027-03-01,picking.pick-rate,{value}\n"}))
    assert kpi(report_of(root), "picking.pick-rate").figures.status is status


# --- goals -----------------------------------------------------------------------------------


def goal(report: Report, goal_id: str) -> GoalReport:
    return next(item for item in report.goals if item.id == goal_id)


@pytest.mark.parametrize(("value", "status"), [
    ("9.7", PaceStatus.ON_TRACK),  # ahead of 9.67
    ("9.5", PaceStatus.AT_RISK),  # 0.1667 behind, under 10% of |12 - 8.5| = 0.35
    ("9.3167", PaceStatus.AT_RISK),  # 0.34999... behind: just under 10%
    ("9.3166", PaceStatus.OFF_TRACK),  # 0.35006... behind
    ("8.4", PaceStatus.OFF_TRACK),
])
def test_a_goal_without_milestones_runs_straight_from_baseline_to_target(write_plan: PlanWriter, value: str,
                                                                         status: PaceStatus) -> None:
    root = write_plan(with_actuals({"readings.csv": f"date,kpi,value\n2028-01-01,margin,{value}\n"}))
    margin = goal(report_of(root, date(2028, 1, 1)), "margin")
    # horizon start 2027-01-01 (8.5) to due 2029-12-31 (12): 365 of 1095 days, a third of the way
    assert [(point.date, point.value, point.kind) for point in margin.path] == [
        (date(2027, 1, 1), Decimal("8.5"), "start"), (date(2029, 12, 31), Decimal(12), "due")]
    assert money(margin.expected) == "9.67"
    assert margin.status is status
    assert margin.figures.current.source is CurrentSource.ACTUALS


def test_a_goals_path_goes_through_its_milestones(write_plan: PlanWriter) -> None:
    root = write_plan(with_actuals({"readings.csv": "date,kpi,value\n2027-03-01,shipping.cost-per-order,12.10\n"}))

    def expected(as_of: date) -> Decimal:
        value = goal(report_of(root, as_of), "cheaper").expected
        assert value is not None
        return value

    assert expected(date(2026, 6, 1)) == Decimal("12.40")  # before the horizon: the baseline
    assert money(expected(date(2027, 3, 31))) == "12.15"  # 12.40 - 0.50 x 89 / 180 = 12.1527...
    assert expected(date(2027, 6, 30)) == Decimal("11.90")  # on a milestone
    assert expected(date(2027, 9, 30)) == Decimal("11.65")  # 11.90 - 0.50 x 92 / 184
    assert expected(date(2029, 6, 1)) == Decimal("10.50")  # after due: the target


@pytest.mark.parametrize(("value", "status", "behind"), [
    ("11.60", PaceStatus.ON_TRACK, "-0.05"),  # lower is better: below the path is ahead
    ("11.80", PaceStatus.AT_RISK, "0.15"),  # behind by less than 10% of |10.50 - 12.40| = 0.19
    ("11.90", PaceStatus.OFF_TRACK, "0.25"),
])
def test_goal_pace_when_lower_is_better(write_plan: PlanWriter, value: str, status: PaceStatus, behind: str) -> None:
    root = write_plan(with_actuals({"readings.csv": f"date,kpi,value\n2027-09-30,shipping.cost-per-order,{value}\n"}))
    cheaper = goal(report_of(root, date(2027, 9, 30)), "cheaper")
    assert cheaper.expected == Decimal("11.65")
    assert (cheaper.status, cheaper.behind) == (status, Decimal(behind))
    assert cheaper.figures.current.origin == "actuals/readings.csv:2"


def test_a_goal_lists_its_supporting_work_and_whether_it_is_funded(write_plan: PlanWriter) -> None:
    report = report_of(write_plan({"plan.yaml": BASE_PLAN}))
    cheaper = goal(report, "cheaper")
    assert [(s.kind, s.id, s.funded_by) for s in cheaper.supporters] == [
        ("process", "shipping", ()), ("program", "automation", ("fy2027/warehouse/robots",))]
    assert cheaper.funded
    assert cheaper.status is PaceStatus.NO_DATA  # neither readings nor a current in the plan
    margin = goal(report, "margin")
    # supported and funded through its sub-goal, as OPS601 counts support
    assert (margin.supporters, margin.supported_through, margin.funded) == ((), ("cheaper",), True)


# --- headcount and programs ------------------------------------------------------------------


def test_headcount_planned_at_as_of_and_at_the_end_of_hiring(write_plan: PlanWriter) -> None:
    root = write_plan(with_actuals({"headcount.csv": (
        "date,department,headcount\n2027-03-31,warehouse,45\n2027-05-31,warehouse,58\n")}))
    before = {head.department: head for head in report_of(root, date(2027, 3, 31)).headcount}
    assert (before["warehouse"].own.current, before["warehouse"].own.planned, before["warehouse"].own.actual) == (40, 40, 45)
    assert [(end.program, end.date, end.planned) for end in before["warehouse"].at_program_ends] == [
        ("hiring", date(2027, 9, 30), 52)]
    # ops has no rows of its own: it counts as last counted (10) in the rolled-up actual
    assert (before["ops"].rolled_up.current, before["ops"].rolled_up.planned, before["ops"].rolled_up.actual) == (50, 50, 55)
    assert before["ops"].own.actual is None
    after = {head.department: head for head in report_of(root, date(2027, 4, 30)).headcount}
    # 12 hires spread over 2027-04-01..09-30 (183 days): by 04-30 (day 30) floor(12 x 30 / 183) = 1
    assert (after["warehouse"].own.planned, after["warehouse"].own.actual) == (41, 45)
    assert after["warehouse"].actual_origin == "actuals/headcount.csv:2"


def program(report: Report, program_id: str) -> ProgramReport:
    return next(item for item in report.programs if item.id == program_id)


def test_a_hiring_program_behind_plan(write_plan: PlanWriter) -> None:
    root = write_plan(with_actuals({"hires.csv": (
        "date,program,role,hired\n2027-04-30,hiring,associate,5\n2027-05-31,hiring,associate,3\n")}))
    assert program(report_of(root, date(2027, 3, 31)), "hiring").roles[0].planned == 0  # role not started
    # spread over 183 days: by 05-31 (day 61) floor(12 x 61 / 183) = 4 planned, 8 hired, ahead
    assert program(report_of(root, date(2027, 5, 31)), "hiring").roles[0].short == 0
    report = report_of(root, date(2027, 9, 30))
    hiring = program(report, "hiring")
    role = hiring.roles[0]
    assert (role.planned, role.hired, role.short) == (12, 8, 4)
    assert (hiring.schedule, hiring.behind) == (ScheduleStatus.RUNNING, True)
    gap = next(gap for gap in report.gaps if gap.kind is GapKind.HIRING_BEHIND)
    assert gap.severity is GapSeverity.HIGH  # 4 of 12 short: a third
    assert "Catch up 4 hires (4 associate)" in gap.recommendation
    late = program(report_of(root, date(2027, 10, 1)), "hiring")
    assert late.schedule is ScheduleStatus.OVERDUE  # ended with hires short


def test_program_schedule(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN})
    assert program(report_of(root, date(2027, 1, 31)), "automation").schedule is ScheduleStatus.NOT_STARTED
    assert program(report_of(root, date(2027, 2, 1)), "automation").schedule is ScheduleStatus.RUNNING
    assert program(report_of(root, date(2027, 11, 30)), "automation").schedule is ScheduleStatus.RUNNING
    assert program(report_of(root, date(2027, 12, 1)), "automation").schedule is ScheduleStatus.FINISHED


TRAINING = BASE_PLAN + """\
  lean:
    type: training
    name: Lean basics
    owner: ops
    start: 2027-01-15
    end: 2027-06-30
    audience: [warehouse]
    participants: 40
    completion_target: 90
"""


def test_training_completion_against_its_pace_and_target(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": TRAINING, "actuals/training.csv": (
        "date,program,completed\n2027-02-28,lean,10\n2027-03-31,lean,8\n2027-07-31,lean,12\n")})
    on_pace = program(report_of(root, date(2027, 3, 31)), "lean")
    assert on_pace.training is not None
    # 18 of 40 = 45.0%; expected 90 x 76 / 167 days = 40.96%
    assert (on_pace.training.completed, pct(on_pace.training.completion_pct or Decimal(0))) == (18, "45.0")
    assert pct(on_pace.training.expected_pct or Decimal(0)) == "41.0"
    assert not on_pace.behind
    behind = report_of(root, date(2027, 5, 31))
    gap = next(gap for gap in behind.gaps if gap.kind is GapKind.TRAINING_BELOW_TARGET)
    assert gap.severity is GapSeverity.MEDIUM  # still running
    assert "18 more participants must complete lean by 2027-06-30" in gap.recommendation  # 36 - 18
    ended = report_of(root, date(2027, 8, 31))
    assert program(ended, "lean").schedule is ScheduleStatus.OVERDUE  # 30 of 40 = 75% < 90%
    gap = next(gap for gap in ended.gaps if gap.kind is GapKind.TRAINING_BELOW_TARGET)
    assert gap.severity is GapSeverity.HIGH


# --- gaps ------------------------------------------------------------------------------------


def test_a_worsening_kpi_is_a_gap_only_when_no_program_improves_its_process(write_plan: PlanWriter) -> None:
    root = write_plan(with_actuals({"readings.csv": (
        "date,kpi,value\n2027-03-01,picking.pick-rate,95\n2027-03-01,shipping.on-time,89\n")}))
    gaps = [gap for gap in report_of(root).gaps if gap.kind is GapKind.KPI_WORSENING]
    # picking is improved by the automation program; shipping by nothing
    assert [[entity.id for entity in gap.entities] for gap in gaps] == [["shipping.on-time"]]
    assert "Start an improvement program (`improves: [shipping]`)" in gaps[0].recommendation


def test_gaps_are_ranked_by_severity_then_size() -> None:
    report = report_of_acme()
    order = {GapSeverity.HIGH: 0, GapSeverity.MEDIUM: 1, GapSeverity.LOW: 2}
    keys = [(order[gap.severity], -gap.size) for gap in report.gaps]
    assert keys == sorted(keys)


def report_of_acme(as_of: date = AS_OF) -> Report:
    return report_of(ACME, as_of)


def test_the_example_plan_shows_every_kind_of_gap() -> None:
    kinds = {gap.kind for gap in report_of_acme().gaps}
    assert kinds == set(GapKind)


def test_unfunded_goal_and_lines_funding_no_goal(write_plan: PlanWriter) -> None:
    report = report_of(write_plan({"plan.yaml": BASE_PLAN}))
    unsupported = [gap for gap in report.gaps if gap.kind is GapKind.GOAL_UNSUPPORTED]
    # margin has no work of its own but its sub-goal cheaper has, funded by the robots line
    assert unsupported == []
    plan = BASE_PLAN.replace("robots: {amount: 99.90, type: capex, program: automation}",
                             "robots: {amount: 99.90, type: capex}")
    report = report_of(write_plan({"plan.yaml": plan}))
    unsupported = [gap for gap in report.gaps if gap.kind is GapKind.GOAL_UNSUPPORTED]
    assert [gap.entities[0].id for gap in unsupported] == ["cheaper", "margin"]
    assert [(item.label, item.value) for item in unsupported[1].evidence] == [
        ("supported by (through its sub-goals)", "process shipping, program automation"),
        ("funded by", "no budget line")]
    unfocused = next(gap for gap in report.gaps if gap.kind is GapKind.UNFOCUSED_SPEND)
    # salaries pays for picking, which the automation program supporting `cheaper` improves
    assert [entity.id for entity in unfocused.entities] == ["fy2027/warehouse/robots"]


# --- outputs ---------------------------------------------------------------------------------


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return CliRunner()


@pytest.mark.parametrize(("output_format", "golden"), [
    ("text", "report/acme.txt"), ("markdown", "report/acme.md"), ("json", "report/acme.json")])
def test_example_plan_report_outputs(runner: CliRunner, output_format: str, golden: str) -> None:
    result = runner.invoke(cli, ["report", "plans/acme", "--as-of", "2027-03-31", "--format", output_format])
    assert result.exit_code == 0, result.output
    assert_golden(golden, result.stdout)


def test_json_report_matches_its_schema(runner: CliRunner) -> None:
    import jsonschema

    result = runner.invoke(cli, ["report", "plans/acme", "--as-of", "2027-03-31", "--format", "json"])
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    validator.validate(json.loads(result.stdout))
    shown = runner.invoke(cli, ["schema", "report"])
    assert json.loads(shown.stdout)["title"] == "opsplan report"


def test_json_report_keeps_money_exact_as_decimal_strings(runner: CliRunner) -> None:
    document = json.loads(runner.invoke(cli, ["report", "plans/acme", "--as-of", "2027-03-31", "--format", "json"]).stdout)
    assert list(document)[4:] == ["as_of", "horizon", "actuals_files", "budgets", "kpis", "goals", "headcount",
                                  "programs", "capacity", "gaps", "waivers"]
    it = next(d for d in document["budgets"][0]["departments"] if d["department"] == "it")
    wms = next(item for item in it["lines"] if item["id"] == "wms-implementation")
    # 1,100,000 EUR at 1.08; spend booked in EUR is converted at the same rate
    assert (wms["allocated"], wms["status"]) == ("1188000.00", "over")


def test_text_is_plain_off_a_terminal_and_coloured_when_asked(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["report", "plans/acme", "--as-of", "2027-03-31"])
    assert result.exit_code == 0 and "\x1b[" not in result.stdout
    assert result.stdout.index("GAPS") < result.stdout.index("GOALS") < result.stdout.index("BUDGET fy2027")
    coloured = render_report_text(report_of_acme(), colour=True)
    assert "\x1b[31m\x1b[1mHIGH\x1b[0m" in coloured and "\x1b[32m\x1b[1mon-track\x1b[0m" in coloured
    assert "\x1b[" not in render_report_text(report_of_acme())


@pytest.mark.parametrize("as_of", ["2020-01-01", "2027-01-01", "2028-07-15", "2035-12-31"])
def test_reports_on_any_date_in_every_format(runner: CliRunner, as_of: str) -> None:
    import jsonschema

    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    for output_format in ("text", "markdown", "json"):
        result = runner.invoke(cli, ["report", "plans/acme", "--as-of", as_of, "--format", output_format])
        assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.Draft202012Validator(schema).validate(document)
    if as_of == "2020-01-01":  # before the horizon: no reading yet (only the plan's `current:`), nothing spent
        assert {(goal["current"] or {}).get("source") for goal in document["goals"]} == {None, "plan"}
        assert document["budgets"][0]["actual"] == "0.00"
    if as_of == "2035-12-31":  # every program has ended, every budget is fully expected
        assert {program["schedule"] for program in document["programs"]} <= {"finished", "overdue"}
        assert document["budgets"][0]["expected"] == document["budgets"][0]["allocated"]


def test_a_plan_with_nothing_to_report_on(runner: CliRunner, write_plan: PlanWriter) -> None:
    root = write_plan({"org.yaml": "departments:\n  ops: {name: Operations, head: Dana Kim}\n"})
    for output_format in ("text", "markdown", "json"):
        result = runner.invoke(cli, ["report", str(root), "--as-of", "2027-03-31", "--format", output_format])
        assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["gaps"] == []
    text = runner.invoke(cli, ["report", str(root), "--as-of", "2027-03-31"]).stdout
    assert "GAPS  none" in text and "actuals: none" in text


def test_markdown_escapes_plan_strings(write_plan: PlanWriter) -> None:
    plan = BASE_PLAN.replace("title: Cheaper orders", "title: \"Cheaper | <b>orders</b>\\nnow\"")
    report = report_of(write_plan({"plan.yaml": plan}))
    markdown = render_report_markdown(report)
    lines = markdown.splitlines()
    row = next(line for line in lines if line.startswith("| no-data | `cheaper`"))
    header = next(line for line in lines if line.startswith("| status | goal |"))
    assert "Cheaper \\| \\<b\\>orders\\</b\\> now" in row
    # as many unescaped cell separators as the header has: the title stays in its cell
    assert row.replace("\\|", "").count("|") == header.count("|")


def test_report_writes_the_output_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.md"
    result = runner.invoke(cli, ["report", "plans/acme", "--as-of", "2027-03-31", "--format", "markdown",
                                 "-o", str(target)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("<!-- opsplan-report -->\n## Acme Logistics")


def test_report_skips_bad_actuals_rows_and_says_so(runner: CliRunner, write_plan: PlanWriter) -> None:
    root = write_plan(with_actuals({"readings.csv": "date,kpi,value\n2027-03-01,shiping.on-time,95\n"}))
    result = runner.invoke(cli, ["report", str(root), "--as-of", "2027-03-31", "--format", "json"])
    assert result.exit_code == 0
    assert "OPS702 unknown KPI or goal metric `shiping.on-time`" in result.stderr
    assert json.loads(result.stdout)["as_of"] == "2027-03-31"


def test_report_defaults_to_today(runner: CliRunner, write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN})
    result = runner.invoke(cli, ["report", str(root), "--format", "json"])
    assert json.loads(result.stdout)["as_of"] == date.today().isoformat()


def test_report_refuses_a_plan_with_errors(runner: CliRunner, write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN.replace("owner: warehouse\n    cycle_time: 4h", "owner: wharehouse\n    cycle_time: 4h")})
    result = runner.invoke(cli, ["report", str(root)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "OPS202 unknown department `wharehouse`" in result.stderr
    assert "fix them before reporting" in result.stderr


@pytest.mark.parametrize("as_of", ["2027-3-31", "31/03/2027", "2027-02-30", "today"])
def test_a_bad_as_of_is_a_usage_error(runner: CliRunner, as_of: str) -> None:
    result = runner.invoke(cli, ["report", "plans/acme", "--as-of", as_of])
    assert result.exit_code == 2
    assert f"`{as_of}` is not a date: write it as YYYY-MM-DD" in result.stderr


def test_no_plan_is_exit_two(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "no opsplan.yaml found" in result.stderr
    missing = runner.invoke(cli, ["report", "plans/acme", "--actuals", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "no such folder of actuals" in missing.stderr


def test_html_needs_its_renderer(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("opsplan.commands.report.HTML_RENDERER", "opsplan.render.no_such_module")
    result = runner.invoke(cli, ["report", "plans/acme", "--format", "html"])
    assert result.exit_code == 2
    assert "html format is not available" in result.stderr


def test_help_shows_examples(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["report", "--help"])
    assert result.exit_code == 0
    assert "opsplan report plans/acme --as-of 2027-03-31" in result.stdout
