"""`opsplan export --select/--exclude`: the plan tables keep the selected entities and the rows
that belong to them; selector mistakes and empty selections end the run as `ls` ends it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import REPO

from opsplan.cli import cli


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(REPO)
    return CliRunner()


def _export(runner: CliRunner, folder: Path, *options: str) -> Result:
    return runner.invoke(cli, ["export", "plans/acme", "--format", "csv", "-o", str(folder), *options])


def _table(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_process_comes_with_its_kpis_unless_they_are_excluded(runner: CliRunner, tmp_path: Path) -> None:
    assert _export(runner, tmp_path / "a", "--select", "process:order-intake").exit_code == 0
    assert [row["id"] for row in _table(tmp_path / "a", "processes")] == ["order-intake"]
    assert [row["kpi"] for row in _table(tmp_path / "a", "kpis")] == [
        "order-intake.order-accuracy", "order-intake.order-entry-time", "order-intake.edi-share"]
    assert _table(tmp_path / "a", "departments") == [] and _table(tmp_path / "a", "budget_lines") == []

    result = _export(runner, tmp_path / "b", "--select", "process:order-intake",
                     "--exclude", "kpi:order-intake.edi-share")
    assert result.exit_code == 0, result.output
    assert [row["kpi"] for row in _table(tmp_path / "b", "kpis")] == [
        "order-intake.order-accuracy", "order-intake.order-entry-time"]


def test_a_budget_comes_with_its_lines_and_their_months(runner: CliRunner, tmp_path: Path) -> None:
    result = _export(runner, tmp_path, "--select", "budget:fy2028", "--exclude", "owner:transport")
    assert result.exit_code == 0, result.output
    lines = _table(tmp_path, "budget_lines")
    assert lines and {row["budget"] for row in lines} == {"fy2028"}
    assert "transport" not in {row["department"] for row in lines}
    months = _table(tmp_path, "line_months")
    assert {(row["budget"], row["department"], row["line"]) for row in months} == {
        (row["budget"], row["department"], row["line"]) for row in lines}


def test_goals_keep_their_milestones_and_programs_their_roles(runner: CliRunner, tmp_path: Path) -> None:
    result = _export(runner, tmp_path, "--select", "goal:improve-margin program:warehouse-hiring-2027")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in _table(tmp_path, "goals")] == ["improve-margin"]
    assert {row["goal"] for row in _table(tmp_path, "milestones")} == {"improve-margin"}
    assert [row["id"] for row in _table(tmp_path, "programs")] == ["warehouse-hiring-2027"]
    roles = _table(tmp_path, "roles")
    assert {row["program"] for row in roles} == {"warehouse-hiring-2027"} and len(roles) >= 2


def test_owner_selection_keeps_only_that_departments_rows(runner: CliRunner, tmp_path: Path) -> None:
    result = _export(runner, tmp_path, "--select", "owner:transport", "--exclude", "kind:kpi")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in _table(tmp_path, "departments")] == ["transport"]
    assert {row["owner"] for row in _table(tmp_path, "processes")} == {"transport"}
    assert {row["department"] for row in _table(tmp_path, "budget_lines")} == {"transport"}
    assert _table(tmp_path, "kpis") == []
    about = {row["item"]: row["value"] for row in _table(tmp_path, "about")}
    assert (about["select"], about["exclude"]) == ("owner:transport", "kind:kpi")


def test_status_selects_with_the_report_of_as_of(runner: CliRunner, tmp_path: Path) -> None:
    report = runner.invoke(cli, ["ls", "plans/acme", "--select", "status:off-track", "--as-of", "2027-03-31",
                                 "--fields", "id", "--format", "csv"])
    off_track = [row["id"] for row in csv.DictReader(report.stdout.splitlines())]
    assert off_track
    result = _export(runner, tmp_path, "--select", "status:off-track", "--as-of", "2027-03-31")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in _table(tmp_path, "goals")] == off_track
    assert _table(tmp_path, "processes") == []
    about = {row["item"]: row["value"] for row in _table(tmp_path, "about")}
    assert (about["select"], about["statuses as of"]) == ("status:off-track", "2027-03-31")
    assert about["as of"] == "plan only (no report)"


def test_the_report_tables_are_narrowed_with_the_plan_tables(runner: CliRunner, tmp_path: Path) -> None:
    result = _export(runner, tmp_path, "--report", "--as-of", "2027-03-31", "--select", "owner:transport")
    assert result.exit_code == 0, result.output
    lines = _table(tmp_path, "report_lines")
    assert lines and {row["department"] for row in lines} == {"transport"}
    assert {row["owner"] for row in _table(tmp_path, "report_kpis")} == {"transport"}


def test_a_selection_matching_nothing_is_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    result = _export(runner, tmp_path, "--select", "kind:budget,owner:transport")
    assert result.exit_code == 1
    assert "the selection matches nothing in the plan" in result.output
    assert not tmp_path.joinpath("departments.csv").exists()


def test_a_malformed_selection_is_exit_2_with_its_column(runner: CliRunner, tmp_path: Path) -> None:
    result = _export(runner, tmp_path, "--select", "kind:goal", "--exclude", "owner:transprt")
    assert result.exit_code == 2
    assert "--exclude column 7: unknown department `transprt`; did you mean `transport`?" in result.output
    assert "  owner:transprt\n        ^" in result.output


def test_as_of_without_report_or_status_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = _export(runner, tmp_path, "--select", "kind:goal", "--as-of", "2027-03-31")
    assert result.exit_code == 2 and "--as-of dates the report" in result.output
