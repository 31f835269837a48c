"""Actuals: rows resolved to plan ids and exact plan-currency amounts; bad rows reported, never raised."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ACME, BASE_PLAN, PlanWriter, check, findings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsplan.check.pipeline import check_path
from opsplan.load.actuals import Actuals, load_actuals

SPEND = """\
date,department,line,amount,currency,memo
2027-01-31,CC-2,salaries,100.10,USD,by cost center
2027-02-28,warehouse,robots,50,EUR,"converted, exactly"
2027-03-31,warehouse,salaries,0.01,,no currency: the plan's
"""


def test_rows_are_resolved_to_plan_ids_and_exact_plan_currency(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN, "actuals/spend.csv": SPEND})
    result = check(root)
    assert findings(result) == []
    assert result.actuals is not None
    spend = result.actuals.spend
    assert [(row.department, row.budget, row.line) for row in spend] == [
        ("warehouse", "fy2027", "salaries"), ("warehouse", "fy2027", "robots"), ("warehouse", "fy2027", "salaries")]
    assert [row.amount for row in spend] == [Decimal("100.10"), Decimal("54.00"), Decimal("0.01")]
    assert [str(row.origin) for row in spend] == ["actuals/spend.csv:2", "actuals/spend.csv:3", "actuals/spend.csv:4"]


def test_lines_match_by_account_and_columns_in_any_order(write_plan: PlanWriter) -> None:
    plan = BASE_PLAN.replace("category: people, process: picking}", "category: people, process: picking, account: 6100}")
    text = "\ufeffamount,line,extra,department,date\r\n12.50,6100,x,warehouse,2027-01-31\r\n\r\n"
    result = check(write_plan({"plan.yaml": plan, "actuals/ledger.csv": text}))
    assert findings(result) == []
    assert result.actuals is not None
    assert [(row.line, row.amount, row.origin.line) for row in result.actuals.spend] == [("salaries", Decimal("12.50"), 2)]


def test_every_kind_is_recognised_by_its_header(write_plan: PlanWriter) -> None:
    root = write_plan({
        "plan.yaml": BASE_PLAN,
        "actuals/kpis.csv": "date,kpi,value\n2027-01-31,shipping.on-time,94.5\n2027-02-28,margin,9.1\n",
        "actuals/people.csv": "date,department,headcount\n2027-01-31,CC-2,41\n",
        "actuals/hires.csv": "date,program,role,hired\n2027-04-30,hiring,associate,3\n",
        "actuals/nested/training.csv": "date,program,completed\n",
    })
    result = check(root)
    assert findings(result) == []
    actuals = result.actuals
    assert actuals is not None
    # Readings come in the order of their measure, then their date.
    assert [(r.measure, r.value) for r in actuals.readings] == [("margin", Decimal("9.1")), ("shipping.on-time", Decimal("94.5"))]
    assert [(r.department, r.headcount) for r in actuals.headcount] == [("warehouse", 41)]
    assert [(r.program, r.role, r.hired) for r in actuals.hires] == [("hiring", "associate", 3)]
    assert actuals.files == ("actuals/hires.csv", "actuals/kpis.csv", "actuals/nested/training.csv", "actuals/people.csv")


def test_a_bad_row_does_not_hide_the_rest_of_its_file(write_plan: PlanWriter) -> None:
    text = "date,kpi,value\n2027-01-31,shipping.on-time,94\n2027-02-30,shipping.on-time,95\n2027-03-31,shipping.on-time,96\n"
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/kpis.csv": text}))
    assert findings(result) == ["actuals/kpis.csv:3:1 OPS703"]
    assert result.actuals is not None
    assert [r.value for r in result.actuals.readings] == [Decimal("94"), Decimal("96")]


def test_readings_of_a_goal_measured_by_a_kpi_point_at_the_kpi(write_plan: PlanWriter) -> None:
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/kpis.csv": "date,kpi,value\n2027-01-31,cheaper,11\n"}))
    assert findings(result) == ["actuals/kpis.csv:2:12 OPS702"]
    assert result.diagnostics[0].hint == "write `shipping.cost-per-order` in the `kpi` column"


def test_latest_reading_on_or_before_a_date_wins(write_plan: PlanWriter) -> None:
    text = "date,kpi,value\n2027-03-31,shipping.on-time,96\n2027-01-31,shipping.on-time,94\n2027-04-30,shipping.on-time,99\n"
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/kpis.csv": text}))
    assert result.actuals is not None
    latest = result.actuals.until(date(2027, 4, 1)).latest_readings()
    assert latest["shipping.on-time"].value == Decimal("96")


def test_actuals_elsewhere_are_named_relative_to_the_plan(write_plan: PlanWriter, tmp_path: Path) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN})
    elsewhere = tmp_path / "exports"
    elsewhere.mkdir()
    (elsewhere / "kpis.csv").write_text("date,kpi,value\n2027-01-31,nope.kpi,1\n", encoding="utf-8")
    _, result = check_path(root, elsewhere)
    assert findings(result) == ["../exports/kpis.csv:2:12 OPS702"]


def test_example_plan_actuals_are_clean() -> None:
    _, result = check_path(ACME)
    # One late posting of the old year is accepted by the plan's waiver (finance/fy2027.yaml).
    assert [(d.code, d.location.file, d.waived) for d in result.diagnostics] == [
        ("OPS705", "actuals/spend-2027q1.csv", "fy2026-audit-fee")]
    assert result.actuals is not None and len(result.actuals.spend) > 100


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.sampled_from(["date,kpi,value\n", "date,department,line,amount,currency\n", ""]))
def test_arbitrary_bytes_never_raise(write_plan: PlanWriter, body: bytes, header: str) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN})
    folder = root / "actuals"
    folder.mkdir(exist_ok=True)
    (folder / "x.csv").write_bytes(header.encode() + body)
    _, result = check_path(root)
    assert isinstance(result.actuals, Actuals)
    assert all(d.code.startswith("OPS7") and d.location.file == "actuals/x.csv" for d in result.diagnostics)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Without NUL, which csv.writer refuses on Python 3.10; a file with NUL bytes is tested on its own.
@given(st.lists(st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12), max_size=6), max_size=6))
def test_arbitrary_spend_rows_are_read_or_reported(write_plan: PlanWriter, rows: list[list[str]]) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["date", "department", "line", "amount", "currency"])
    writer.writerows(rows)
    root = write_plan({"plan.yaml": BASE_PLAN, "actuals/spend.csv": buffer.getvalue()})
    _, result = check_path(root)
    assert result.plan is not None
    actuals, found = load_actuals(root / "actuals", result.plan, root)
    assert len(actuals.spend) + len(found) <= len(rows)


def test_a_file_with_nul_bytes_is_one_finding(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN, "actuals/spend.csv": SPEND.replace("memo", "me\x00mo")})
    result = check(root)
    assert findings(result) == ["actuals/spend.csv:1:1 OPS701"]
    assert result.diagnostics[0].message == "file holds NUL bytes: not a CSV text file"


ACME_PLAN = check_path(ACME)[1].plan
DATES = ["2027-01-31", "2028-03-31", "2026-12-31", "2030-01-31", "", " 2027-02-28 ", "2027-02-29", "31/01/2027"]
AMOUNTS = ["1250.50", "-3", "1e3", "0.001", "NaN", "-Infinity", "1,000", "1_000", "", " 7 ", "$5"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(DATES),
    st.sampled_from(["warehouse", "transport", "CC-220", "finance", "Warehouse", "", "nowhere"]),
    st.sampled_from(["salaries", "6100-salaries", "benefits", "fuel", "robots", "", "no-such-line"]),
    st.sampled_from(AMOUNTS),
    st.sampled_from(["", "USD", "EUR", "XXX", "usd"]),
    st.integers(min_value=0, max_value=6)), max_size=8),
    st.lists(st.tuples(
        st.sampled_from(DATES),
        st.sampled_from(["order-intake.order-accuracy", "order-intake.order-entry-time", "order-intake",
                         "delight-customers", "improve-margin", "", "no.such-kpi"]),
        st.sampled_from(AMOUNTS),
        st.integers(min_value=0, max_value=4)), max_size=8))
def test_the_fast_path_reads_exactly_what_the_careful_path_reads(
        tmp_path_factory: pytest.TempPathFactory, spend: list[tuple[str, ...]], readings: list[tuple[str, ...]]) -> None:
    """Rows are cut short (the last number is how many cells stay) and mix valid and invalid cells."""
    folder = tmp_path_factory.mktemp("actuals")
    head = "date,department,line,amount,currency\n"
    (folder / "spend.csv").write_text(head + "".join(",".join(row[:-1][:int(row[-1])]) + "\n" for row in spend))
    (folder / "readings.csv").write_text(
        "date,kpi,value\n" + "".join(",".join(row[:-1][:int(row[-1])]) + "\n" for row in readings))
    assert ACME_PLAN is not None
    fast, fast_found = load_actuals(folder, ACME_PLAN)
    careful, careful_found = load_actuals(folder, ACME_PLAN, fast=False)
    assert fast == careful
    assert [str(row.origin) for row in fast.spend] == [str(row.origin) for row in careful.spend]
    assert [str(row.origin) for row in fast.readings] == [str(row.origin) for row in careful.readings]
    assert fast_found == careful_found


def test_a_file_that_fails_while_it_is_read_is_named_with_the_reason_only(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk error part-way through a file: OPS701 at the file as the plan names it, with the
    system's reason, not its errno or the file's absolute path."""
    import csv

    (tmp_path / "spend.csv").write_text("date,department,line,amount\n2027-01-31,warehouse,salaries,5\n")

    def failing_reader(stream: object, **options: object) -> object:
        raise OSError(5, "Input/output error", str(tmp_path / "spend.csv"))

    monkeypatch.setattr(csv, "reader", failing_reader)
    assert ACME_PLAN is not None
    _, found = load_actuals(tmp_path, ACME_PLAN, tmp_path)
    assert [(d.code, str(d.location), d.message) for d in found] == [
        ("OPS701", "spend.csv:1:1", "cannot read the file: Input/output error")]
