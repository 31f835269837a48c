"""What every output format agrees on: money grouped the same way everywhere, and a file's test
cases in JUnit are the rules that can find something in it."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from conftest import BASE_PLAN, PlanWriter, plan_repository

from opsplan.cli import cli
from opsplan.rules import registry


@pytest.fixture
def raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose second commit raises a budget line from 500.10 to 9.8 million USD."""
    raised = (BASE_PLAN.replace("amount: 500.10", "amount: 9800000").replace("total: 1000", "total: 10000000")
              .replace("cap: 600", "cap: 9900000"))
    return plan_repository(tmp_path, monkeypatch, raised)


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
