"""`opsplan graph --select status:S`: the report built on --as-of chooses the nodes, as `ls` does."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner
from conftest import REPO

from opsplan.cli import cli

AS_OF = "2027-03-31"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(REPO)
    return CliRunner()


def _listed(runner: CliRunner, expression: str) -> list[str]:
    result = runner.invoke(cli, ["ls", "plans/acme", "--select", expression, "--as-of", AS_OF,
                                 "--fields", "kind,id", "--format", "csv"])
    assert result.exit_code == 0, result.output
    return sorted(f"{row['kind']}:{row['id']}" for row in csv.DictReader(result.stdout.splitlines()))


def _drawn(runner: CliRunner, *options: str) -> list[str]:
    result = runner.invoke(cli, ["graph", "plans/acme", *options, "--format", "json"])
    assert result.exit_code == 0, result.output
    return sorted(node["id"] for node in json.loads(result.stdout)["nodes"])


@pytest.mark.parametrize(("view", "expression"), [
    ("goals", "status:off-track"),
    ("goals", "status:off-track status:at-risk"),
    ("programs", "status:behind"),
    ("programs", "status:running,kind:program"),
])
def test_status_draws_the_nodes_ls_lists(runner: CliRunner, view: str, expression: str) -> None:
    listed = _listed(runner, expression)
    assert listed
    assert _drawn(runner, "--view", view, "--select", expression, "--as-of", AS_OF) == listed


def test_status_follows_links_and_excludes(runner: CliRunner) -> None:
    off_track = _listed(runner, "status:off-track")
    drawn = _drawn(runner, "--view", "goals", "--select", "+status:off-track", "--as-of", AS_OF)
    assert set(off_track) < set(drawn)  # with the work and KPIs the off-track goals lean on
    rest = _drawn(runner, "--view", "goals", "--select", "kind:goal", "--exclude", "status:off-track",
                  "--as-of", AS_OF)
    assert rest and not set(rest) & set(off_track)


def test_a_status_the_view_does_not_hold_matches_nothing(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["graph", "plans/acme", "--select", "status:over", "--as-of", AS_OF])
    assert result.exit_code == 1
    assert "the selection matches nothing in the processes view" in result.output


def test_an_unknown_status_is_exit_2_with_its_column(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["graph", "plans/acme", "--select", "kind:goal,status:off-trak"])
    assert result.exit_code == 2
    assert "--select column 18: unknown status `off-trak`" in result.output
    assert "did you mean `off-track`?" in result.output


def test_as_of_without_a_status_selector_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["graph", "plans/acme", "--select", "kind:goal", "--as-of", AS_OF])
    assert result.exit_code == 2 and "select by status:" in result.output
