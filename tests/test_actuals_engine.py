"""The ledger engine (DuckDB) against the csv path it stands in for: on generated and hostile
spend files, the same findings (code, file:line:col, words), the same records in the same order
with the same origins, and amounts equal to the digit, exponent and sign."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import ACME, duckdb_missing
from hypothesis import example, given, settings
from hypothesis import strategies as st

from opsplan.check.pipeline import check_path
from opsplan.load import actuals as actuals_module
from opsplan.load.actuals import load_actuals
from opsplan.report.sections.shared import readings_by_measure

duckdb = pytest.importorskip("duckdb", reason="DuckDB is not installed here: the csv path reads every file")

ACME_PLAN = check_path(ACME)[1].plan

DATES = ["2027-01-31", "2027-02-28", "2028-03-31", "2026-12-31", "bad", " 2027-01-31", "2027-01-31\u00a0", "2027-02-30"]
DEPARTMENTS = ["warehouse", "CC-220", "transport", "nowhere", " warehouse", '"warehouse"', '"ware,house"', "\twarehouse"]
LINES = ["salaries", "6100-salaries", "fuel", "no-such-line", '"fuel"', "fuel ", "robots"]
AMOUNTS = ["1250.50", "0.01", "-3", "1e3", "0.001", "7", "NaN", "x", "", "99999999.99", "12345678901234",
           "123456789012345", "9999999999999999", "1.2345", "1.23456", "+5", "-0", "-0.00", "-0.0", " 7 ", "5.",
           ".5", "0001", "0.10", '"1,250.50"', '"12.5"', "-Infinity"]
CURRENCIES = ["", "USD", "EUR", "XXX", " USD", '"USD"']
MEMOS = ["", "office chairs", '"a, b"', '"say ""hi"""', " padded ", '"two\nlines"', '"broken']
ODD_LINES = ["", "   ", " , , , ", ",,,,", "2027-01-31,warehouse", "2027-01-31,warehouse,salaries,1,USD,memo,extra",
             '"unclosed,warehouse,salaries,1', "x\ry", "2027-01-31,warehouse,salaries,1\r"]
HEADERS = ["date,department,line,amount,currency", "date,department,line,amount", "date,department,line,amount,currency,memo",
           "amount,line,department,date", " Date , Department,LINE,amount"]

row = st.tuples(st.sampled_from(DATES), st.sampled_from(DEPARTMENTS), st.sampled_from(LINES), st.sampled_from(AMOUNTS),
                st.sampled_from(CURRENCIES), st.sampled_from(MEMOS))
line = st.one_of(row.map(lambda cells: ("row", cells)), st.sampled_from(ODD_LINES).map(lambda text: ("odd", text)))


def render(header: str, cells: tuple[str, ...]) -> str:
    date, department, line_id, amount, currency, memo = cells
    by_name = {"date": date, "department": department, "line": line_id, "amount": amount, "currency": currency,
               "memo": memo}
    return ",".join(by_name[name.strip().lower()] for name in header.split(","))


def write(folder: Path, name: str, header: str, lines: list[tuple[str, Any]], ending: str) -> None:
    text = [header] + [render(header, value) if kind == "row" else value for kind, value in lines]
    (folder / name).write_bytes((ending.join(text) + ending).encode())


def seen(result: tuple[Any, list[Any]]) -> tuple[Any, ...]:
    """Everything a report or a finding can show of the actuals, amounts as written."""
    actuals, found = result
    # The readings as the loader grouped them by measure are its list of readings, grouped.
    assert actuals.readings_by_measure == readings_by_measure(replace(actuals, readings_by_measure=None))
    spend = [(row.date, row.budget, row.department, row.line, str(row.amount), str(row.origin)) for row in actuals.spend]
    return (spend, actuals, [(d.code, str(d.location), d.message, d.hint) for d in found])


KPIS = ["order-intake.order-accuracy", " order-intake.order-accuracy", "order-intake.nope", "no-such-kpi",
        '"order-intake.order-accuracy"', "order-intake.order-accuracy\u00a0"]
VALUES = ["90", "95.5", "-1", "1e3", "0.000000000000000000000000000001", "1" * 16, "", "x", " 7", '"8"', "-0", "12."]
# "2027-W01-2" is 2027-01-05 to the date parser of Python 3.11 and later: two texts, one date.
READING_DATES = ["2027-01-05", "2027-01-06", "2027-02-30", " 2027-01-05", "nope", "2027-W01-2", "0000-01-05"]
reading_row = st.tuples(st.sampled_from(READING_DATES), st.sampled_from(KPIS), st.sampled_from(VALUES))
READING_ODD = ["", "  ", "2027-01-05,order-intake.order-accuracy", "2027-01-05,order-intake.order-accuracy,1,extra",
               '"broken', "a\rb"]


@settings(max_examples=120, deadline=None)
@example(["2027-W01-2,order-intake.order-accuracy,1", "2027-01-05,order-intake.order-accuracy,2",
          "2027-01-06,order-intake.order-accuracy,3", "2027-01-06, order-intake.order-accuracy,4"],
         "date,kpi,value", "\n")
@given(st.lists(st.one_of(reading_row.map(",".join), st.sampled_from(READING_ODD)), max_size=30),
       st.sampled_from(["date,kpi,value", "kpi,value,date", "date,kpi,value,note"]), st.sampled_from(["\n", "\r\n"]))
def test_the_engine_reads_kpi_readings_as_the_csv_path_does(tmp_path_factory: pytest.TempPathFactory,
                                                            lines: list[str], header: str, ending: str) -> None:
    """The last reading of a measure and date wins, whether the engine or Python read it."""
    folder = tmp_path_factory.mktemp("readings")
    order = {"date,kpi,value": (0, 1, 2), "kpi,value,date": (1, 2, 0), "date,kpi,value,note": (0, 1, 2)}[header]

    def reorder(line: str) -> str:
        cells = line.split(",")
        if len(cells) != 3 or '"' in line:
            return line
        moved = [cells[order.index(index)] for index in range(3)]
        return ",".join(moved + (["a note"] if header.endswith("note") else []))

    (folder / "readings.csv").write_bytes((ending.join([header, *map(reorder, lines)]) + ending).encode())
    assert ACME_PLAN is not None
    assert seen(load_actuals(folder, ACME_PLAN, engine="duckdb")) == seen(load_actuals(folder, ACME_PLAN, engine="python"))


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(HEADERS), st.lists(line, max_size=30), st.sampled_from(["\n", "\r\n"])),
                min_size=1, max_size=3), st.booleans())
def test_the_engine_reads_spend_as_the_csv_path_does(tmp_path_factory: pytest.TempPathFactory,
                                                     files: list[tuple[str, list[tuple[str, Any]], str]],
                                                     copy_first: bool) -> None:
    folder = tmp_path_factory.mktemp("actuals")
    for index, (header, lines, ending) in enumerate(files):
        write(folder, f"spend-{index}.csv", header, lines, ending)
    if copy_first:  # a duplicate export (OPS706), found across the engine's files
        shutil.copy(folder / "spend-0.csv", folder / "spend-9-copy.csv")
    assert ACME_PLAN is not None
    engine = seen(load_actuals(folder, ACME_PLAN, engine="duckdb"))
    assert engine == seen(load_actuals(folder, ACME_PLAN, engine="python"))


def test_a_ledger_read_by_the_engine_adds_up_exactly_with_the_first_lines(tmp_path: Path) -> None:
    postings = [f"2027-01-31,warehouse,salaries,{cents / 100:.2f}" for cents in range(1, 2001)]
    postings[5] = '2027-01-31,warehouse,salaries,"0.06"'  # quoted: read by Python, still the same record
    postings[7] = "2027-01-31,warehouse,nowhere,1.00"  # a bad row, explained at its line
    (tmp_path / "ledger.csv").write_text("date,department,line,amount\n" + "\n".join(postings) + "\n")
    assert ACME_PLAN is not None
    actuals, found = load_actuals(tmp_path, ACME_PLAN, engine="duckdb")
    assert [(d.code, str(d.location)) for d in found] == [("OPS702", "ledger.csv:9:22")]
    # 0.01 + 0.02 + ... + 20.00 is 20,010.00; the bad row held 0.08.
    assert [(row.line, str(row.amount), str(row.origin)) for row in actuals.spend] == [
        ("salaries", "20009.92", "ledger.csv:2")]


def test_the_engine_is_used_for_big_spend_files_only_and_is_optional(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "spend.csv").write_text("date,department,line,amount\n2027-01-31,warehouse,salaries,5\n")
    assert ACME_PLAN is not None
    started = []
    from opsplan.load import actuals_engine

    real = actuals_engine.LedgerEngine

    def counted(*args: Any) -> Any:
        started.append(True)
        return real(*args)

    monkeypatch.setattr(actuals_engine, "LedgerEngine", counted)
    small = load_actuals(tmp_path, ACME_PLAN)
    assert started == []
    monkeypatch.setattr(actuals_module, "ENGINE_MIN_BYTES", 10)
    assert seen(load_actuals(tmp_path, ACME_PLAN)) == seen(small) and started == [True]
    with duckdb_missing():  # not installed: the csv path
        assert seen(load_actuals(tmp_path, ACME_PLAN)) == seen(small) and started == [True]


def test_check_adds_up_the_ledger_while_the_plan_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(ACME, plan)
    spend = plan / "actuals" / "ledger.csv"
    spend.write_text("date,department,line,amount\n" + "".join(
        f"2027-0{1 + day % 9}-1{day % 10},warehouse,salaries,{day}.25\n" for day in range(300)))
    csv_path = check_path(plan)[1]
    monkeypatch.setattr(actuals_module, "ENGINE_MIN_BYTES", 10)
    engine_path = check_path(plan)[1]
    assert engine_path.diagnostics == csv_path.diagnostics
    assert seen((engine_path.actuals, [])) == seen((csv_path.actuals, []))


def test_a_plan_that_cannot_be_built_stops_the_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(ACME, plan)
    (plan / "opsplan.yaml").write_text("version: [\n")
    monkeypatch.setattr(actuals_module, "ENGINE_MIN_BYTES", 10)
    from opsplan.load.actuals_engine import LedgerEngine

    closed: list[str] = []
    real_close = LedgerEngine.close

    def close(engine: LedgerEngine) -> None:
        closed.append(engine.folder)
        real_close(engine)

    monkeypatch.setattr(LedgerEngine, "close", close)
    _, result = check_path(plan)
    assert result.plan is None and result.diagnostics
    assert len(closed) == 1 and not Path(closed[0]).exists()  # its scans stopped, its spill folder gone


def test_a_scan_short_of_memory_runs_again_with_more(tmp_path: Path) -> None:
    from opsplan.load.actuals_engine import LedgerEngine, SpendLayout

    postings = "".join(f"2027-01-{1 + day % 28:02},warehouse,line-{day},{day}.5\n" for day in range(60_000))
    (tmp_path / "ledger.csv").write_text("date,department,line,amount\n" + postings)
    frugal = LedgerEngine(memory_limit="1MB")  # too little for a scan of this file
    try:
        scan = frugal.scan(tmp_path / "ledger.csv", SpendLayout(0, 1, 2, 3, None, 4))
        assert scan is not None
        groups = list(scan)
        assert not scan.broken and len(groups) == 60_000 and scan.others == 0
    finally:
        frugal.close()


def test_the_scans_run_ahead_give_their_memory_back_once_taken(tmp_path: Path) -> None:
    from opsplan.load.actuals_engine import LedgerEngine, SpendLayout

    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text("date,department,line,amount\n2027-01-31,warehouse,salaries,5\n")
    layout = SpendLayout(0, 1, 2, 3, None, 4)
    engine = LedgerEngine()
    try:
        engine.start([(tmp_path / "a.csv", layout), (tmp_path / "b.csv", layout)])
        first = engine.scan(tmp_path / "a.csv", layout)
        assert first is not None and len(list(first)) == 1
        assert engine.worker_connection is not None  # the second scan is still to be taken
        second = engine.scan(tmp_path / "b.csv", layout)
        assert second is not None and len(list(second)) == 1
        assert engine.worker_connection is None  # its database closed
    finally:
        engine.close()


@pytest.mark.parametrize("name", ["[ab].csv", "*.csv", "?.csv"])
def test_a_file_named_like_a_pattern_is_read_as_itself(tmp_path: Path, name: str) -> None:
    """DuckDB reads `*`, `?` and `[` in a path as a pattern: the engine must read the file listed
    and no other (here `a.csv` and `b.csv`, which the pattern would match)."""
    header = "date,department,line,amount\n"
    (tmp_path / "a.csv").write_text(header + "2027-01-31,warehouse,salaries,1\n")
    (tmp_path / "b.csv").write_text(header + "2027-01-31,warehouse,salaries,20\n")
    (tmp_path / name).write_text(header + "2027-01-31,warehouse,salaries,300\n")
    assert ACME_PLAN is not None
    engine = seen(load_actuals(tmp_path, ACME_PLAN, engine="duckdb"))
    assert engine == seen(load_actuals(tmp_path, ACME_PLAN, engine="python"))
    assert sorted(str(row.amount) for row in engine[1].spend) == ["1", "20", "300"]
