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
