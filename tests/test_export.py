"""`opsplan export` and `report --format xlsx`: workbooks read back with a second library
(openpyxl) and checked cell by cell against the JSON report; CSV tables; no formulas ever."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BASE_PLAN, REPO, PlanWriter

from opsplan.cli import cli

openpyxl = pytest.importorskip("openpyxl")

HOSTILE = ["=HYPERLINK(\"http://evil\")", "+1+2", "-3", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(REPO)
    return CliRunner()


def _rows(sheet: object) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[attr-defined]


def test_report_workbook_matches_the_json_report_cell_by_cell(runner: CliRunner, tmp_path: Path) -> None:
    workbook_path = tmp_path / "acme.xlsx"
    result = runner.invoke(cli, ["export", "plans/acme", "--report", "--as-of", "2027-03-31", "-o", str(workbook_path)])
    assert result.exit_code == 0, result.output
    document = json.loads(runner.invoke(cli, ["report", "plans/acme", "--as-of", "2027-03-31",
                                              "--format", "json"]).stdout)
    workbook = openpyxl.load_workbook(workbook_path)

    departments = _rows(workbook["report_departments"])
    assert departments[0] == ["budget", "department", "name", "allocated", "expected", "actual", "variance",
                              "used_pct", "status"]
    expected_rows = [[budget["id"], department["department"], department["name"],
                      *(Decimal(department["own"][key]) for key in ("allocated", "expected", "actual", "variance")),
                      None if department["own"]["used_pct"] is None else Decimal(department["own"]["used_pct"]) / 100,
                      department["own"]["status"]]
                     for budget in document["budgets"] for department in budget["departments"]]
    assert len(departments) - 1 == len(expected_rows)
    for row, expected in zip(departments[1:], expected_rows, strict=True):
        assert row[:3] == expected[:3] and row[8] == expected[8]
        for cell, figure in zip(row[3:8], expected[3:8], strict=True):
            assert (cell is None and figure is None) or abs(Decimal(str(cell)) - figure) < Decimal("0.000001")

    gaps = _rows(workbook["report_gaps"])[1:]
    assert [(row[0], row[1], row[2], row[3]) for row in gaps] == [
        (gap["rank"], gap["severity"], gap["kind"], gap["title"]) for gap in document["gaps"]]
    goals = _rows(workbook["report_goals"])[1:]
    assert [(row[0], row[3], row[9]) for row in goals] == [
        (goal["id"], datetime.fromisoformat(goal["due"]), goal["status"]) for goal in document["goals"]]

    sheet = workbook["report_departments"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:I{len(departments)}"
    assert sheet["D2"].number_format == '#,##0.00 "USD"' and sheet["H2"].number_format == "0.0%"
    assert workbook["goals"]["E2"].number_format == "yyyy-mm-dd"
    # XlsxWriter writes neighbouring columns of one width as one range, so look the third one up
    name_width = next(d.width for d in sheet.column_dimensions.values() if d.min <= 3 <= d.max)
    assert name_width > max(len(row[2]) for row in departments)
    about = dict(_rows(workbook["about"])[1:])
    assert about["plan"] == "Acme Logistics" and about["as of"] == "2027-03-31"


def _same(cell: object, figure: object) -> bool:
    """A workbook cell against the JSON report's figure: numbers to a millionth (a percentage is
    written as a fraction, so the JSON figure ``"21.6"`` arrives as ``0.216``), dates as dates."""
    if figure is None or isinstance(figure, bool):
        return cell == ({True: "yes", False: "no"}.get(figure) if isinstance(figure, bool) else None)
    if figure is datetime:
        return isinstance(cell, datetime)
    if isinstance(figure, Decimal):
        return isinstance(cell, int | float) and abs(Decimal(str(cell)) - figure) < Decimal("0.000001")
    if isinstance(cell, datetime):
        return cell == datetime.fromisoformat(str(figure))
    return cell == figure


def _sheet_matches(workbook: object, name: str, header: list[str], expected: list[list[object]]) -> None:
    rows = _rows(workbook[name])  # type: ignore[index]
    assert rows[0] == header
    assert len(rows) - 1 == len(expected) > 0, name
    for row, figures in zip(rows[1:], expected, strict=True):
        for column, cell, figure in zip(header, row, figures, strict=True):
            assert _same(cell, figure), (name, column, cell, figure)


def _decimal(value: str | None, percent: bool = False) -> Decimal | None:
    return None if value is None else Decimal(value) / (100 if percent else 1)


def test_report_workbook_carries_months_earned_value_roles_capacity_and_waivers(
        runner: CliRunner, tmp_path: Path) -> None:
    workbook_path = tmp_path / "acme.xlsx"
    result = runner.invoke(cli, ["report", "plans/acme", "--as-of", "2027-03-31", "-o", str(workbook_path)])
    assert result.exit_code == 0, result.output
    document = json.loads(runner.invoke(cli, ["report", "plans/acme", "--as-of", "2027-03-31",
                                              "--format", "json"]).stdout)
    workbook = openpyxl.load_workbook(workbook_path)

    month_keys = ["planned", "actual", "variance", "cumulative_planned", "cumulative_actual"]
    _sheet_matches(workbook, "report_budget_months", ["budget", "month", *month_keys],
                   [[budget["id"], month["month"], *(_decimal(month[key]) for key in month_keys)]
                    for budget in document["budgets"] for month in budget["months"]])

    money = ["bac", "ac"]
    _sheet_matches(workbook, "report_earned_value",
                   ["program", "name", "owner", "start", "end", "lines", "progress_date", *money, "planned_pct",
                    "percent_complete", "pv", "ev", "cpi", "spi", "eac", "vac", "forecast_end"],
                   [[program["id"], program["name"], program["owner"], program["start"], program["end"],
                     " ".join(program["funded_by"]),
                     # the JSON report gives no progress date: a date exactly where a progress row counted
                     None if program["percent_complete"] is None else datetime, *(_decimal(program[key]) for key in money),
                     _decimal(program["planned_pct"], True), _decimal(program["percent_complete"], True),
                     *(_decimal(program[key]) for key in ("pv", "ev", "cpi", "spi", "eac", "vac")),
                     program["forecast_end"]]
                    for program in document["programs"] if program["bac"] is not None])

    _sheet_matches(workbook, "report_roles",
                   ["program", "role", "department", "count", "start", "by", "planned", "hired", "short",
                    "open_by_now", "due_next_30_days", "next_open_date"],
                   [[program["id"], role["id"], role["department"], role["count"], role["start"], role["by"],
                     role["planned"], role["hired"], role["short"],
                     *((role["requisitions"][key] for key in ("open_by_now", "due_next_30_days", "next_open_date"))
                       if role["requisitions"] else (None, None, None))]
                    for program in document["programs"] for role in program["roles"]])

    numbers = ["capacity", "demand"]
    _sheet_matches(workbook, "report_capacity",
                   ["process", "name", "owner", "unit", "per", *numbers, "planned_utilisation", "actual_utilisation",
                    "utilisation_target", "wip", "bottleneck", "fte_needed"],
                   [[*(process[key] for key in ("process", "name", "owner", "unit", "per")),
                     *(_decimal(process[key]) for key in numbers),
                     _decimal(process["planned_utilisation"], True), _decimal(process["actual_utilisation"], True),
                     _decimal(process["utilisation_target"]), _decimal(process["wip"]), process["bottleneck"],
                     _decimal(process["fte_needed"])]
                    for process in document["capacity"]])

    _sheet_matches(workbook, "report_waivers",
                   ["waiver", "rule", "entity", "owner", "reason", "expires", "days_left", "expiring"],
                   [[waiver[key] for key in ("id", "rule", "entity", "owner", "reason", "expires", "days_left",
                                             "expiring")]
                    for waiver in document["waivers"]])


def test_same_plan_same_bytes(runner: CliRunner, tmp_path: Path) -> None:
    for name in ("a.xlsx", "b.xlsx"):
        assert runner.invoke(cli, ["export", "plans/acme", "-o", str(tmp_path / name)]).exit_code == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_report_format_xlsx_writes_the_report_alone(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    result = runner.invoke(cli, ["report", "plans/acme", "--as-of", "2027-03-31", "-o", str(path)])
    assert result.exit_code == 0, result.output
    names = openpyxl.load_workbook(path).sheetnames
    assert names[0] == "about" and all(name.startswith("report_") for name in names[1:])


def _hostile_plan(write_plan: PlanWriter) -> Path:
    # json.dumps writes each value as a YAML double-quoted scalar, escapes included.
    replacements = {"name: Operations": HOSTILE[0], "name: Warehouse": HOSTILE[1], "head: Dana Kim": HOSTILE[2],
                    "head: Luis Ortega": HOSTILE[3], "cost_center: CC-1": HOSTILE[4], "cost_center: CC-2": HOSTILE[5]}
    plan = BASE_PLAN
    for written, value in replacements.items():
        plan = plan.replace(written, f"{written.split(':')[0]}: {json.dumps(value)}", 1)
    return write_plan({"plan.yaml": plan})


def test_no_cell_is_ever_a_formula(write_plan: PlanWriter, tmp_path: Path) -> None:
    root = _hostile_plan(write_plan)
    path = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(cli, ["export", str(root), "--report", "--as-of", "2027-03-31", "-o", str(path)])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(path)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    departments = _rows(workbook["departments"])
    assert departments[1][1] == "=HYPERLINK(\"http://evil\")" and departments[2][1] == "+1+2"
    # A carriage return is stored as OOXML's escape _x000D_, which openpyxl hands back undecoded.
    assert departments[1][3] == "-3" and departments[2][4] in {"\rx", "_x000D_x"}


def test_csv_tables_lead_formula_text_with_a_quote(write_plan: PlanWriter, tmp_path: Path) -> None:
    root = _hostile_plan(write_plan)
    folder = tmp_path / "tables"
    result = CliRunner().invoke(cli, ["export", str(root), "--format", "csv", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader((folder / "departments.csv").open(encoding="utf-8", newline="")))
    assert rows[0][:6] == ["id", "name", "parent", "head", "cost_center", "headcount"]
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\")" and rows[2][1] == "'+1+2"
    assert rows[1][3] == "'-3" and rows[2][3] == "'@SUM(A1)" and rows[1][4] == "'\tx"
    assert rows[1][5] == "10"  # a count stays a number


def test_line_months_follow_each_lines_phasing(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    result = runner.invoke(cli, ["export", "plans/acme", "--format", "csv", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((folder / "line_months.csv").open(encoding="utf-8", newline="")))
    trucks = {row["month"]: row["planned"] for row in rows
              if row["budget"] == "fy2027" and row["line"] == "tractor-replacement"}
    # A schedule: the 30% deposit in March, the rest in July and August; nothing in other months.
    assert (trucks["2027-03"], trucks["2027-07"], trucks["2027-08"], trucks["2027-01"]) == (
        "432000.00", "504000.00", "504000.00", "0.00")
    assert len(trucks) == 12 and {row["phasing"] for row in rows
                                  if row["budget"] == "fy2027" and row["line"] == "tractor-replacement"} == {"schedule"}
    # An even line: 365 days, January holds 31 of them.
    insurance = next(row for row in rows if row["budget"] == "fy2027" and row["phasing"] == "even")
    allocated = next(line for line in csv.DictReader((folder / "budget_lines.csv").open(encoding="utf-8"))
                     if line["budget"] == "fy2027" and line["line"] == insurance["line"]
                     and line["department"] == insurance["department"])["allocated"]
    expected = (Decimal(allocated) * 31 / 365).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert insurance["month"] == "2027-01" and Decimal(insurance["planned"]) == expected
