"""The selector language, as every command reads it: each method, unions and intersections,
exclusions, and mistakes reported at their column."""

from __future__ import annotations

import functools

import pytest
from click.testing import CliRunner
from conftest import ACME, REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplan.check.pipeline import check_path
from opsplan.cli import cli
from opsplan.model import Plan
from opsplan.select import choose, parse, plan_universe


@functools.cache
def _acme() -> Plan:
    plan = check_path(ACME)[1].plan
    assert plan is not None
    return plan


@pytest.fixture(scope="module")
def acme() -> Plan:
    return _acme()


def _keys(plan: Plan, expression: str, exclude: str | None = None) -> set[str]:
    selection = choose(plan, plan_universe(plan), expression, exclude)
    assert selection.errors == ()
    return set(selection.keys)


@pytest.mark.parametrize(("expression", "expected"), [
    # operations takes in the warehouse, transport and planning below it
    ("kind:goal,owner:operations", {"goal:cut-cost-per-order", "goal:faster-returns", "goal:on-time-every-time", "goal:reduce-empty-miles",
      "goal:reliable-operations", "goal:safer-workplace"}),
    ("kind:goals,department:operations", {"goal:cut-cost-per-order", "goal:faster-returns", "goal:on-time-every-time", "goal:reduce-empty-miles",
      "goal:reliable-operations", "goal:safer-workplace"}),
    ("order-fulfillment", {"process:order-fulfillment"}),
    ("kind:goal,owner:hr", {"goal:engaged-workforce", "goal:faster-hiring"}),
    ("funds:route-optimization", {"line:fy2027/planning/route-optimizer", "line:fy2028/planning/route-optimizer-rollout"}),
    ("funded-by:fy2027/planning/route-optimizer", {"program:route-optimization"}),
    ("+goal:cut-cost-per-order,kind:goal", {"goal:cut-cost-per-order", "goal:improve-margin"}),
    # what fy2028's lines fund, downstream of the budget
    ("budget:fy2028+,kind:program", {"program:customer-portal", "program:fleet-telematics",
                                     "program:route-optimization", "program:service-excellence",
                                     "program:warehouse-automation"}),
])
def test_each_method(acme: Plan, expression: str, expected: set[str]) -> None:
    assert _keys(acme, expression) == expected


def test_union_intersection_and_exclusion(acme: Plan) -> None:
    goals = _keys(acme, "kind:goal")
    operations = _keys(acme, "owner:operations")
    assert _keys(acme, "kind:goal owner:operations") == goals | operations
    assert _keys(acme, "kind:goal,owner:operations") == goals & operations
    assert _keys(acme, "kind:goal", "owner:operations") == goals - operations
    # owner: takes in the sub-departments: the warehouse is part of operations
    assert "process:order-fulfillment" in operations


def test_status_needs_and_uses_the_report(acme: Plan) -> None:
    from datetime import date

    from opsplan.load.actuals import Actuals
    from opsplan.report.build import build_report
    from opsplan.report.scope import statuses

    universe = plan_universe(acme)
    assert "needs the report" in choose(acme, universe, "status:off-track").errors[0]
    actuals = check_path(ACME)[1].actuals or Actuals()
    universe.statuses = statuses(build_report(acme, actuals, date(2027, 3, 31)))
    chosen = choose(acme, universe, "status:off-track").keys
    assert chosen == {"goal:cut-cost-per-order", "goal:reliable-operations", "goal:faster-hiring"}


@pytest.mark.parametrize(("expression", "column", "words"), [
    ("", 1, "empty"),
    ("a,,b", 2, "a comma with no atom after it"),
    (",a", 1, "a comma with no atom before it"),
    ("kind:goal +", 11, "`+` names nothing"),
    ("kidn:goal", 1, "did you mean `kind`"),
    ("owner:", 7, "needs a value"),
    ("tag:Peak", 5, "lower case"),
    ("a+b", 2, "start or end"),
    ("x\x1b[2J", 2, "U+001B"),
])
def test_malformed_expressions_give_the_column(expression: str, column: int, words: str) -> None:
    selector, errors = parse(expression)
    assert selector is None
    assert errors[0].column == column and words in errors[0].message


def test_unknown_names_are_mistakes_at_their_column(acme: Plan) -> None:
    errors = choose(acme, plan_universe(acme), "kind:goal,owner:transprt tag:peek").errors
    assert len(errors) == 2
    assert errors[0].startswith("--select column 17: unknown department `transprt`; did you mean `transport`")
    assert "column 30" in errors[1]


def test_every_mistake_once_on_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(cli, ["ls", "plans/acme", "--select", "kidn:goal a,,b", "--exclude", "Foo"])
    assert result.exit_code == 2
    assert result.stderr.count("column") == 3
    assert "--select column 1: unknown method `kidn:`" in result.stderr
    assert "--exclude column 1: unexpected `F`" in result.stderr
    assert "  kidn:goal a,,b\n  ^" in result.stderr


def test_a_selection_that_matches_nothing_is_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(cli, ["ls", "plans/acme", "--select", "kind:budget,owner:transport"])
    assert result.exit_code == 1
    assert "the selection matches nothing in the plan" in result.stderr


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" ,+:abcdefgkinoprstuwy-./_A\t\n=", max_size=40))
def test_the_parser_never_raises_and_points_inside_the_expression(expression: str) -> None:
    selector, errors = parse(expression)
    assert (selector is None) == bool(errors)
    for error in errors:
        assert 1 <= error.column <= max(len(expression), 1)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["kind:goal", "owner:warehouse", "tag:cost", "+order-fulfillment",
                                 "route-planning+", "kind:line", "funds:improve-margin"]), min_size=1, max_size=4),
       st.sampled_from([" ", ","]))
def test_union_and_intersection_agree_with_sets(atoms: list[str], joiner: str) -> None:
    plan = _acme()
    parts = [_keys(plan, atom) for atom in atoms]
    combined = _keys(plan, joiner.join(atoms))
    expected = set.union(*parts) if joiner == " " else set.intersection(*parts)
    assert combined == expected


def test_graph_takes_the_same_language_and_exclude(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(cli, ["graph", "plans/acme", "--view", "goals", "--format", "json",
                                      "--select", "kind:goal", "--exclude", "improve-margin+"])
    assert result.exit_code == 0, result.output
    assert '"goal:delight-customers"' in result.stdout and '"goal:cut-cost-per-order"' not in result.stdout
