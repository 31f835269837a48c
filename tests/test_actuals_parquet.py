"""Parquet files of actuals, read through DuckDB: the same rows as a CSV file give the same
figures and the same findings (codes, words, lines and columns); typed values are read as their
exact text; a file that cannot be read is OPS701 with a hint, never a traceback."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from conftest import ACME, BASE_PLAN, PlanWriter, duckdb_missing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsplan.check.pipeline import check_path
from opsplan.cli import cli
from opsplan.load.actuals import ActualsFiles, ActualsKind, Engine, load_actuals

duckdb = pytest.importorskip("duckdb", reason="DuckDB is not installed here: Parquet files cannot be read")

ACME_PLAN = check_path(ACME)[1].plan


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_parquet(path: Path, header: Sequence[str], rows: Sequence[Sequence[str | None]],
                  types: Sequence[str] | None = None) -> None:
    """A Parquet file of these columns and rows (each value text or NULL, cast to its type)."""
    types = types or ["VARCHAR"] * len(header)
    connection = duckdb.connect()
    try:
        columns = {f"c{index}": [row[index] for row in rows] for index in range(len(header))}
        select = ", ".join((f"encode(unnest($c{index}::VARCHAR[]))" if kind == "BLOB" else
                            f"CAST(unnest($c{index}::VARCHAR[]) AS {kind})") + f" AS {quoted(name)}"
                           for index, (name, kind) in enumerate(zip(header, types, strict=True)))
        connection.execute(f"CREATE TABLE t AS SELECT {select}", columns)
        connection.execute("COPY t TO $path (FORMAT parquet)", {"path": str(path)})
    finally:
        connection.close()


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str | None]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([["" if cell is None else cell for cell in row] for row in rows])


def seen(result: tuple[Any, list[Any]]) -> tuple[Any, ...]:
    """Everything a report or a finding shows of the actuals, a Parquet file named as the CSV file
    of the same rows would be."""
    actuals, found = result

    def shown(value: object) -> str:
        return str(value).replace(".parquet", ".csv")

    records = [(kind, *(shown(getattr(record, field)) for field in record.__slots__))
               for kind in ("spend", "readings", "headcount", "hires", "completions", "progress", "volumes")
               for record in getattr(actuals, kind)]
    return (records, [shown(file) for file in actuals.files],
            [(d.code, shown(d.location), shown(d.message), shown(d.hint)) for d in found])


# --- the same rows as CSV and as Parquet -----------------------------------------------------------

DATES = ["2027-01-31", "2027-02-28", "2028-03-31", "2026-12-31", "31/01/2027", " 2027-01-31", "2027-02-30", ""]
CELLS = {
    "date": DATES,
    "department": ["warehouse", "CC-220", "transport", "nowhere", " warehouse", "ware,house", 'say "hi"', ""],
    "line": ["salaries", "6100-salaries", "fuel", "no-such-line", "fuel "],
    "amount": ["1250.50", "0.01", "-3", "1e3", "1,000", "$5", "12345678901234567", "0.10", "x", ""],
    "currency": ["", "USD", "EUR", "XXX", "usd"],
    "memo": ["", "office chairs", "a, b", '"quoted"', " padded "],
    "kpi": ["order-intake.order-accuracy", "order-intake.order-entry-time", "order-intake.nope", "improve-margin", ""],
    "value": ["90", "95.5", "-1", "1e3", "x", "1" * 16, ""],
    "headcount": ["183", "1.5", "-2", "40.0", ""],
    "program": ["warehouse-hiring-2027", "lean-basics", "driver-hiring-2027", "wms-upgrade", "nope"],
    "role": ["associate", "cdl-driver", "nope"],
    "hired": ["4", "0", "2.5", "-1"],
    "completed": ["8", "x", "-1"],
    "percent_complete": ["9", "100", "101", "x"],
    "process": ["order-fulfillment", "nope", "order-intake"],
    "volume": ["371000", "-5", "1.5", "x"],
}
HEADERS = [
    ["date", "department", "line", "amount", "currency"], ["amount", "line", "department", "date", "memo"],
    ["date", "department", "line", "amount"], ["date", "kpi", "value"], ["kpi", "value", "date", "memo"],
    ["date", "department", "headcount"], ["date", "program", "role", "hired"], ["date", "program", "completed"],
    ["date", "program", "percent_complete"], ["date", "process", "volume"], [" Date ", "KPI", "value"],
]


@st.composite
def actuals_file(draw: st.DrawFn) -> tuple[list[str], list[list[str | None]], bool]:
    """A header, rows of cells drawn for its columns (None: a NULL in Parquet, empty in CSV; no
    cell holds a line break, which would make one CSV row two lines), and whether it is Parquet."""
    header = draw(st.sampled_from(HEADERS))
    cell = {name: st.one_of(st.none(), st.sampled_from(CELLS[name.strip().lower()])) for name in header}
    rows = draw(st.lists(st.tuples(*(cell[name] for name in header)).map(list), max_size=20))
    return header, rows, draw(st.booleans())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(actuals_file(), min_size=1, max_size=3), st.booleans(), st.sampled_from(["python", "duckdb"]))
def test_parquet_rows_give_what_the_same_rows_as_csv_give(tmp_path_factory: pytest.TempPathFactory,
                                                          files: list[tuple[list[str], list[list[str | None]], bool]],
                                                          copy_first: bool, engine: Engine) -> None:
    """Rows read one by one, or (spend and readings, with the engine) added up by the ledger
    engine, which hands back the rows it does not vouch for: the CSV path's result either way."""
    as_csv, mixed = tmp_path_factory.mktemp("csv"), tmp_path_factory.mktemp("mixed")
    if copy_first:  # a copy of the first file, in the other format: OPS706 across the two
        header, rows, parquet = files[0]
        files = [*files, (header, rows, not parquet)]
    for index, (header, rows, parquet) in enumerate(files):
        write_csv(as_csv / f"f{index}.csv", header, rows)
        if parquet:
            write_parquet(mixed / f"f{index}.parquet", header, rows)
        else:
            write_csv(mixed / f"f{index}.csv", header, rows)
    assert ACME_PLAN is not None
    assert seen(load_actuals(mixed, ACME_PLAN, engine=engine)) == seen(load_actuals(as_csv, ACME_PLAN, engine="python"))


def test_a_finding_is_at_the_line_and_column_of_the_row_in_the_file_exported_to_csv(tmp_path: Path) -> None:
    write_parquet(tmp_path / "spend.parquet", ["date", "department", "line", "amount"], [
        ["2027-01-31", "warehouse", "salaries", "10"],
        ["2027-01-31", "warehouse", "salaries", "1,000"],  # the second row: line 3, `amount` at character 31
        ["2027-01-31", "warehuose", "salaries", "5"]])
    assert ACME_PLAN is not None
    _, found = load_actuals(tmp_path, ACME_PLAN)
    assert [(d.code, str(d.location)) for d in found] == [("OPS703", "spend.parquet:3:31"), ("OPS702", "spend.parquet:4:12")]
    assert found[1].hint == "did you mean `warehouse`?"


@pytest.mark.parametrize(("rows", "engine_on"), [(99, False), (100, True)])
def test_the_ledger_engine_adds_up_a_parquet_ledger_by_its_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                rows: int, engine_on: bool) -> None:
    """A Parquet file counts as the bytes of its rows in CSV towards starting the engine, which
    then adds up the rows it vouches for and hands back the others by their line."""
    from opsplan.load import actuals as actuals_module
    from opsplan.load.actuals_engine import LedgerEngine

    monkeypatch.setattr(actuals_module, "ENGINE_MIN_BYTES", 100 * actuals_module.CSV_ROW_BYTES)
    scanned: list[tuple[str, bool]] = []
    scan = LedgerEngine.scan

    def spied(engine: LedgerEngine, path: Path, layout: Any) -> Any:
        found = scan(engine, path, layout)
        scanned.append((path.name, found is not None))
        return found

    monkeypatch.setattr(LedgerEngine, "scan", spied)
    header = ["date", "department", "line", "amount"]
    postings: list[list[str | None]] = [["2027-01-31", "warehouse", "salaries", f"{cents / 100:.2f}"]
                                        for cents in range(1, rows + 1)]
    postings[5][3] = " 0.06"  # not plain: read by Python, still the same record
    postings[7][1] = "warehuose"  # a bad row, explained at its line
    postings[9] = [None, None, None, None]  # a row of NULLs: a blank line
    (tmp_path / "parquet").mkdir()
    (tmp_path / "csv").mkdir()
    write_parquet(tmp_path / "parquet" / "ledger.parquet", header, postings, ["DATE", "VARCHAR", "VARCHAR", "VARCHAR"])
    write_csv(tmp_path / "csv" / "ledger.csv", header, postings)
    assert ACME_PLAN is not None
    actuals, found = load_actuals(tmp_path / "parquet", ACME_PLAN)
    assert scanned == ([("ledger.parquet", True)] if engine_on else [])
    assert seen((actuals, found)) == seen(load_actuals(tmp_path / "csv", ACME_PLAN, engine="python"))
    assert [(d.code, str(d.location)) for d in found] == [("OPS702", "ledger.parquet:9:12")]
    total = (sum(range(1, rows + 1)) - 8 - 10) / 100  # rows of 0.01 to rows / 100; the bad row and the blank one left out
    assert [(str(row.amount), str(row.origin)) for row in actuals.spend] == [(f"{total:.2f}", "ledger.parquet:2")]


def test_a_column_named_as_the_engine_numbers_rows_leaves_the_file_to_the_row_taker(tmp_path: Path) -> None:
    """DuckDB refuses to number the rows of a file with a column `file_row_number`: such a file is
    read row by row instead, with the same result."""
    header = ["file_row_number", "date", "department", "line", "amount"]
    rows: list[list[str | None]] = [["7", "2027-01-31", "warehouse", "salaries", "5"], ["8", "2027-01-31", "nowhere", "salaries", "5"]]
    (tmp_path / "parquet").mkdir()
    (tmp_path / "csv").mkdir()
    write_parquet(tmp_path / "parquet" / "spend.parquet", header, rows)
    write_csv(tmp_path / "csv" / "spend.csv", header, rows)
    assert ACME_PLAN is not None
    assert seen(load_actuals(tmp_path / "parquet", ACME_PLAN, engine="duckdb")) == seen(
        load_actuals(tmp_path / "csv", ACME_PLAN, engine="python"))


# --- typed values ----------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
def test_typed_values_are_read_as_their_exact_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    """Whatever the time zone of the machine reading them (DuckDB's TimeZone setting)."""
    from opsplan.load.actuals_engine import LedgerEngine

    connect = LedgerEngine._connect

    def in_zone(engine: LedgerEngine) -> Any:
        connection = connect(engine)
        connection.execute(f"SET TimeZone = '{zone}'")
        return connection

    monkeypatch.setattr(LedgerEngine, "_connect", in_zone)
    header = ["date", "department", "line", "amount", "memo"]
    write_parquet(tmp_path / "decimal.parquet", header, [
        ["2027-01-31", "warehouse", "salaries", "0.10", None],
        ["2027-01-31", "warehouse", "salaries", "0.20", None],
        ["2027-01-31", "warehouse", "salaries", "1250.50", None]],
        ["DATE", "VARCHAR", "VARCHAR", "DECIMAL(18, 2)", "INTEGER"])
    write_parquet(tmp_path / "double.parquet", header, [
        ["2027-02-28 00:00:00", "warehouse", "salaries", "0.1", "1"],
        ["2027-02-28 00:00:00", "warehouse", "salaries", "0.2", "2"],
        ["2027-02-28 10:30:00", "warehouse", "salaries", "7", "3"],  # a time of day: not a date
        ["2027-02-28 00:00:00", "warehouse", "salaries", None, "4"],  # NULL: an empty cell
        [None, None, None, None, None]],  # a row of NULLs: a blank line, skipped
        ["TIMESTAMP", "VARCHAR", "VARCHAR", "DOUBLE", "BIGINT"])
    write_parquet(tmp_path / "zoned.parquet", header, [
        ["2027-03-31 00:00:00+00", "CC-220", "benefits", "5", None],
        ["2027-03-31 00:00:00+02", "CC-220", "benefits", "7", None],  # 22:00 the day before, in UTC
        ["2027-03-31 00:00:00+00", "Lager-Süd", "benefits", "7", None]],
        ["TIMESTAMPTZ", "BLOB", "VARCHAR", "FLOAT", "VARCHAR"])
    assert ACME_PLAN is not None
    actuals, found = load_actuals(tmp_path, ACME_PLAN)
    assert [(str(row.date), row.department, row.line, str(row.amount), str(row.origin)) for row in actuals.spend] == [
        ("2027-01-31", "warehouse", "salaries", "1250.80", "decimal.parquet:2"),  # exact to the cent
        ("2027-02-28", "warehouse", "salaries", "0.3", "double.parquet:2"),  # DuckDB's shortest text of each
        ("2027-03-31", "transport", "benefits", "5.0", "zoned.parquet:2")]  # a BLOB's text; a FLOAT's
    assert [(d.code, str(d.location), d.message) for d in found] == [
        ("OPS703", "double.parquet:4:1", "`date` is `2027-02-28 10:30:00`, not a date"),
        ("OPS703", "double.parquet:5:31", "`amount` is empty"),
        ("OPS703", "zoned.parquet:3:1", "`date` is `2027-03-30 22:00:00`, not a date"),
        ("OPS702", "zoned.parquet:4:12", "unknown department or cost center `Lager-Süd`")]


def test_counts_and_readings_of_numeric_types(tmp_path: Path) -> None:
    write_parquet(tmp_path / "headcount.parquet", ["date", "department", "headcount"],
                  [["2027-01-31", "warehouse", "183"], ["2027-02-28", "warehouse", "184.0"]], ["DATE", "VARCHAR", "DOUBLE"])
    write_parquet(tmp_path / "readings.parquet", ["date", "kpi", "value"],
                  [["2027-01-31", "order-intake.order-accuracy", "97.5"], ["2027-02-28", "order-intake.order-accuracy", "98"]],
                  ["DATE", "VARCHAR", "DECIMAL(5, 1)"])
    assert ACME_PLAN is not None
    actuals, found = load_actuals(tmp_path, ACME_PLAN)
    assert found == []
    assert [row.headcount for row in actuals.headcount] == [183, 184]
    assert [str(row.value) for row in actuals.readings] == ["97.5", "98.0"]


# --- hostile files ---------------------------------------------------------------------------------


def findings(folder: Path) -> list[tuple[str, str, str, str | None]]:
    assert ACME_PLAN is not None
    return [(d.code, str(d.location), d.message, d.hint) for d in load_actuals(folder, ACME_PLAN)[1]]


UNREADABLE = "check that it is a whole, unencrypted Parquet file, or export it as CSV"


@pytest.mark.parametrize(("content", "reason"), [
    (os.urandom(2000), "No magic bytes found at end of file"),
    (b"date,kpi,value\n2027-01-31,order-intake.order-accuracy,97.5\n", "No magic bytes found at end of file"),
    (b"", "File too small to be a Parquet file"),
    (b"PAR1\x1b[2J\n::error::pwned`PAR1", "Footer length error in file"),
])
def test_a_file_that_is_not_parquet_is_unreadable_with_a_hint(tmp_path: Path, content: bytes, reason: str) -> None:
    (tmp_path / "spend.parquet").write_bytes(content)
    [(code, location, message, hint)] = findings(tmp_path)
    assert (code, location, hint) == ("OPS701", "spend.parquet:1:1", UNREADABLE)
    # DuckDB's words, without the file's path and the quotes around it (the finding names the file).
    assert message.startswith("cannot read the Parquet file: ") and reason in message and "''" not in message
    assert message.endswith(reason) or reason.startswith("File ")
    assert str(tmp_path) not in message and "\n" not in message and "\x1b" not in message


def test_an_encrypted_file_is_unreadable_with_a_hint(tmp_path: Path) -> None:
    connection = duckdb.connect()
    connection.execute("SET force_mbedtls_unsafe = 'true'")  # writing needs it; opsplan only reads
    connection.execute("PRAGMA add_parquet_key('key', '0123456789112345')")
    connection.execute("COPY (SELECT DATE '2027-01-31' AS date, 'order-intake.order-accuracy' AS kpi, 97.5 AS value) "
                       "TO $path (FORMAT parquet, ENCRYPTION_CONFIG {footer_key: 'key'})",
                       {"path": str(tmp_path / "readings.parquet")})
    connection.close()
    [(code, location, message, hint)] = findings(tmp_path)
    assert (code, location, hint) == ("OPS701", "readings.parquet:1:1", UNREADABLE)
    assert "encrypted" in message


def test_a_damaged_page_stops_the_file_where_it_is_found(tmp_path: Path) -> None:
    path = tmp_path / "readings.parquet"
    connection = duckdb.connect()
    # Row groups of 20,000 rows that compress little: the damage is met after some rows were given.
    connection.execute("COPY (SELECT DATE '2027-01-01' + (range % 300)::INTEGER AS date, 'order-intake.order-accuracy' AS kpi, "
                       "hash(range) % 1000 AS value, md5(range::VARCHAR) AS memo FROM range(400000)) "
                       "TO $path (FORMAT parquet, ROW_GROUP_SIZE 20000)", {"path": str(path)})
    connection.close()
    damaged = bytearray(path.read_bytes())
    at = len(damaged) * 4 // 5
    damaged[at:at + 4000] = b"A" * 4000
    path.write_bytes(bytes(damaged))
    stopped = [finding for finding in findings(tmp_path) if finding[0] == "OPS701"]
    assert len(stopped) == 1
    _, location, message, hint = stopped[0]
    assert message.startswith("cannot read the Parquet file beyond line ") and hint == UNREADABLE
    line = int(message.split("beyond line ")[1].split(":")[0])
    assert line > 1 and location == f"readings.parquet:{line + 1}:1" and str(tmp_path) not in message
    assert ACME_PLAN is not None
    assert load_actuals(tmp_path, ACME_PLAN)[0].readings  # the rows before it are read


def test_a_column_of_lists_the_kind_reads_is_unreadable_and_any_other_is_ignored(tmp_path: Path) -> None:
    connection = duckdb.connect()
    connection.execute("COPY (SELECT {'a': [1, 2], 'b': {'c': 3}} AS memo, DATE '2027-01-31' AS date, "
                       "'order-intake.order-accuracy' AS kpi, [97.5] AS value) TO $path",
                       {"path": str(tmp_path / "lists.parquet")})
    connection.execute("COPY (SELECT {'a': [1, 2], 'b': {'c': 3}} AS memo, MAP {'k': 1} AS more, DATE '2027-01-31' AS date, "
                       "'order-intake.order-accuracy' AS kpi, 97.5 AS value) TO $path",
                       {"path": str(tmp_path / "memo.parquet")})
    connection.close()
    assert findings(tmp_path) == [
        ("OPS701", "lists.parquet:1:15", "column `value` holds a list in each row, not one value",
         "flatten the column to one value a row, or export the file as CSV")]
    assert ACME_PLAN is not None
    assert [(str(row.value), str(row.origin)) for row in load_actuals(tmp_path, ACME_PLAN)[0].readings] == [
        ("97.5", "memo.parquet:2")]


def test_a_column_named_twice_in_the_file_is_unreadable_as_in_a_csv_header(tmp_path: Path) -> None:
    """DuckDB would call the second `date` `date_1`; the names as the file writes them count."""
    path = tmp_path / "readings.parquet"
    write_parquet(path, ["date", "kpi", "value", "xxxx"], [["2027-01-31", "order-intake.order-accuracy", "97", "x"]])
    path.write_bytes(path.read_bytes().replace(b"xxxx", b"DATE"))  # the same length: the file stays whole
    assert findings(tmp_path) == [("OPS701", "readings.parquet:1:16", "column `date` appears twice in the header "
                                   "(columns 1 and 4)", "keep one column of each name: which one holds the figures "
                                   "cannot be guessed")]


def test_a_folder_named_like_a_partition_adds_no_column(tmp_path: Path) -> None:
    """DuckDB would read `department=warehouse/` as a column `department`, and this file as spend."""
    folder = tmp_path / "department=warehouse"
    folder.mkdir()
    write_parquet(folder / "spend.parquet", ["date", "line", "amount"], [["2027-01-31", "salaries", "5"]])
    [(code, location, message, _)] = findings(tmp_path)
    assert (code, location) == ("OPS701", "department=warehouse/spend.parquet:1:1")
    assert message == "header `date,line,amount` matches no kind of actuals"


@pytest.mark.parametrize("name", ["[ab].parquet", "*.parquet", "a?.parquet"])
def test_a_file_named_like_a_pattern_is_read_as_itself(tmp_path: Path, name: str) -> None:
    header = ["date", "department", "line", "amount"]
    for file, amount in (("a.parquet", "1"), ("b.parquet", "20"), ("ab.parquet", "4000"), (name, "300")):
        write_parquet(tmp_path / file, header, [["2027-01-31", "warehouse", "salaries", amount]])
    assert ACME_PLAN is not None
    actuals, found = load_actuals(tmp_path, ACME_PLAN)
    assert found == [] and sorted(str(row.amount) for row in actuals.spend) == ["1", "20", "300", "4000"]


def test_the_suffix_is_recognised_in_any_case(tmp_path: Path) -> None:
    write_parquet(tmp_path / "SPEND.Parquet", ["date", "department", "line", "amount"], [["2027-01-31", "warehouse", "salaries", "5"]])
    assert ACME_PLAN is not None
    assert [str(row.origin) for row in load_actuals(tmp_path, ACME_PLAN)[0].spend] == ["SPEND.Parquet:2"]


def test_parquet_files_are_told_apart_by_their_columns_before_the_plan_is_read(tmp_path: Path) -> None:
    """Which kinds of files are still to come decides what is kept to find copies (OPS706)."""
    for name, header in (("a.parquet", ["date", "kpi", "value"]), ("b.parquet", ["date", "kpi", "value"]),
                         ("[ab].parquet", ["date", "department", "line", "amount"])):
        write_parquet(tmp_path / name, header, [])
    listed = ActualsFiles(tmp_path)
    try:
        assert {path.name: kind for path, kind in listed.kinds.items()} == {
            "[ab].parquet": ActualsKind.SPEND, "a.parquet": ActualsKind.READINGS, "b.parquet": ActualsKind.READINGS}
    finally:
        listed.close()


def test_a_link_to_a_parquet_file_outside_the_plan_is_not_read(write_plan: PlanWriter, tmp_path: Path) -> None:
    outside = tmp_path / "secret.parquet"
    write_parquet(outside, ["date", "kpi", "value"], [["2027-01-31", "picking.pick-rate", "100"]])
    root = write_plan({"plan.yaml": BASE_PLAN})
    (root / "actuals").mkdir()
    (root / "actuals" / "kpi.parquet").symlink_to(outside)
    _, result = check_path(root)
    assert [(d.code, str(d.location)) for d in result.diagnostics] == [("OPS008", "actuals/kpi.parquet:1:1")]
    assert result.actuals is not None and result.actuals.readings == ()


HOSTILE_NAME = "\x1b[2J\x1b]0;title\x07\n::error file=plan.yaml::pwned | <b>*x*</b> `code`"


@pytest.mark.parametrize("output_format", ["text", "github", "json", "sarif", "junit"])
@pytest.mark.parametrize("header", [
    ["date", "kpi", HOSTILE_NAME],  # matches no kind: the header is quoted in the finding
    ["date", "kpi", "value", HOSTILE_NAME, " VALUE"],  # a column named twice
    # An extra column, ignored; with no line break, which would make the CSV header two lines.
    [HOSTILE_NAME.replace("\n", " "), "date", "kpi", "value"],
])
def test_hostile_column_names_are_shown_as_those_of_a_csv_header(write_plan: PlanWriter, output_format: str,
                                                                  header: list[str]) -> None:
    rows: list[list[str | None]] = [[{"date": "2027-01-31", "kpi": "picking.pick-ratz"}.get(name, "5") for name in header]]
    root = write_plan({"plan.yaml": BASE_PLAN})
    (root / "actuals").mkdir()
    outputs = []
    for suffix, write in ((".csv", write_csv), (".parquet", write_parquet)):
        for old in (root / "actuals").iterdir():
            old.unlink()
        write(root / "actuals" / f"kpi{suffix}", header, rows)
        result = CliRunner().invoke(cli, ["check", str(root), "--format", output_format])
        assert result.exit_code == 1, result.output
        outputs.append(result.output)
    assert outputs[1].replace(".parquet", ".csv") == outputs[0]
    if output_format in ("text", "github"):
        assert "\x1b" not in outputs[1] and "\x07" not in outputs[1]
        # The only workflow commands are the findings' own, each about the file.
        assert all(line.startswith(f"::error file={root}/actuals/kpi.parquet,")
                   for line in outputs[1].splitlines() if line.lstrip().startswith("::"))


# --- without DuckDB --------------------------------------------------------------------------------


def test_without_duckdb_a_parquet_file_is_unreadable_with_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_parquet(tmp_path / "readings.parquet", ["date", "kpi", "value"], [["2027-01-31", "order-intake.order-accuracy", "97"]])
    write_csv(tmp_path / "spend.csv", ["date", "department", "line", "amount"], [["2027-01-31", "warehouse", "salaries", "5"]])
    assert ACME_PLAN is not None
    with duckdb_missing():
        actuals, found = load_actuals(tmp_path, ACME_PLAN)
    assert [(d.code, str(d.location), d.message, d.hint) for d in found] == [
        ("OPS701", "readings.parquet:1:1", "a Parquet file is read with DuckDB, which is not installed here",
         "install it (`pip install duckdb`), or export the file as CSV")]
    assert [str(row.amount) for row in actuals.spend] == ["5"]  # the CSV file is read


# --- with the rest of opsplan ----------------------------------------------------------------------


def test_check_cache_reads_an_edited_parquet_file_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    root = tmp_path / "plan"
    shutil.copytree(ACME, root)
    header = ["date", "process", "volume"]
    write_parquet(root / "actuals" / "more.parquet", header, [["2027-03-31", "order-fulfillment", "5"]])

    def check() -> str:
        result = CliRunner().invoke(cli, ["check", str(root), "--cache", "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        return result.output

    before = check()
    assert check() == before  # taken from the cache
    write_parquet(root / "actuals" / "more.parquet", header, [["2027-03-31", "order-fulfilment", "5"]])
    after = check()
    assert after != before and "unknown process `order-fulfilment`" in after
    assert after == CliRunner().invoke(cli, ["check", str(root), "--format", "json"]).output


def test_check_cache_keeps_no_result_read_with_duckdb_for_a_run_without_it(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    root = tmp_path / "plan"
    shutil.copytree(ACME, root)
    write_parquet(root / "actuals" / "more.parquet", ["date", "process", "volume"], [["2027-03-31", "nope", "5"]])

    def codes() -> list[tuple[str, str]]:
        return [(d.code, str(d.location)) for d in check_path(root, cache=True)[1].diagnostics if d.code.startswith("OPS70")]

    with_duckdb = codes()
    assert ("OPS702", "actuals/more.parquet:2:12") in with_duckdb
    with duckdb_missing():
        assert ("OPS701", "actuals/more.parquet:1:1") in codes()
    assert codes() == with_duckdb


def test_progress_counts_the_bytes_of_parquet_files(tmp_path: Path) -> None:
    shutil.copytree(ACME / "actuals", tmp_path / "actuals")
    write_parquet(tmp_path / "actuals" / "more.parquet", ["date", "process", "volume"],
                  [["2027-03-31", "order-fulfillment", str(day)] for day in range(70_000)])
    told: list[tuple[int, int]] = []
    assert ACME_PLAN is not None
    load_actuals(tmp_path / "actuals", ACME_PLAN, tmp_path, progress=lambda done, total: told.append((done, total)))
    sizes = {path.name: path.stat().st_size for path in (tmp_path / "actuals").iterdir()}
    total = sum(sizes.values())
    assert {whole for _, whole in told} == {total} and told[-1] == (total, total)
    assert [done for done, _ in told] == sorted(done for done, _ in told)
    before = sum(size for name, size in sizes.items() if name < "more.parquet")
    assert any(before < done < before + sizes["more.parquet"] for done, _ in told)  # within the Parquet file too


def test_junit_judges_a_parquet_file_by_the_actuals_rules_only(tmp_path: Path) -> None:
    root = tmp_path / "plan"
    shutil.copytree(ACME, root)
    write_parquet(root / "actuals" / "more.parquet", ["date", "process", "volume"], [["2027-03-31", "nope", "5"]])
    output = CliRunner().invoke(cli, ["check", str(root), "--format", "junit"]).output
    [suite] = [suite for suite in ElementTree.fromstring(output) if suite.get("name", "").endswith("/more.parquet")]
    cases = [case.get("name", "") for case in suite]
    assert cases and all(case.startswith("OPS7") for case in cases) and "OPS702 actuals-unknown-id" in cases
