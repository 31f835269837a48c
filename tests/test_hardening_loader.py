"""Hostile and careless plans never crash the loader and never pass with a wrong value: settings
are checked before use, numbers have a range, patterns match whole values, and one mistake
repeated a thousand times is summarised."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BASE_PLAN, ROOT_FILE, PlanWriter, check, findings
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplan import figures
from opsplan.cli import cli
from opsplan.diagnostics import Severity
from opsplan.load.strict_yaml import parse_scalar


def mutate(old: str, new: str) -> str:
    assert old in BASE_PLAN, f"test setup: {old!r} not in the base plan"
    return BASE_PLAN.replace(old, new, 1)


def messages(root: Path) -> list[str]:
    return [f"{d.location} {d.code} {d.message} | {d.hint}" for d in check(root).diagnostics]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.output


# -- rules: in opsplan.yaml ----------------------------------------------------------------


def test_a_bad_severity_under_rules_is_a_finding_and_the_valid_overrides_still_apply(
        write_plan: PlanWriter) -> None:
    # Without a head, `ops` is OPS603; the valid override silences it, the bad one is reported.
    plan = mutate("    head: Dana Kim\n", "")
    root = write_plan({"plan.yaml": plan}, root_file=ROOT_FILE + "rules:\n  OPS602: warn\n  OPS603: off\n")
    assert messages(root) == [
        "opsplan.yaml:11:11 OPS103 `rules.OPS602` must be one of error, warning, off, not `warn` "
        "| did you mean `warning`?"]
    code, output = run("check", str(root))
    assert code == 1 and "Traceback" not in output and "OPS603" not in output


@pytest.mark.parametrize(("rules", "expected"), [
    ("rules: [OPS602]\n", "opsplan.yaml:10:8 OPS103 `rules` must be a mapping, not a list"),
    ("rules: off\n", "opsplan.yaml:10:8 OPS103 `rules` must be a mapping, not `off`"),
    ("rules:\n  OPS602: [off]\n", "opsplan.yaml:11:11 OPS103 `rules.OPS602` must be one of error, warning, "
     "off, not a list"),
])
def test_a_bad_shape_under_rules_is_one_finding_not_a_crash(
        rules: str, expected: str, write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN}, root_file=ROOT_FILE + rules)
    assert [m.split(" | ")[0] for m in messages(root)] == [expected]
    for command in (["check"], ["compile"], ["report", "--as-of", "2027-06-30"]):
        code, output = run(*command, str(root))
        assert code == 1 and "Traceback" not in output


# -- numbers out of range ------------------------------------------------------------------


@pytest.mark.parametrize("written", ["1" + "0" * 5000, "1e999999999", "1e99999999999999999999999", "-1e16",
                                     "1e-999999999"])
def test_a_number_out_of_range_is_ops105_where_a_number_is_expected(written: str, write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": mutate("baseline: 100, target: 120", f"baseline: 100, target: {written}")})
    found = check(root).diagnostics
    assert [(f"{d.location}", d.code) for d in found] == [("plan.yaml:19:88", "OPS105")]
    assert "out of range" in found[0].message and len(found[0].message) < 200
    code, output = run("check", str(root))
    assert code == 1 and "Traceback" not in output


def test_a_huge_integer_is_out_of_range_as_a_count_and_kept_as_text_where_text_is_expected(
        write_plan: PlanWriter) -> None:
    huge = "9" * 5000
    plan = mutate("    headcount: 40\n", f"    headcount: {huge}\n    x-erp-id: {huge}\n")
    plan = plan.replace("name: Peak hiring", f"name: {huge}")
    assert findings(check(write_plan({"plan.yaml": plan}))) == ["plan.yaml:12:16 OPS105"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("amount: 500.10", "amount: 100000000000000000000000000", "plan.yaml:39:30 OPS105"),
    ("amount: 500.10", 'amount: "100000000000000000000000000"', "plan.yaml:39:30 OPS105"),
    ("amount: 500.10", "amount: 1_000_000_000_000_001", "plan.yaml:39:30 OPS105"),
    ("amount: 500.10", "amount: {amount: 1_000_000_000_000_000, currency: EUR}", "plan.yaml:39:39 OPS105"),
    ("total: 1000", "total: 1e20", "plan.yaml:34:12 OPS105"),
    ("annual_cost: 52_000", "annual_cost: 2e15", "plan.yaml:72:62 OPS105"),
])
def test_money_above_10_to_the_15_in_the_plan_currency_is_ops105(
        old: str, new: str, expected: str, write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": mutate(old, new)})
    found = [d for d in check(root).diagnostics if d.code == "OPS105"]
    assert [f"{d.location} {d.code}" for d in found] == [expected]
    assert "10^15" in (found[0].hint or "")


def test_money_of_exactly_10_to_the_15_is_allowed(write_plan: PlanWriter) -> None:
    plan = mutate("total: 1000", "total: 1_000_000_000_000_000")
    assert findings(check(write_plan({"plan.yaml": plan}))) == []


def test_report_rounds_any_finite_amount_to_cents_without_crashing(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN,
                       "actuals/spend.csv": "date,department,line,amount\n2027-02-01,warehouse,salaries,1e26\n"})
    code, output = run("report", str(root), "--as-of", "2027-06-30")
    assert "Traceback" not in output and code in (0, 1)
    assert figures.money_grouped(Decimal("1e26")) == "100,000,000,000,000,000,000,000,000.00"
    assert figures.money(Decimal("123456789012345678901234567890.125")) == "123456789012345678901234567890.13"


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**40, max_value=10**40, places=6))
def test_figures_round_every_finite_amount(value: Decimal) -> None:
    assert figures.money(value) == format(value.quantize(Decimal("0.01"), context=_wide()), "f").replace("-0.00", "0.00")


def _wide() -> object:
    import decimal

    return decimal.Context(prec=100, rounding=decimal.ROUND_HALF_UP)


@settings(max_examples=300)
@given(st.from_regex(re.compile(r"[-+]?[0-9_]{1,40}(\.[0-9_]{0,40})?([eE][-+]?[0-9]{1,30})?"), fullmatch=True))
def test_parse_scalar_never_raises_and_numbers_it_returns_are_in_range(text: str) -> None:
    value = parse_scalar(text)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        assert abs(Decimal(value)) <= Decimal(10) ** 15
    else:
        assert value == text


# -- fx, ids and patterns ------------------------------------------------------------------


def test_a_quoted_fx_rate_is_accepted_like_quoted_money(write_plan: PlanWriter) -> None:
    root_file = ROOT_FILE.replace("EUR: 1.08", 'EUR: "1.08"\n  GBP: "1.27"')
    plan = mutate("{amount: 99.90, type: capex", "{amount: {amount: 10, currency: GBP}, type: capex")
    root = write_plan({"plan.yaml": plan}, root_file=root_file)
    result = check(root)
    assert findings(result) == []
    assert result.plan is not None
    assert result.plan.settings.fx == {"EUR": Decimal("1.08"), "GBP": Decimal("1.27")}


@pytest.mark.parametrize("rate", ['"0"', "0", '"-1.2"', '"1.2.3"', '"1e3"'])
def test_an_fx_rate_must_be_a_positive_decimal(rate: str, write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN}, root_file=ROOT_FILE.replace("EUR: 1.08", f"EUR: {rate}"))
    assert findings(check(root)) == ["opsplan.yaml:9:8 OPS103"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("  picking:\n", '  "picking\\n":\n', "plan.yaml:14:3 OPS104"),
    ("cycle_time: 4h", 'cycle_time: "4h\\n"', "plan.yaml:17:17 OPS105"),
    ("category: people", 'category: "people\\n"', "plan.yaml:39:60 OPS103"),
])
def test_a_trailing_newline_does_not_pass_a_pattern(old: str, new: str, expected: str,
                                                    write_plan: PlanWriter) -> None:
    plan = mutate(old, new)
    assert expected in findings(check(write_plan({"plan.yaml": plan})))
    code, output = run("check", str(write_plan({"plan.yaml": plan})))
    assert code == 1 and "Traceback" not in output


def test_a_currency_with_a_trailing_newline_is_refused(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN}, root_file=ROOT_FILE.replace("currency: USD", 'currency: "USD\\n"'))
    assert findings(check(root)) == ["opsplan.yaml:4:13 OPS103"]


def test_every_schema_pattern_matches_whole_values_only() -> None:
    from opsplan.load.fastschema import SchemaCompiler
    from opsplan.load.schema import _validator, load_schema

    check_root = SchemaCompiler(load_schema).compile("opsplan.schema.json")
    root = {"opsplan": 1, "organization": {"name": "X", "currency": "USD"},
            "horizon": {"start": "2027-01-01", "end": "2027-12-31"}, "rules": {"OPS602": "off"}}
    assert check_root(root) and not list(_validator("opsplan.schema.json").iter_errors(root))
    for bad in ({**root, "rules": {"OPS602\n": "off"}},
                {**root, "organization": {"name": "X", "currency": "USD\n"}},
                {**root, "horizon": {"start": "2027-01-01\n", "end": "2027-12-31"}}):
        assert not check_root(bad)
        assert list(_validator("opsplan.schema.json").iter_errors(bad))


# -- durations and negative money ----------------------------------------------------------


def test_minutes_are_a_duration(write_plan: PlanWriter) -> None:
    result = check(write_plan({"plan.yaml": mutate("cycle_time: 4h", "cycle_time: 20min")}))
    assert findings(result) == []
    assert result.plan is not None
    cycle_time = result.plan.processes["picking"].cycle_time
    assert cycle_time is not None and str(cycle_time) == "20min"
    # 20 minutes of 60 is a third of an hour; 90 minutes is exactly an hour and a half.
    assert cycle_time.hours * 3 == pytest.approx(Decimal(1), abs=Decimal("1e-20"))
    ninety = check(write_plan({"plan.yaml": mutate("cycle_time: 4h", "cycle_time: 90min")})).plan
    assert ninety is not None and ninety.processes["picking"].cycle_time is not None
    assert ninety.processes["picking"].cycle_time.hours == Decimal("1.5")


@pytest.mark.parametrize("written", ["20m", "20 min", "20mins", "20 minutes"])
def test_minutes_written_another_way_are_ops105_and_the_hint_writes_them(written: str, write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": mutate("cycle_time: 4h", f"cycle_time: {written}")})
    assert messages(root) == [
        f"plan.yaml:17:17 OPS105 `cycle_time` of process `picking` must be a duration, not `{written}` "
        "| minutes are written `20min`"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("amount: 99.90", "amount: -99.90", "plan.yaml:40:28 OPS103"),
    ("amount: 99.90", 'amount: "-99.90"', "plan.yaml:40:28 OPS103"),
    ("cap: 600", "cap: -600", "plan.yaml:37:14 OPS103"),
    ("annual_cost: 52_000", "annual_cost: -52_000", "plan.yaml:72:62 OPS103"),
])
def test_negative_plan_money_is_ops103(old: str, new: str, expected: str, write_plan: PlanWriter) -> None:
    found = check(write_plan({"plan.yaml": mutate(old, new)})).diagnostics
    assert [f"{d.location} {d.code}" for d in found] == [expected]
    assert "negative" in found[0].message


def test_negative_spend_rows_stay_valid_refunds(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN,
                       "actuals/spend.csv": "date,department,line,amount\n2027-02-01,warehouse,salaries,-40.00\n"})
    assert findings(check(root)) == []


# -- one mistake a thousand times ----------------------------------------------------------


def test_findings_are_summarised_after_1000_per_rule_per_file(write_plan: PlanWriter) -> None:
    many = "".join(f"  team-{n}: {{nme: Team {n}}}\n" for n in range(1500))
    root = write_plan({"plan.yaml": BASE_PLAN, "teams.yaml": "departments:\n" + many})
    found = check(root).diagnostics
    by_code = {code: [d for d in found if d.code == code] for code in ("OPS101", "OPS102")}
    for code, listed in by_code.items():
        assert len(listed) == 1001
        closing = [d for d in listed if "not shown" in d.message]
        assert [d.message for d in closing] == [f"500 more {code} findings in teams.yaml are not shown"]
        assert closing[0].severity is Severity.ERROR
    assert [d for d in found if d.location.file != "teams.yaml"] == []
    code, output = run("check", str(root))
    assert code == 1 and sum(": OPS102 " in line for line in output.splitlines()) == 1001


# -- the command line ----------------------------------------------------------------------


def test_a_mistyped_command_gets_a_did_you_mean() -> None:
    code, output = run("chek")
    assert code == 2
    assert "No such command 'chek'" in output and "did you mean `check`?" in output


@pytest.mark.parametrize(("header", "row"), [
    ("date,department,line,amount", "2027-02-01,warehouse,salaries,1e999999"),
    ("date,kpi,value", "2027-02-01,picking.pick-rate,1e999999999"),
    ("date,kpi,value", "2027-02-01,picking.pick-rate,1" + "0" * 5000),
])
def test_an_actuals_number_out_of_range_is_ops703_and_report_does_not_crash(
        header: str, row: str, write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN, "actuals/rows.csv": f"{header}\n{row}\n"})
    found = check(root).diagnostics
    assert [f"{d.location} {d.code}" for d in found] == [f"actuals/rows.csv:2:{len(row) - len(row.split(',')[-1]) + 1} OPS703"]
    assert "out of range" in found[0].message
    # The row is left out (and reported); the report is made from the rest.
    code, output = run("report", str(root), "--as-of", "2027-06-30")
    assert code == 0 and "Traceback" not in output


def test_a_critical_path_in_minutes_shows_hours_rounded(write_plan: PlanWriter) -> None:
    # picking 20min then shipping 1d: 24 h and a third, shown to two decimals.
    root = write_plan({"plan.yaml": mutate("cycle_time: 4h", "cycle_time: 20min")})
    code, out = run("graph", str(root), "--analyze")
    assert code == 0, out
    assert "picking -> shipping  (24.33 h)" in out
