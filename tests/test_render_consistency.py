"""What every output format agrees on: money grouped the same way everywhere, and a file's test
cases in JUnit are the rules that can find something in it."""

from __future__ import annotations

import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from conftest import BASE_PLAN, ROOT_FILE, PlanWriter

from opsplan.cli import cli
from opsplan.rules import registry


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose second commit raises a budget line from 500.10 to 9.8 million USD."""
    for name, value in {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "A",
                        "GIT_COMMITTER_EMAIL": "a@example.com", "GIT_CONFIG_NOSYSTEM": "1",
                        "HOME": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    repo = tmp_path / "repo"
    (repo / "plan").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "plan" / "opsplan.yaml").write_text(ROOT_FILE, encoding="utf-8")
    (repo / "plan" / "plan.yaml").write_text(BASE_PLAN, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    raised = (BASE_PLAN.replace("amount: 500.10", "amount: 9800000").replace("total: 1000", "total: 10000000")
              .replace("cap: 600", "cap: 9900000"))
    (repo / "plan" / "plan.yaml").write_text(raised, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "v2")
    monkeypatch.chdir(repo)
    return repo


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_diff_groups_changed_amounts_like_the_budget_totals(raised: Path, output_format: str) -> None:
    output = CliRunner().invoke(cli, ["diff", "HEAD~1", "HEAD", "plan", "--format", output_format]).output
    assert "9,800,099.90" in output  # the budget's new total, as it always was
    assert "departments.warehouse.lines.salaries.amount: 500.10 USD -> 9,800,000 USD" in output
    assert "departments.warehouse.cap: 600 USD -> 9,900,000 USD" in output
    assert "9800000" not in output


def test_junit_lists_only_the_actuals_rules_for_a_csv_file(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN,
                       "actuals/kpi.csv": "date,kpi,value\n2027-01-05,shipping.on-time,95\n2027-02-05,nope.x,1\n"})
    result = CliRunner().invoke(cli, ["check", str(root), "--format", "junit"])
    assert result.exit_code == 1, result.output
    suites = {suite.get("name", ""): suite for suite in ElementTree.fromstring(result.output)}
    csv_suite = next(suite for name, suite in suites.items() if name.endswith("actuals/kpi.csv"))
    csv_cases = [case.get("name", "").split()[0] for case in csv_suite.iter("testcase")]
    actuals_rules = sorted(code for code in registry() if code.startswith("OPS7"))
    assert sorted(csv_cases) == actuals_rules
    assert csv_suite.get("tests") == str(len(actuals_rules)) and csv_suite.get("failures") == "1"
    yaml_suite = next(suite for name, suite in suites.items() if name.endswith("plan.yaml"))
    assert yaml_suite.get("tests") == str(len(registry()))  # a plan file is checked by every rule
