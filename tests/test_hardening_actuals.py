"""Actuals and the plan under hostile or careless input: ragged rows, duplicate columns, copied
exports, one mistake that must not flood the output, and hints that stay fast on a large plan."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import BASE_PLAN, PlanWriter, check, findings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsplan.diagnostics import Suggestions, closest

READINGS = "date,kpi,value\n2027-01-31,shipping.on-time,94\n2027-02-28,shipping.on-time,95\n"


def messages(result: object) -> list[tuple[str, str, str, str | None]]:
    return [(str(d.location), d.code, d.message, d.hint) for d in result.diagnostics]  # type: ignore[attr-defined]


# -- 6: a row with more fields than its header; a header naming a column twice --------------------

def test_a_row_with_more_fields_than_its_header_is_a_bad_value_not_its_first_fields(write_plan: PlanWriter) -> None:
    # A decimal comma splits 4,6 into two fields: reading `4` would be a silent wrong answer.
    text = "date,kpi,value\n2027-01-31,shipping.on-time,94\n2027-02-28,shipping.on-time,4,6\n"
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/kpi.csv": text}))
    assert messages(result) == [(
        "actuals/kpi.csv:3:31", "OPS703", "row has 4 fields but the header has 3",
        "a value holding a comma must be quoted; decimals take a dot (`4.6`, not `4,6`)")]
    assert result.actuals is not None
    assert [str(reading.value) for reading in result.actuals.readings] == ["94"]


def test_a_spend_row_with_an_extra_field_is_not_booked(write_plan: PlanWriter) -> None:
    text = "date,department,line,amount\n2027-01-31,warehouse,salaries,1,250.50\n"
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/spend.csv": text}))
    assert findings(result) == ["actuals/spend.csv:2:33 OPS703"]
    assert result.actuals is not None and result.actuals.spend == ()


def test_empty_trailing_fields_carry_nothing_and_are_accepted(write_plan: PlanWriter) -> None:
    text = "date,kpi,value\n2027-01-31,shipping.on-time,94,,\n"
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/kpi.csv": text}))
    assert findings(result) == []
    assert result.actuals is not None and len(result.actuals.readings) == 1


def test_a_header_naming_a_column_twice_is_an_unreadable_file(write_plan: PlanWriter) -> None:
    text = "date,kpi,value,Value\n2027-01-31,shipping.on-time,94,95\n"
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/kpi.csv": text}))
    assert messages(result) == [(
        "actuals/kpi.csv:1:16", "OPS701", "column `value` appears twice in the header (columns 3 and 4)",
        "keep one column of each name: which one holds the figures cannot be guessed")]
    assert result.actuals is not None and result.actuals.readings == ()


# -- 7: a copied export ---------------------------------------------------------------------------

def test_a_copied_export_is_a_warning_naming_the_file_it_repeats(write_plan: PlanWriter) -> None:
    spend = "date,department,line,amount\n2027-01-31,warehouse,salaries,100\n2027-02-28,warehouse,robots,50\n"
    # The copy has its columns in another order and a memo: the same rows all the same.
    copy = "amount,date,line,department,memo\n100,2027-01-31,salaries,warehouse,x\n50,2027-02-28,robots,warehouse,y\n"
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/spend.csv": spend,
                               "actuals/spend_copy.csv": copy}))
    assert messages(result) == [(
        "actuals/spend_copy.csv:2:1", "OPS706",
        "2 of 2 rows repeat rows of `actuals/spend.csv`: the same export read twice counts every figure twice",
        "remove the copy, or the rows it shares with `actuals/spend.csv`")]
    assert result.diagnostics[0].severity.value == "warning"
    assert result.actuals is not None and len(result.actuals.spend) == 4


def test_files_sharing_a_few_rows_are_not_copies(write_plan: PlanWriter) -> None:
    first = "date,kpi,value\n2027-01-31,shipping.on-time,94\n2027-02-28,shipping.on-time,95\n2027-03-31,shipping.on-time,96\n"
    second = "date,kpi,value\n2027-03-31,shipping.on-time,96\n2027-04-30,shipping.on-time,97\n2027-05-31,shipping.on-time,98\n"
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/a.csv": first, "actuals/b.csv": second}))
    assert findings(result) == []


def test_rows_of_another_kind_are_never_copies(write_plan: PlanWriter) -> None:
    people = "date,department,headcount\n2027-01-31,warehouse,40\n"
    readings = "date,kpi,value\n2027-01-31,shipping.on-time,40\n"
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/a.csv": people, "actuals/b.csv": readings}))
    assert findings(result) == []


def test_a_copied_export_can_be_turned_off(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN, "actuals/a.csv": READINGS, "actuals/b.csv": READINGS},
                      root_file=None)
    (root / "opsplan.yaml").write_text(
        "opsplan: 1\norganization: {name: Tiny Co, currency: USD}\n"
        "horizon: {start: 2027-01-01, end: 2029-12-31}\nfx: {EUR: 1.08}\nrules: {OPS706: off}\n", encoding="utf-8")
    assert findings(check(root)) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["2027-01-31", "2027-02-28", "2027-03-31"]),
                          st.sampled_from(["shipping.on-time", "picking.pick-rate"]),
                          st.integers(min_value=0, max_value=120)), min_size=1, max_size=8),
       st.permutations([0, 1, 2]))
def test_any_copy_of_a_file_is_found_whatever_its_column_order(
        write_plan: PlanWriter, rows: list[tuple[str, str, int]], order: list[int]) -> None:
    header = ["date", "kpi", "value"]
    original = "date,kpi,value\n" + "".join(f"{d},{k},{v}\n" for d, k, v in rows)
    copy = ",".join(header[i] for i in order) + "\n" + "".join(
        ",".join(str((d, k, v)[i]) for i in order) + "\n" for d, k, v in rows)
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/a.csv": original, "actuals/b.csv": copy}))
    assert [(d.code, d.location.file) for d in result.diagnostics] == [("OPS706", "actuals/b.csv")]
    assert result.diagnostics[0].message.startswith(f"{len(rows)} of {len(rows)} rows repeat rows of `actuals/a.csv`")


# -- 9: did-you-mean on a large plan ----------------------------------------------------------------

def _wide_plan(processes: int) -> str:
    lines = ["processes:"]
    for number in range(processes):
        lines.append(f"  route-{number}-{'abcdefghij'[number % 10]}: {{name: Route {number}, owner: warehouse, "
                     "kpis: {lead-days: {name: Lead days, better: lower, target: 2}}}")
    return "\n".join(lines) + "\n"


def test_mistyped_rows_are_compared_with_a_few_candidates_not_every_kpi(
        write_plan: PlanWriter, monkeypatch: pytest.MonkeyPatch) -> None:
    import difflib

    compared: list[int] = []
    close_matches = difflib.get_close_matches

    def counting(word: str, possibilities: Any, n: int = 3, cutoff: float = 0.6) -> list[str]:
        possibilities = list(possibilities)
        compared.append(len(possibilities))
        return close_matches(word, possibilities, n, cutoff)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    # 1,200 KPIs; 200 rows, each naming another mistyped KPI (one letter of the process dropped).
    rows = "".join(f"2027-01-31,rout-{n}-{'abcdefghij'[n % 10]}.lead-days,3\n" for n in range(0, 1200, 6))
    result = check(write_plan({"plan.yaml": BASE_PLAN, "wide.yaml": _wide_plan(1200),
                               "actuals/kpi.csv": "date,kpi,value\n" + rows}))
    unknown = [d for d in result.diagnostics if d.code == "OPS702"]
    assert len(unknown) == 200
    assert unknown[0].hint == "did you mean `route-0-a.lead-days`?"
    assert unknown[-1].hint == "did you mean `route-1194-e.lead-days`?"
    assert sum(compared) <= 200 * 10, "each typo is compared with a shortlist, not with every KPI"


def test_the_index_finds_what_comparing_every_candidate_finds() -> None:
    candidates = [f"{place}-{step}.{kpi}" for place in ("inbound", "outbound", "returns", "customs", "yard")
                  for step in range(150) for kpi in ("lead-days", "cost-per-unit", "on-time")]
    suggestions = Suggestions(candidates)
    for typo in ("inbund-17.lead-days", "outbound-42.cost-per-unti", "yard-149.ontime", "custom-3.on-time",
                 "returns-99.lead-day", "zzz"):
        assert suggestions.closest(typo) == closest(typo, candidates)
    assert suggestions.closest("yard-1.on-time") is None  # a known id needs no hint


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="abcdefinorstuy-.0123456789", min_size=1, max_size=30))
def test_any_typo_gets_a_hint_as_close_as_comparing_every_candidate(typo: str) -> None:
    import difflib

    candidates = [f"{place}-{step}.{kpi}" for place in ("inbound", "outbound", "returns")
                  for step in range(100) for kpi in ("lead-days", "on-time")]
    found = Suggestions(candidates).closest(typo)
    best = closest(typo, candidates)
    if found is None:
        return  # a shortlist may miss a far-fetched match; it never invents one
    assert found in candidates
    assert difflib.SequenceMatcher(None, found, typo).ratio() >= 0.6
    assert best is not None


# -- 8: one mistake, one finding --------------------------------------------------------------------

def test_rows_naming_one_unknown_id_are_one_finding_with_the_count(write_plan: PlanWriter) -> None:
    rows = "".join(f"2027-0{month}-28,warehose,salaries,10\n" for month in range(1, 4))
    text = "date,department,line,amount\n2027-01-31,warehouse,salaries,10\n" + rows
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/spend.csv": text}))
    assert messages(result) == [(
        "actuals/spend.csv:3:12", "OPS702",
        "unknown department or cost center `warehose` (3 rows of this file; the first is line 3)",
        "did you mean `warehouse`?")]


def test_a_cycle_through_a_process_with_a_bad_kpi_is_still_found(write_plan: PlanWriter) -> None:
    plan = BASE_PLAN.replace("    cycle_time: 4h\n", "    cycle_time: 4h\n    depends_on: [shipping]\n").replace(
        "better: higher, baseline: 100, target: 120", "better: up, baseline: 100, target: 120")
    result = check(write_plan({"plan.yaml": plan}))
    assert [(str(d.location), d.code) for d in result.diagnostics] == [
        ("plan.yaml:20:57", "OPS103"), ("plan.yaml:24:18", "OPS302")]


def test_rows_naming_an_entity_with_a_shape_error_are_not_unknown(write_plan: PlanWriter) -> None:
    plan = BASE_PLAN.replace("unit: percent, better: higher, baseline: 90", "unit: percent, better: up, baseline: 90")
    plan = plan.replace("    cost_center: CC-2\n", "    cost_center: CC-2\n    cost_centre: CC-2\n")
    readings = ("date,kpi,value\n2027-01-31,shipping.on-time,94\n2027-01-31,shipping.cost-per-order,11\n"
                "2027-01-31,shiping.cost-per-order,11\n")
    spend = "date,department,line,amount\n2027-01-31,warehouse,salaries,10\n2027-01-31,CC-2,robots,5\n"
    result = check(write_plan({"plan.yaml": plan, "actuals/kpi.csv": readings, "actuals/spend.csv": spend}))
    assert messages(result) == [
        ("actuals/kpi.csv:4:12", "OPS702", "unknown KPI or goal metric `shiping.cost-per-order`",
         "did you mean `shipping.cost-per-order`?"),
        ("plan.yaml:12:5", "OPS102", "unknown field `cost_centre` in department `warehouse`",
         "did you mean `cost_center`?"),
        ("plan.yaml:28:55", "OPS103", "`kpis.on-time.better` of process `shipping` must be one of higher, lower, not `up`",
         None),
    ]
    assert result.actuals is not None
    assert [reading.measure for reading in result.actuals.readings] == ["shipping.cost-per-order"]
    assert len(result.actuals.spend) == 2


def test_a_misspelt_kind_is_one_finding_not_one_per_row_and_reference(write_plan: PlanWriter) -> None:
    plan = BASE_PLAN.replace("processes:\n", "proceses:\n")
    readings = "".join(f"2027-0{month}-28,shipping.on-time,9{month}\n" for month in range(1, 10))
    result = check(write_plan({"plan.yaml": plan, "actuals/kpi.csv": "date,kpi,value\n" + readings}))
    assert [(str(d.location), d.code, d.hint) for d in result.diagnostics] == [
        ("plan.yaml:13:1", "OPS005", "did you mean `processes`?")]
