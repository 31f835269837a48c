"""What every output format agrees on: money grouped the same way everywhere, and a file's test
cases in JUnit are the rules that can find something in it."""

from __future__ import annotations

from xml.etree import ElementTree

from click.testing import CliRunner
from conftest import BASE_PLAN, PlanWriter

from opsplan.cli import cli
from opsplan.diagnostics import registry


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
