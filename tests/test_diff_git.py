"""`opsplan diff`: real git repositories with a history of plan changes, the diff pinned per
format by golden files (regenerate with `OPSPLAN_UPDATE_GOLDEN=1 pytest tests/test_diff_git.py`)."""

from __future__ import annotations

import json
import subprocess
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BASE_PLAN, ROOT_FILE, assert_golden

from opsplan.check.pipeline import check_source
from opsplan.cli import cli
from opsplan.diff.compare import critical_path
from opsplan.load.gitsource import GitSource
from opsplan.load.source import DirectorySource
from opsplan.model import Duration, DurationUnit, Origin, Process, ProcessType

MORE_PROCESSES = """\
processes:
  returns:
    name: Returns
    owner: warehouse
    depends_on: [shipping]
    cycle_time: 2d
    kpis:
      return-rate: {name: Return rate, unit: percent, better: lower, baseline: 5, target: 3}
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def write(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def commit(repo: Path, tag: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", tag)
    git(repo, "tag", tag)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose plan in plan/ goes through five commits, tagged v1 to v5."""
    for name, value in {"GIT_AUTHOR_NAME": "Plan Owner", "GIT_AUTHOR_EMAIL": "owner@example.com",
                        "GIT_COMMITTER_NAME": "Plan Owner", "GIT_COMMITTER_EMAIL": "owner@example.com",
                        "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root, "README.md", "not a plan\n")
    write(root, "plan/opsplan.yaml", ROOT_FILE)
    write(root, "plan/plan.yaml", BASE_PLAN)
    write(root, "plan/more.yaml", MORE_PROCESSES)
    commit(root, "v1")
    # v2: a budget line grows, a goal's target and due date move, a new dependency lengthens the path.
    plan = BASE_PLAN.replace("salaries: {amount: 500.10", "salaries: {amount: 540.10")
    plan = plan.replace("baseline: 8.5, target: 12}", "baseline: 8.5, target: 13}")
    plan = plan.replace("    due: 2028-12-31\n", "    due: 2028-06-30\n")
    plan = plan.replace("    owner: warehouse\n    cycle_time: 4h\n",
                        "    owner: warehouse\n    depends_on: [receiving]\n    cycle_time: 4h\n")
    plan = plan.replace("processes:\n", "processes:\n  receiving:\n    name: Receiving\n    owner: warehouse\n"
                        "    cycle_time: 1w\n    kpis:\n      dock-time: {name: Dock time, unit: hours, better: lower, "
                        "baseline: 6, target: 4}\n", 1)
    write(root, "plan/plan.yaml", plan)
    commit(root, "v2")
    # v3: a program renamed (remove + add), more hires; a process moves to another file (no change).
    plan = plan.replace("automation", "robotics").replace("associate: {count: 12", "associate: {count: 15")
    write(root, "plan/plan.yaml", plan)
    write(root, "plan/returns/returns.yaml", MORE_PROCESSES)
    (root / "plan/more.yaml").unlink()
    commit(root, "v3")
    # v4: a file becomes invalid YAML.
    write(root, "plan/returns/returns.yaml", MORE_PROCESSES.replace("depends_on: [shipping]", "depends_on: [shipping"))
    commit(root, "v4")
    return root


@pytest.fixture
def runner(repo: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(repo / "plan")
    return CliRunner()


@pytest.mark.parametrize("output_format,suffix", [("text", "txt"), ("markdown", "md"), ("json", "json")])
def test_diff_of_budgets_goals_and_dependencies_per_format(runner: CliRunner, output_format: str, suffix: str) -> None:
    result = runner.invoke(cli, ["diff", "v1", "v2", "--format", output_format])
    assert result.exit_code == 0, result.output
    assert_golden(f"diff/v1-v2.{suffix}", result.output)


def test_budget_goal_and_critical_path_figures(runner: CliRunner) -> None:
    document = json.loads(runner.invoke(cli, ["diff", "v1", "v2", "--format", "json"]).output)
    assert {"budget": "fy2027", "department": "warehouse", "before": "600.00", "after": "640.00",
            "delta": "40.00", "percent": "6.7"} in document["budgets"]
    assert document["goals"] == [
        {"goal": "cheaper", "target_before": "10.50", "target_after": "10.50",
         "due_before": "2028-12-31", "due_after": "2028-06-30"},
        {"goal": "margin", "target_before": "12", "target_after": "13",
         "due_before": "2029-12-31", "due_after": "2029-12-31"}]
    assert document["dependencies"] == [
        {"kind": "processes", "dependent": "picking", "dependency": "receiving", "change": "added"}]
    assert document["critical_path"]["before"] == {"hours": "76", "processes": ["picking", "shipping", "returns"]}
    assert document["critical_path"]["after"]["processes"] == ["receiving", "picking", "shipping", "returns"]
    assert document["critical_path"]["longer"] is True
    assert [(e["kind"], e["id"], e["change"]) for e in document["entities"]] == [
        ("processes", "picking", "changed"), ("processes", "receiving", "added"),
        ("budgets", "fy2027", "changed"), ("goals", "cheaper", "changed"), ("goals", "margin", "changed")]


def test_renames_are_a_removal_and_an_addition_and_a_moved_file_is_no_change(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["diff", "v2", "v3"])
    assert result.exit_code == 0
    assert_golden("diff/v2-v3.txt", result.output)
    assert "- program automation (plan.yaml)" in result.output
    assert "+ program robotics (plan.yaml)" in result.output
    assert "returns" not in result.output.split("\n\n")[-1]  # moved to returns/returns.yaml: not a change
    assert "  warehouse: 40 -> 40; planned 52 -> 55" in result.output


def test_a_file_that_becomes_invalid_shows_as_a_finding_introduced(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["diff", "v3", "v4", "--format", "markdown"])
    assert result.exit_code == 0
    assert_golden("diff/v3-v4.md", result.output)
    assert "#### Findings introduced" in result.output and "OPS001 YAML syntax error" in result.output
    fixed = runner.invoke(cli, ["diff", "v4", "v3"]).output
    assert "Findings fixed:\n  returns/returns.yaml:" in fixed


def test_head_defaults_to_the_working_tree_and_exit_code_flags_a_change(runner: CliRunner, repo: Path) -> None:
    assert runner.invoke(cli, ["diff", "v4", "--exit-code"]).exit_code == 0
    unchanged = runner.invoke(cli, ["diff", "v4"])
    assert "No changes to the plan." in unchanged.output
    write(repo, "plan/plan.yaml", (repo / "plan/plan.yaml").read_text().replace("headcount: 40", "headcount: 44"))
    changed = runner.invoke(cli, ["diff", "v4", "--exit-code"])
    assert changed.exit_code == 1
    assert "v4 -> working tree" in changed.output and "headcount: 40 -> 44" in changed.output
    assert runner.invoke(cli, ["diff", "v4"]).exit_code == 0  # without --exit-code, 0 whatever the diff


def test_path_argument_and_reading_without_checkout(runner: CliRunner, repo: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    status_before = git(repo, "status", "--porcelain")
    head_before = git(repo, "rev-parse", "HEAD")
    via_path = runner.invoke(cli, ["diff", "v1", "v2", "plan"])
    assert via_path.exit_code == 0 and "+ process receiving" in via_path.output
    # Two words: the second is a path when it names no revision.
    assert "+ process receiving" in runner.invoke(cli, ["diff", "v1", "plan/returns"]).output
    assert (git(repo, "status", "--porcelain"), git(repo, "rev-parse", "HEAD")) == (status_before, head_before)


def test_bad_revisions_and_places_exit_two_with_a_clear_message(runner: CliRunner, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(cli, ["diff", "no-such-branch"])
    assert result.exit_code == 2 and "unknown revision `no-such-branch`" in result.output
    result = runner.invoke(cli, ["diff", "v1", "v9", "."])
    assert result.exit_code == 2 and "unknown revision `v9`" in result.output
    assert runner.invoke(cli, ["diff", "v1", "nothing-here"]).exit_code == 2
    assert runner.invoke(cli, ["diff"]).exit_code == 2
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    monkeypatch.chdir(outside)
    result = runner.invoke(cli, ["diff", "HEAD"])
    assert result.exit_code == 2 and "not inside a git repository" in result.output
    assert "Traceback" not in result.output


def test_git_source_reads_the_same_plan_as_the_folder(repo: Path) -> None:
    git(repo, "checkout", "-q", "v3")
    write(repo, "plan/.hidden/skipped.yaml", "processes: {}\n")
    (repo / "plan" / "link.yaml").symlink_to(repo / "plan" / "plan.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hidden folder and a link")
    source = GitSource(repo, git(repo, "rev-parse", "HEAD").strip(), "plan")
    # Hidden folders are skipped as on disk; a link to an absolute path leaves the committed plan.
    assert source.candidate_files() == ["opsplan.yaml", "plan.yaml", "returns/returns.yaml"]
    assert [(str(d.location), d.code) for d in source.refusals()] == [("link.yaml:1:1", "OPS008")]
    (repo / "plan" / "link.yaml").unlink()
    from_git, from_disk = check_source(source), check_source(DirectorySource(repo / "plan"))
    assert from_git.plan == from_disk.plan
    assert tuple(d for d in from_git.diagnostics if d.code != "OPS008") == from_disk.diagnostics


def process(id: str, hours: int, *depends_on: str) -> Process:
    return Process(id, id, "ops", ProcessType.CORE, depends_on, (), Duration(Decimal(hours), DurationUnit.HOURS),
                   (), None, (), {}, Origin("p.yaml", None))


def test_critical_path_is_the_longest_chain_and_skips_cycles() -> None:
    plan = {p.id: p for p in [process("a", 1), process("b", 5, "a"), process("c", 2, "a"), process("d", 1, "b", "c"),
                              process("x", 100, "y"), process("y", 100, "x")]}
    path = critical_path(plan)
    assert (path.hours, path.processes) == (Decimal(7), ("a", "b", "d"))
    assert critical_path({}).processes == ()


def test_critical_path_of_a_long_chain_is_linear() -> None:
    chain = {f"p{i}": process(f"p{i}", 1, *([f"p{i - 1}"] if i else [])) for i in range(20_000)}
    path = critical_path(chain)
    assert path.hours == 20_000 and path.processes[0] == "p0" and path.processes[-1] == "p19999"
