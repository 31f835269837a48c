"""`opsplan ls`: what a user sees for a selection of plans/acme, in every format."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from conftest import BASE_PLAN, REPO, PlanWriter, assert_golden

from opsplan.cli import cli


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(REPO)
    return CliRunner()


@pytest.mark.parametrize(("arguments", "golden"), [
    ([], "ls/acme.txt"),
    (["--select", "kind:goal"], "ls/goals.txt"),
    (["--select", "owner:transport", "--exclude", "kind:kpi"], "ls/transport.txt"),
    (["--select", "funds:improve-margin", "--format", "csv"], "ls/funds-improve-margin.csv"),
    (["--select", "status:off-track status:behind", "--as-of", "2027-03-31", "--format", "json"],
     "ls/off-track.json"),
])
def test_ls_outputs(runner: CliRunner, arguments: list[str], golden: str) -> None:
    result = runner.invoke(cli, ["ls", "plans/acme", *arguments])
    assert result.exit_code == 0, result.output
    assert_golden(golden, result.stdout)


def test_text_fits_100_columns(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ls", "plans/acme"])
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


def test_fields_pick_columns_in_every_format(runner: CliRunner) -> None:
    # a budget's allocated amount is its total as written
    result = runner.invoke(cli, ["ls", "plans/acme", "--select", "kind:budget", "--fields", "id,allocated,start",
                                 "--format", "csv"])
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["id", "allocated", "start"], ["fy2027", "76500000.00", "2027-01-01"], ["fy2028", "78000000.00", "2028-01-01"]]
    document = json.loads(runner.invoke(cli, ["ls", "plans/acme", "--select", "sales", "--fields", "kind,id",
                                              "--format", "json"]).stdout)
    assert {"kind": "department", "id": "sales"} in document["entities"]
    bad = runner.invoke(cli, ["ls", "plans/acme", "--fields", "id,ownr"])
    assert bad.exit_code == 2 and "unknown field `ownr` (did you mean `owner`?)" in bad.stderr


def test_a_formula_in_a_name_is_text_in_csv(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN.replace("name: Operations", "name: '=HYPERLINK(\"x\")'")})
    result = CliRunner().invoke(cli, ["ls", str(root), "--select", "ops", "--fields", "id,name", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "ops,\"'=HYPERLINK(\"\"x\"\")\""
