"""`opsplan report --owner DEPT`: the report narrowed to what a department owns, funds or must act
on, in every format (goldens for two departments of plans/acme)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import REPO, assert_golden

from opsplan.cli import cli


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(REPO)
    return CliRunner()


@pytest.mark.parametrize("department", ["transport", "hr"])
@pytest.mark.parametrize(("output_format", "extension"), [("text", "txt"), ("markdown", "md"), ("json", "json")])
def test_owner_view_goldens(runner: CliRunner, department: str, output_format: str, extension: str) -> None:
    result = runner.invoke(cli, ["report", "plans/acme", "--as-of", "2027-03-31", "--owner", department,
                                 "--format", output_format])
    assert result.exit_code == 0, result.output
    assert_golden(f"report/owner-{department}.{extension}", result.stdout)


def test_owner_view_holds_only_the_departments_things(runner: CliRunner) -> None:
    document = json.loads(runner.invoke(cli, ["report", "plans/acme", "--as-of", "2027-03-31", "--owner", "transport",
                                              "--format", "json"]).stdout)
    assert document["organization"] == "Acme Logistics (Transport and its sub-departments)"
    assert {kpi["owner"] for kpi in document["kpis"]} == {"transport"}
    assert {d["department"] for b in document["budgets"] for d in b["departments"]} == {"transport"}
    # the budget's burn is added up again from the department kept
    fy2027 = document["budgets"][0]
    assert fy2027["allocated"] == fy2027["departments"][0]["own"]["allocated"]
    # its goals, and the goals its work supports (improve-margin is supported by linehaul-transport)
    assert {"on-time-every-time", "improve-margin"} <= {goal["id"] for goal in document["goals"]}
    assert all(any(e["id"] == "transport" or e["kind"] != "department" for e in gap["entities"])
               for gap in document["gaps"])
    # HR runs the driver hiring, but its roles land on transport: the program is transport's too
    assert "driver-hiring-2027" in {program["id"] for program in document["programs"]}
    assert [process["process"] for process in document["capacity"]] == ["linehaul-transport"]
    shortfall = next(gap for gap in document["gaps"] if gap["kind"] == "capacity-shortfall")
    assert "driver-hiring-2027" in shortfall["recommendation"]


def test_unknown_owner_is_exit_2_with_a_hint(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["report", "plans/acme", "--owner", "transprt"])
    assert result.exit_code == 2 and "did you mean `transport`" in result.stderr


def test_report_select_narrows_too(runner: CliRunner) -> None:
    document = json.loads(runner.invoke(cli, ["report", "plans/acme", "--as-of", "2027-03-31", "--select",
                                              "kind:goal,status:off-track", "--format", "json"]).stdout)
    assert [goal["status"] for goal in document["goals"]] == ["off-track"] * 3
    assert document["kpis"] == [] and document["budgets"] == []
