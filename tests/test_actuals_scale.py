"""Actuals of any size: text checked in chunks, spend added up while it is read. Both against a
reference that holds everything: the whole file decoded at once, and a record per row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ACME
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplan.check.pipeline import check_path
from opsplan.load import actuals_reader, actuals_text
from opsplan.load.actuals import load_actuals
from opsplan.load.actuals_records import RowOrigin, Spend
from opsplan.load.actuals_text import scan_text

ACME_PLAN = check_path(ACME)[1].plan


def whole_file_problem(raw: bytes) -> tuple[str, int | None] | None:
    """What the reader said when it decoded a file whole."""
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return "file is not valid UTF-8", raw[:error.start].count(b"\n") + 1
    if b"\x00" in raw:
        return "file holds NUL bytes: not a CSV text file", None
    return None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64) | st.text(max_size=20).map(lambda text: text.encode()),
       st.sampled_from([1, 2, 3, 5, 1 << 20]))
def test_text_checked_in_chunks_agrees_with_decoding_it_whole(tmp_path_factory: pytest.TempPathFactory,
                                                            raw: bytes, chunk: int) -> None:
    path = tmp_path_factory.mktemp("text") / "x.csv"
    path.write_bytes(b"date\n\xef\xbb\xbf\n" + raw if chunk == 2 else raw)
    content = path.read_bytes()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(actuals_text, "CHUNK_BYTES", chunk)
        problem = scan_text(path).problem
    assert (None if problem is None else (problem.message, problem.line)) == whole_file_problem(content)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"a", b",", b"\r", b"\n", b"\r\n", b"\xc3\xa9"]), max_size=30).map(b"".join),
       st.sampled_from([1, 2, 3, 1 << 20]))
def test_a_carriage_return_alone_is_found_across_chunks(tmp_path_factory: pytest.TempPathFactory, raw: bytes,
                                                         chunk: int) -> None:
    """The ledger engine numbers lines as the csv module does only where no \\r stands alone."""
    path = tmp_path_factory.mktemp("text") / "x.csv"
    path.write_bytes(raw)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(actuals_text, "CHUNK_BYTES", chunk)
        scanned = scan_text(path)
    assert scanned.problem is None
    assert scanned.lone_carriage_return == (b"\r" in raw.replace(b"\r\n", b""))


class EveryRow:
    """The reference: one record per spend row, nothing added up."""

    def __init__(self) -> None:
        self.rows: list[Spend] = []

    def add(self, when: date, budget: str, department: str, line: str, amount: Decimal, origin: RowOrigin) -> None:
        self.rows.append(Spend(when, budget, department, line, amount, origin))

    def records(self) -> list[Spend]:
        return self.rows


def totals(rows: list[Spend]) -> Iterator[tuple[tuple[str, ...], Decimal, str]]:
    first: dict[tuple[str, ...], tuple[Decimal, str]] = {}
    for row in rows:
        key = (row.origin.file, str(row.date), row.budget, row.department, row.line)
        amount, origin = first.get(key, (Decimal(0), str(row.origin)))
        first[key] = (amount + row.amount, origin)
    return ((key, amount, origin) for key, (amount, origin) in first.items())


# Plain amounts and the edges of the plain shape: 15 and 16 digits, 30 and 31 decimals, signs,
# spaces, exponents, a trailing point.
AMOUNTS = ["1250.50", "0.01", "-3", "1e3", "0.001", "7", "NaN", "x", "", "99999999.99", "999999999999999",
           "9999999999999999", "0." + "0" * 29 + "1", "0." + "0" * 30 + "1", "+5", "-0", " 7 ", "5.", ".5",
           "0001", "1E-31", "-Infinity"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(["2027-01-31", "2027-02-28", "2028-03-31", "2026-12-31", "bad"]),
    st.sampled_from(["warehouse", "CC-220", "transport", "nowhere"]),
    st.sampled_from(["salaries", "6100-salaries", "fuel", "no-such-line"]),
    st.sampled_from(AMOUNTS),
    st.sampled_from(["", "USD", "EUR", "XXX"])), max_size=40), st.booleans(), st.booleans())
def test_spend_added_up_while_read_equals_every_row_added_up(
        tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, ...]], fast: bool, split: bool) -> None:
    """Same findings, and per file, date and line the same exact total with the first row's origin."""
    folder = tmp_path_factory.mktemp("actuals")
    head = "date,department,line,amount,currency\n"
    halves = [rows[: len(rows) // 2], rows[len(rows) // 2:]] if split else [rows]
    for index, half in enumerate(halves):
        (folder / f"spend-{index}.csv").write_text(head + "".join(",".join(row) + "\n" for row in half))
    assert ACME_PLAN is not None
    added_up, found = load_actuals(folder, ACME_PLAN, fast=fast)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(actuals_reader, "SpendTotals", EveryRow)
        every_row, reference_found = load_actuals(folder, ACME_PLAN, fast=False)
    assert found == reference_found
    assert list(totals(list(added_up.spend))) == list(totals(list(every_row.spend)))
    assert len(added_up.spend) == len(list(totals(list(every_row.spend))))


def test_a_ledger_of_postings_keeps_one_record_per_line_and_day(tmp_path: Path) -> None:
    rows = "".join(f"2027-01-31,warehouse,salaries,{cents / 100}\n" for cents in range(1, 2001))
    (tmp_path / "ledger.csv").write_text("date,department,line,amount\n" + rows)
    assert ACME_PLAN is not None
    actuals, found = load_actuals(tmp_path, ACME_PLAN)
    assert found == []
    assert [(row.line, row.amount, str(row.origin)) for row in actuals.spend] == [
        ("salaries", Decimal("20010.00"), "ledger.csv:2")]


def test_a_memo_started_afresh_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from opsplan.load import actuals_fastspend

    rows = "".join(f"2027-0{1 + index % 3}-0{1 + index % 5},warehouse,{('salaries', 'robots')[index % 2]},{index}.5\n"
                   for index in range(60))
    (tmp_path / "ledger.csv").write_text("date,department,line,amount\n" + rows)
    assert ACME_PLAN is not None
    remembered = load_actuals(tmp_path, ACME_PLAN)
    monkeypatch.setattr(actuals_fastspend, "MEMO_LIMIT", 2)
    forgetting = load_actuals(tmp_path, ACME_PLAN)
    assert forgetting == remembered and len(remembered[0].spend) > 2


def test_too_many_figures_stop_the_file_at_a_line_with_one_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(actuals_reader, "MAX_KEPT_FIGURES", 5)
    monkeypatch.setattr(actuals_reader, "KEPT_CHECK_ROWS", 4)
    assert ACME_PLAN is not None
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    rows = "".join(f"2027-01-31,warehouse,salaries,{cents}\n" for cents in range(1, 21))
    (ledger / "spend.csv").write_text("date,department,line,amount\n" + rows)
    actuals, found = load_actuals(ledger, ACME_PLAN)
    assert found == [] and len(actuals.spend) == 1  # a ledger adds up: never stopped
    readings = tmp_path / "readings"
    readings.mkdir()
    rows = "".join(f"2027-01-{day:02},order-intake.order-accuracy,{day}\n" for day in range(1, 21))
    (readings / "readings.csv").write_text("date,kpi,value\n" + rows)
    actuals, found = load_actuals(readings, ACME_PLAN)
    assert [(str(d.location), d.code) for d in found] == [("readings.csv:8:1", "OPS701")]
    assert "more than 5 separate figures by this line" in found[0].message
    assert len(actuals.readings) == 6  # lines 2 to 7


def test_a_reading_restated_on_the_same_date_replaces_the_earlier_one(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("date,kpi,value\n2027-01-05,order-intake.order-accuracy,90\n"
                                    "2027-01-06,order-intake.order-accuracy,91\n")
    (tmp_path / "b.csv").write_text("date,kpi,value\n2027-01-05,order-intake.order-accuracy,95.5\n")
    assert ACME_PLAN is not None
    for fast in (True, False):
        actuals, found = load_actuals(tmp_path, ACME_PLAN, fast=fast)
        assert found == []
        assert [(str(row.date), str(row.value), str(row.origin)) for row in actuals.readings] == [
            ("2027-01-05", "95.5", "b.csv:2"), ("2027-01-06", "91", "a.csv:3")]
