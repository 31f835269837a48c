"""`opsplan history` on a scripted repository whose commits are known: every followed change,
`eased` and `eased-while-off-track`, a renamed goal as removed + added, first parent only,
and goldens per format (regenerate with `OPSPLAN_UPDATE_GOLDEN=1 pytest tests/test_history.py`)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import BASE_PLAN, ROOT_FILE, assert_golden

from opsplan.cli import cli

# shipping.cost-per-order: lower is better, baseline 12.40, target 10.50 (goal `cheaper`). On
# 2027-03-05 the path expects 12.40 - (12.40 - 11.90) x 63 / 180 = 12.225; the February reading
# of 12.60 is behind by 0.375, more than 10% of |10.50 - 12.40| = 0.19: off-track.
READINGS = "date,kpi,value\n2027-01-31,shipping.cost-per-order,12.40\n2027-02-28,shipping.cost-per-order,12.60\n"


def git(repo: Path, *args: str, when: str = "2027-01-05") -> str:
    stamp = f"{when}T12:00:00+00:00"
    env = {"GIT_AUTHOR_NAME": "Plan Owner", "GIT_AUTHOR_EMAIL": "owner@example.com", "GIT_AUTHOR_DATE": stamp,
           "GIT_COMMITTER_NAME": "Plan Owner", "GIT_COMMITTER_EMAIL": "owner@example.com",
           "GIT_COMMITTER_DATE": stamp, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo), "PATH": _path()}
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env).stdout


def _path() -> str:
    import os

    return os.environ.get("PATH", "")


def commit(repo: Path, message: str, when: str, edits: dict[str, tuple[str, str] | str | bytes | None]) -> None:
    """Apply ``edits`` (file -> (old, new) replacement, full text or bytes, or None to delete) and commit."""
    for name, edit in edits.items():
        path = repo / name
        if edit is None:
            path.unlink()
        elif isinstance(edit, tuple):
            text = path.read_text(encoding="utf-8")
            assert edit[0] in text, f"{edit[0]!r} not in {name}"
            path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
        elif isinstance(edit, bytes):
            path.write_bytes(edit)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(edit, encoding="utf-8")
    git(repo, "add", "-A", when=when)
    git(repo, "commit", "-q", "-m", message, when=when)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("history") / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(root, "Plan 2027", "2027-01-05", {"plan/opsplan.yaml": ROOT_FILE, "plan/plan.yaml": BASE_PLAN,
                                             "plan/actuals/kpi-readings.csv": READINGS, "README.md": "plan\n"})
    commit(root, "Raise the bar", "2027-02-10", {
        "plan/plan.yaml": ("total: 1000", "total: 1200"),
        "README.md": "plan, not followed\n"})
    commit(root, "Sharper targets", "2027-02-11", {"plan/plan.yaml": (
        "baseline: 100, target: 120}", "baseline: 100, target: 125}")})
    commit(root, "Margin sooner", "2027-02-12", {"plan/plan.yaml": ("due: 2029-12-31", "due: 2029-06-30")})
    commit(root, "Cost goal is out of reach", "2027-03-05", {"plan/plan.yaml": (
        "measure: {kpi: shipping.cost-per-order, target: 10.50}",
        "measure: {kpi: shipping.cost-per-order, target: 11.00}")})
    commit(root, "Margin later again", "2027-03-10", {"plan/plan.yaml": ("due: 2029-06-30", "due: 2029-12-31")})
    # A side branch merged with --no-ff: first parent sees the merge, never the branch's commit.
    git(root, "checkout", "-q", "-b", "caps", when="2027-03-12")
    commit(root, "Cap on the branch", "2027-03-12", {"plan/plan.yaml": ("cap: 600", "cap: 700")})
    git(root, "checkout", "-q", "main", when="2027-03-13")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge caps", "caps", when="2027-03-14")
    commit(root, "Rename margin to profit", "2027-03-20", {"plan/plan.yaml": ("  margin:\n    title", "  profit:\n    title")})
    commit(root, "Half-typed file", "2027-03-21", {"plan/broken.yaml": "goals: [\n"})
    commit(root, "Not the plan", "2027-03-22", {"README.md": "elsewhere\n"})
    return root


def run(repo: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["history", str(repo / "plan"), *args])
    assert result.exit_code == 0, result.output
    return result.output


def rows(repo: Path, *args: str) -> list[tuple[str, ...]]:
    document = json.loads(run(repo, "--format", "json", *args))
    return [(change["subject"], change["entity"], change["id"], change["change"], change["field"] or "",
             change["old"] or "", change["new"] or "",
             "eased-while-off-track" if change["eased_while_off_track"] else "eased" if change["eased"] else "")
            for change in document["changes"]]


def test_every_followed_change_after_the_first_commit_oldest_first(repo: Path) -> None:
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    assert rows(repo, "--since", first) == [
        ("Raise the bar", "budget", "fy2027", "changed", "total", "1000", "1200", ""),
        ("Sharper targets", "kpi", "picking.pick-rate", "changed", "target", "120", "125", ""),
        ("Margin sooner", "goal", "margin", "changed", "due", "2029-12-31", "2029-06-30", ""),
        ("Cost goal is out of reach", "goal", "cheaper", "changed", "target", "10.50", "11.00",
         "eased-while-off-track"),
        ("Margin later again", "goal", "margin", "changed", "due", "2029-06-30", "2029-12-31", "eased"),
        ("Merge caps", "cap", "fy2027/warehouse", "changed", "cap", "600", "700", ""),
        ("Rename margin to profit", "goal", "margin", "removed", "", "", "", ""),
        ("Rename margin to profit", "goal", "profit", "added", "", "", "", ""),
    ]


def test_the_first_commit_adds_what_the_plan_holds(repo: Path) -> None:
    added = [row for row in rows(repo) if row[0] == "Plan 2027"]
    assert {(entity, id) for _, entity, id, *_ in added} == {
        ("budget", "fy2027"), ("cap", "fy2027/warehouse"), ("goal", "margin"), ("goal", "cheaper"),
        ("kpi", "picking.pick-rate"), ("kpi", "shipping.on-time"), ("kpi", "shipping.cost-per-order")}


def test_goal_filter_keeps_one_goal_and_a_rename_ends_its_story(repo: Path) -> None:
    assert [(row[0], row[3], row[4]) for row in rows(repo, "--goal", "margin")] == [
        ("Plan 2027", "added", ""), ("Margin sooner", "changed", "due"), ("Margin later again", "changed", "due"),
        ("Rename margin to profit", "removed", "")]


def test_an_unreadable_file_is_a_note_not_a_crash(repo: Path) -> None:
    document = json.loads(run(repo, "--format", "json"))
    assert [item["file"] for item in document["unreadable"]] == ["broken.yaml"]
    assert "broken.yaml could not be read" in run(repo)


def easing_of_cheaper_after(repo: Path, message: str, edits: dict[str, tuple[str, str] | str | bytes | None]) -> str:
    """How the easing of goal `cheaper` is marked once ``edits`` are committed (then undone)."""
    commit(repo, message, "2027-03-25", edits)
    try:
        [cheaper] = [row for row in rows(repo, "--goal", "cheaper") if row[3] == "changed"]
        assert cheaper[:7] == ("Cost goal is out of reach", "goal", "cheaper", "changed", "target", "10.50", "11.00")
        return cheaper[7]
    finally:
        git(repo, "reset", "-q", "--hard", "HEAD~1")


def test_without_actuals_an_eased_goal_is_only_eased(repo: Path) -> None:
    assert easing_of_cheaper_after(repo, "Actuals move out", {"plan/actuals/kpi-readings.csv": None}) == "eased"


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_goldens(repo: Path, output_format: str) -> None:
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    output = run(repo, "--since", first, "--format", output_format)
    extension = {"text": "txt", "markdown": "md", "json": "json"}[output_format]
    assert_golden(f"history/history.{extension}", output)


def test_unknown_revision_and_no_repository_are_exit_2(repo: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["history", str(repo / "plan"), "--since", "no-such-tag"])
    assert result.exit_code == 2 and "unknown revision `no-such-tag`" in result.output
    (tmp_path / "alone").mkdir()
    result = CliRunner().invoke(cli, ["history", str(tmp_path / "alone")])
    assert result.exit_code == 2 and "git repository" in result.output


def test_readings_in_a_parquet_file_judge_an_eased_goal_too(repo: Path, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb", reason="DuckDB is not installed here: Parquet files cannot be read")
    readings = tmp_path / "kpi-readings.parquet"
    connection = duckdb.connect()
    connection.execute("COPY (SELECT * FROM (VALUES (DATE '2027-01-31', 'shipping.cost-per-order', 12.40), "
                       "(DATE '2027-02-28', 'shipping.cost-per-order', 12.60)) AS readings(date, kpi, value)) TO $path",
                       {"path": str(readings)})
    connection.close()
    assert easing_of_cheaper_after(repo, "Readings as Parquet", {
        "plan/actuals/kpi-readings.csv": None, "plan/actuals/kpi-readings.parquet": readings.read_bytes()},
    ) == "eased-while-off-track"
