"""The report's people and capacity figures on small plans, each against a hand-computed figure:
hires landing on the role's department, attrition, requisitions, process capacity and its gap,
and the bottleneck in `graph --analyze` and the processes view."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from conftest import ACME, BASE_PLAN, REPO, PlanWriter

from opsplan.check.pipeline import check_path
from opsplan.cli import cli
from opsplan.report.build import build_report
from opsplan.report.model import Report
from opsplan.report.sections.capacity import CapacityReport
from opsplan.report.sections.shared import GapKind, GapSeverity

CAPACITY_PLAN = (
    BASE_PLAN
    .replace("    owner: warehouse\n    cycle_time: 4h\n",
             "    owner: warehouse\n    cycle_time: 4h\n"
             "    capacity: {unit: orders, per: month, per_fte: 2_300, fte: 185}\n"
             "    demand: {per: month, value: 410_000}\n", 1)
    .replace("    depends_on: [picking]\n    serves: [ops]\n    cycle_time: 1d\n",
             "    depends_on: [picking]\n    serves: [ops]\n    cycle_time: 1d\n"
             "    capacity: {unit: orders, per: week, value: 7_000}\n"
             "    demand: {per: month, value: 26_000}\n", 1)
    .replace("budgets:\n",
             "  returns:\n    name: Returns\n    owner: ops\n"
             "    capacity: {unit: returns, per: month, value: 1_000}\n"
             "    demand: {per: month, value: 850}\n"
             "budgets:\n", 1)
)


def report_of(root: Path, as_of: date) -> Report:
    _, result = check_path(root)
    assert result.plan is not None and not result.errors, [str(d) for d in result.diagnostics]
    return build_report(result.plan, result.actuals, as_of)


def capacity_of(report: Report, process_id: str) -> CapacityReport:
    return next(process for process in report.capacity if process.process == process_id)


def test_capacity_figures_staff_based_and_converted_between_week_and_month(write_plan: PlanWriter) -> None:
    report = report_of(write_plan({"plan.yaml": CAPACITY_PLAN}), date(2027, 3, 31))
    assert [process.process for process in report.capacity] == ["picking", "shipping", "returns"]
    picking = capacity_of(report, "picking")
    # 2,300 per FTE x 185 = 425,500; 410,000 / 425,500 = 96.36% -> 96.4
    assert (picking.capacity, picking.planned_utilisation, picking.actual_utilisation) == (
        Decimal(425_500), Decimal("96.4"), None)
    # ceil(410,000 / (2,300 x 0.85)) - 185 = ceil(209.72) - 185 = 25
    assert picking.fte_needed == 25
    # 410,000 a month / (365/12 x 24) hours = 561.64 an hour, x 4 h = 2,246.6 in progress
    assert picking.wip == Decimal("2246.6")
    shipping = capacity_of(report, "shipping")
    # 26,000 a month is 26,000 x 7 / (365/12) = 5,983.6 a week; / 7,000 = 85.5%
    assert (shipping.demand, shipping.planned_utilisation, shipping.fte_needed) == (
        Decimal("5983.6"), Decimal("85.5"), None)
    returns = capacity_of(report, "returns")
    assert (returns.planned_utilisation, returns.utilisation_target, returns.wip) == (Decimal("85.0"), 85, None)
    # picking and shipping are one connected part (picking is the busier); returns is a part of its own
    assert [process.process for process in report.capacity if process.bottleneck] == ["picking", "returns"]


def test_capacity_shortfall_gaps_exactly_at_target_is_no_gap(write_plan: PlanWriter) -> None:
    report = report_of(write_plan({"plan.yaml": CAPACITY_PLAN}), date(2027, 3, 31))
    shortfalls = {gap.entities[0].id: gap for gap in report.gaps if gap.kind is GapKind.CAPACITY_SHORTFALL}
    assert sorted(shortfalls) == ["picking", "shipping"]  # returns runs at 85.0%: at its target, not above
    picking = shortfalls["picking"]
    assert picking.severity is GapSeverity.MEDIUM
    evidence = {item.label: item.value for item in picking.evidence}
    assert evidence["planned utilisation"] == "96.4% against a target of 85%"
    assert evidence["FTE needed"] == "25 more to run the planned demand at 85%"
    assert evidence["capacity"] == "425,500 orders a month"
    assert "add 25 FTE through hiring, whose roles land on warehouse" in picking.recommendation


def test_capacity_above_full_is_high_and_names_no_hiring_program_when_none_lands(write_plan: PlanWriter) -> None:
    plan = (CAPACITY_PLAN.replace("demand: {per: month, value: 410_000}", "demand: {per: month, value: 500_000}")
            .replace("demand: {per: month, value: 850}", "demand: {per: month, value: 900}"))
    report = report_of(write_plan({"plan.yaml": plan}), date(2027, 3, 31))
    shortfalls = {gap.entities[0].id: gap for gap in report.gaps if gap.kind is GapKind.CAPACITY_SHORTFALL}
    assert shortfalls["picking"].severity is GapSeverity.HIGH  # 500,000 / 425,500 = 117.5%
    assert "117.5%" in shortfalls["picking"].title
    assert shortfalls["returns"].severity is GapSeverity.MEDIUM  # 90.0%
    assert "no hiring program has roles landing on ops" in shortfalls["returns"].recommendation


def test_actual_utilisation_reads_the_latest_complete_period(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": CAPACITY_PLAN, "actuals/volume.csv": (
        "date,process,volume\n2027-02-28,picking,380000\n2027-03-10,picking,200000\n2027-03-31,picking,198000\n")})
    # March: 398,000 / 425,500 = 93.5%; on 03-30 March is not complete: February's 380,000 is 89.3%
    assert capacity_of(report_of(root, date(2027, 3, 31)), "picking").actual_utilisation == Decimal("93.5")
    assert capacity_of(report_of(root, date(2027, 3, 30)), "picking").actual_utilisation == Decimal("89.3")
    gap = next(gap for gap in report_of(root, date(2027, 3, 31)).gaps if gap.entities[0].id == "picking")
    assert gap.title == "Capacity short in picking: actual utilisation 93.5%, target 85%"


def test_attrition_on_a_department_with_no_hires(write_plan: PlanWriter) -> None:
    plan = BASE_PLAN.replace("    cost_center: CC-1\n    headcount: 10\n",
                             "    cost_center: CC-1\n    headcount: 100\n    attrition: 9\n", 1)
    root = write_plan({"plan.yaml": plan})
    own = {head.department: head.own for head in report_of(root, date(2028, 1, 1)).headcount}
    assert own["ops"].planned == 91  # 100 - floor(100 x 9% x 365 / 365)
    own = {head.department: head.own for head in report_of(root, date(2027, 12, 31)).headcount}
    assert own["ops"].planned == 92  # 100 - floor(8.98)


def test_actual_leavers_and_annualised_attrition(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN,
                       "actuals/hires.csv": "date,program,role,hired\n2027-04-30,hiring,associate,5\n",
                       "actuals/headcount.csv": "date,department,headcount\n2027-02-28,warehouse,39\n"
                                                "2027-04-30,warehouse,43\n"})
    warehouse = next(head for head in report_of(root, date(2027, 4, 30)).headcount if head.department == "warehouse")
    # 40 + 5 hired - 43 counted = 2 left in 119 days: 2 / 40 x 365 / 119 x 100 = 15.3% a year
    assert (warehouse.leavers, warehouse.attrition_pct) == (2, Decimal("15.3"))
    # planned on each count: 40 on 02-28 (no hire yet), 41 on 04-30 (floor(12 x 30 / 183) = 1)
    assert [(point.date, point.planned, point.actual) for point in warehouse.history] == [
        (date(2027, 2, 28), 40, 39), (date(2027, 4, 30), 41, 43)]


def test_requisitions_open_by_now_and_due_in_30_days(write_plan: PlanWriter) -> None:
    plan = BASE_PLAN.replace("associate: {count: 12,", "associate: {time_to_fill: 6w, count: 12,")
    report = report_of(write_plan({"plan.yaml": plan}), date(2027, 5, 20))
    role = next(program for program in report.programs if program.id == "hiring").roles[0]
    assert role.requisitions is not None
    # hires planned by 07-01 (day 92: 6) should have their requisition open; by 07-31 (day 122: 8) 2 more
    assert (role.requisitions.open_by_now, role.requisitions.due_next_30_days,
            role.requisitions.next_open_date) == (6, 2, date(2027, 6, 4))
    assert (role.planned, role.department, role.by) == (3, "warehouse", date(2027, 9, 30))


def test_a_hire_planned_after_the_as_of_date_is_not_planned_yet(write_plan: PlanWriter) -> None:
    report = report_of(write_plan({"plan.yaml": BASE_PLAN}), date(2027, 4, 15))
    # day 15 of 183: floor(12 x 15 / 183) = 0, the first hire is on day ceil(183 / 12) = 16
    assert next(program for program in report.programs if program.id == "hiring").roles[0].planned == 0
    assert next(program for program in report_of(write_plan({"plan.yaml": BASE_PLAN}), date(2027, 4, 16)).programs
                if program.id == "hiring").roles[0].planned == 1


def test_json_report_carries_the_new_figures_and_matches_its_schema(write_plan: PlanWriter) -> None:
    import jsonschema

    root = write_plan({"plan.yaml": CAPACITY_PLAN.replace("associate: {count: 12,",
                                                          "associate: {time_to_fill: 6w, count: 12,")})
    result = CliRunner().invoke(cli, ["report", str(root), "--as-of", "2027-05-20", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    picking = document["capacity"][0]
    assert {key: picking[key] for key in ("capacity", "demand", "planned_utilisation", "fte_needed", "wip",
                                          "bottleneck")} == {
        "capacity": "425500", "demand": "410000", "planned_utilisation": "96.4", "fte_needed": "25",
        "wip": "2246.6", "bottleneck": True}
    role = document["programs"][1]["roles"][0]
    assert role["requisitions"] == {"open_by_now": 6, "due_next_30_days": 2, "next_open_date": "2027-06-04"}
    warehouse = next(head for head in document["headcount"] if head["department"] == "warehouse")
    assert (warehouse["planned"], warehouse["leavers"], warehouse["attrition_pct"]) == (43, None, None)


def test_every_format_shows_capacity_and_requisitions(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": CAPACITY_PLAN.replace("associate: {count: 12,",
                                                          "associate: {time_to_fill: 6w, count: 12,")})
    for output_format, marks in (("text", ("CAPACITY", "REQUISITIONS", "* picking")),
                                 ("markdown", ("### Capacity", "### Requisitions", "`picking` **bottleneck**")),
                                 ("html", ('id="capacity-table"', 'id="requisitions-table"', "bottleneck"))):
        result = CliRunner().invoke(cli, ["report", str(root), "--as-of", "2027-05-20", "--format", output_format])
        assert result.exit_code == 0, result.output
        for mark in marks:
            assert mark in result.stdout, (output_format, mark)


def test_graph_analyze_names_the_bottleneck_and_the_view_colours_by_utilisation(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": CAPACITY_PLAN})
    runner = CliRunner()
    analysis = runner.invoke(cli, ["graph", str(root), "--analyze"])
    assert analysis.exit_code == 0, analysis.output
    assert "Bottleneck of each connected part (highest planned utilisation):\n  picking: 96.4%\n  returns: 85.0%\n" \
        in analysis.stdout
    dot = runner.invoke(cli, ["graph", str(root), "--view", "processes", "--format", "dot"]).stdout
    assert '"cluster_legend"' in dot
    picking = next(line for line in dot.splitlines() if line.strip().startswith('"process:picking"'))
    assert 'fillcolor="#fed7aa"' in picking and 'penwidth="3"' in picking  # 85.1% to 100%, the bottleneck
    mermaid = runner.invoke(cli, ["graph", str(root), "--view", "processes", "--format", "mermaid"]).stdout
    assert "classDef utilisation-high fill:#fed7aa,stroke:#c2410c" in mermaid
    plain = write_plan({"plan.yaml": BASE_PLAN})
    assert '"cluster_legend"' not in runner.invoke(cli, ["graph", str(plain), "--view", "processes",
                                                         "--format", "dot"]).stdout
    assert "Bottleneck" not in runner.invoke(cli, ["graph", str(plain), "--analyze"]).stdout


def test_diff_counts_hires_on_the_roles_department_at_the_horizon_end(write_plan: PlanWriter) -> None:
    from opsplan.diff.compare import planned_headcount

    plan_text = (BASE_PLAN.replace("processes:\n", "  hr: {name: People, parent: ops, head: Kim Lee, headcount: 4}\n"
                                   "processes:\n", 1)
                 .replace("    name: Peak hiring\n    owner: warehouse", "    name: Peak hiring\n    owner: hr")
                 .replace("associate: {count: 12,", "associate: {department: warehouse, count: 12,", 1)
                 .replace("    headcount: 40\n", "    headcount: 40\n    attrition: 10\n", 1))
    _, result = check_path(write_plan({"plan.yaml": plan_text}))
    assert result.plan is not None and not result.errors
    # on 2029-12-31, 1,095 days in (2028 has 366): 40 + 12 - floor(40 x 10% x 1,095 / 365) = 52 - 12 = 40
    assert planned_headcount(result.plan, date(2029, 12, 31)) == {"ops": 10, "warehouse": 40, "hr": 4}


def test_the_benchmark_plan_with_people_checks_without_errors(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = tmp_path / "plan"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "60", str(folder), "--people",
                    "--months", "3"], check=True, capture_output=True)
    _, result = check_path(folder)
    assert result.plan is not None and not result.errors, [str(d) for d in result.errors]
    assert not any(d.code == "OPS607" for d in result.diagnostics)  # demand at 50% to 79% of capacity
    report = build_report(result.plan, result.actuals, date(2027, 3, 31))
    assert len(report.capacity) == len(result.plan.processes) == 60
    roles = [role for program in report.programs for role in program.roles]
    assert roles and all(role.requisitions is not None for role in roles)


def test_a_fractional_staff_and_a_zero_target_are_reported_not_crashed_on(write_plan: PlanWriter) -> None:
    plan = (CAPACITY_PLAN.replace("per_fte: 2_300, fte: 185}", "per_fte: 2_300, fte: 185.5}")
            .replace("demand: {per: month, value: 850}\n", "demand: {per: month, value: 850}\n"
                     "    utilisation_target: 0\n"))
    report = report_of(write_plan({"plan.yaml": plan}), date(2027, 3, 31))
    # ceil(410,000 / 1,955) - 185.5 = 210 - 185.5 = 24.5
    assert capacity_of(report, "picking").fte_needed == Decimal("24.5")
    gaps = {gap.entities[0].id: gap for gap in report.gaps if gap.kind is GapKind.CAPACITY_SHORTFALL}
    assert "add 24.5 FTE through hiring" in gaps["picking"].recommendation
    assert gaps["returns"].size == 1  # above a target of 0: all of it


def test_html_shows_no_attrition_as_the_page_shows_any_missing_figure(tmp_path: Path) -> None:
    """A department with no headcount counted has no leavers: an en dash, as in every HTML cell."""
    from click.testing import CliRunner

    from opsplan.cli import cli

    page = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", str(ACME), "--as-of", "2027-03-31", "--format", "html", "-o", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    table = text[text.index('id="headcount-table"'):]
    row = table[table.index(">Executive office<"):]
    row = row[:row.index("</tr>")]  # no headcount counted for the executive office in acme
    assert "<td>\u2013</td>" in row and ">-<" not in row
