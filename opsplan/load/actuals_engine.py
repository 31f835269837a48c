"""Spend files of general-ledger size added up by DuckDB, a columnar engine, instead of row by
row in Python; the careful Python reader still reads every row the engine cannot vouch for, so
findings keep their file, line and column and their words.

The engine reads each physical line as one text value (numbered in file order) and vouches for a
line only when the csv module would read it as the same cells and the fast Python path would
take it as it is: no quotes, no whitespace at a cell's edge, the header's width at most, a date
written YYYY-MM-DD, a plain amount (at most 14 digits before the point and 4 after it). Those
lines are grouped by their date, department, line and currency cells as written and summed
exactly as decimals; each group is resolved against the plan once, in Python, by the fast path's
own resolver (which strips the cells as the csv path does). KPI readings are vouched for alike,
with a plain value, and the last reading of each KPI and date is kept. Every other line, and the
lines of groups that do not resolve, are handed back in order with their number, to be read as
before.

Scans start in a background thread as soon as the files are listed, so that DuckDB adds up the
ledger while Python reads the plan; DuckDB releases the interpreter while it works.

A file is left to Python as a whole when the engine could number its lines differently from
the csv module: a carriage return that does not end a line, a quote that does not make whole
fields on one line, a line longer than the csv module's field limit.

A Parquet file is scanned the same way, its rows in place of lines: each row's cells are the
text the Parquet reader (``actuals_parquet``) gives, numbered as it numbers them (the row DuckDB
numbers ``n`` from 0 is line ``n + 2``), and the rows left are handed back as those cells.

Duplicate exports (OPS706) across spend files are found with a hash every engine can compute
alike (the first 8 bytes of the MD5 of the identifying cells joined by NUL, which no file that
gets this far holds), kept in DuckDB rather than in Python memory."""

from __future__ import annotations

import contextlib
import csv
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opsplan.load.actuals_duckdb import (
    PARQUET_NUMBERED,
    duckdb_module,
    literal_path,
    parquet_text,
    parquet_types,
)
from opsplan.load.actuals_fastspend import PLAIN_NUMBER as PLAIN_READING
from opsplan.load.actuals_records import is_parquet

# The csv module refuses a field longer than this; a file with a longer line is left to it.
CSV_FIELD_LIMIT = csv.field_size_limit()
# What Python's str.strip() removes: a cell with one of these at an edge is read by Python.
PYTHON_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" \
                    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(character):x}}}" for character in PYTHON_WHITESPACE) + "]"
EDGE_SPACE = f"^{_SPACE_CLASS}+|{_SPACE_CLASS}+$"
PLAIN_AMOUNT = r"-?[0-9]{1,14}(?:\.[0-9]{1,4})?"  # fits DECIMAL(18, 4)
PLAIN_NUMBER = PLAIN_READING.pattern  # the fast path's own: in range by its shape
_FIELD = r'(?:"(?:[^"]|"")*"|[^",]*)'
WHOLE_RECORD = f"{_FIELD}(?:,{_FIELD})*"  # a line of whole fields, quoted or not
ISO_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"  # a date as the date parser reads it, and nothing else
GENEROUS_MEMORY = "1GB"

# Each physical line as one value (NUL never occurs: such files are refused before), numbered.
# One reading thread: DuckDB's parallel reader refused some large files of this shape, and the
# scan runs beside the plan's reading anyway; it also holds less memory, as do 4 MiB buffers (a
# line longer than 2 MiB is an error, and its file is read by Python, which refuses fields of
# more than 131,072 characters anyway).
_LINES = ("SELECT ordinality AS n, text AS t FROM read_csv($path, columns = {'text': 'VARCHAR'}, "
          "delim = '\\0', quote = '', escape = '', comment = '', skip = 0, header = false, auto_detect = false, "
          "new_line = '\\r\\n', compression = 'none', strict_mode = false, parallel = false, buffer_size = 4194304, "
          "max_line_size = 2097152) WITH ORDINALITY")


# Whether a group holds a line that makes its file Python's whole (see the module's docstring).
_BREAKS = "bool_or(length(t) > $limit OR (contains(t, '\"') AND NOT regexp_full_match(t, $record))) AS breaks"
_BREAKS_PARAMETERS = {"limit": CSV_FIELD_LIMIT, "record": WHOLE_RECORD}


def _left_to_python(cells: int, groups: str) -> str:
    """A scan's last row, after its groups (whose ``cells`` cells and figures it leaves null):
    the lines of ``groups`` the engine left to Python, and whether one of them breaks the file."""
    return (f"SELECT false, {', '.join(['NULL'] * cells)}, coalesce(sum(rows) FILTER (WHERE NOT vouched), 0), "
            f"coalesce(bool_or(breaks), false) FROM {groups}")


def identity_hash(values: Sequence[str]) -> int:
    """The hash of a row's identifying cells, the same in Python and in the engine's SQL."""
    import hashlib  # here: only copies across spend files (OPS706) need it, and it loads OpenSSL

    return int.from_bytes(hashlib.md5("\x00".join(values).encode("utf-8", "surrogatepass")).digest()[:8], "little")


@dataclass(frozen=True, slots=True)
class SpendLayout:
    """Where a spend file keeps its cells (0-based, as the header numbers them) and its width."""

    date: int
    department: int
    line: int
    amount: int
    currency: int | None
    width: int

    @classmethod
    def of(cls, columns: Mapping[str, int], width: int) -> SpendLayout:
        return cls(columns["date"], columns["department"], columns["line"], columns["amount"],
                   columns.get("currency"), width)

    @staticmethod
    def cell(index: int | None) -> str:
        """A cell of the line in SQL, or '' for a column the file does not have."""
        return "''" if index is None else f"coalesce(c[{index + 1}], '')"

    def stripped(self, index: int | None) -> str:
        """A cell as Python's strip() leaves it."""
        return f"regexp_replace({self.cell(index)}, $edge, '', 'g')"

    @property
    def needed(self) -> int:
        """Cells a row must have for the fast path to take it."""
        return max(self.date, self.department, self.line, self.amount,
                   -1 if self.currency is None else self.currency) + 1

    @property
    def figure(self) -> int:
        return self.amount

    pattern = PLAIN_AMOUNT

    def combo(self) -> str:
        """The cells a group is made of, as an SQL list."""
        return f"[{self.cell(self.date)}, {self.cell(self.department)}, {self.cell(self.line)}, {self.cell(self.currency)}]"


@dataclass(frozen=True, slots=True)
class ReadingsLayout:
    """Where a file of KPI readings keeps its cells, and its width."""

    date: int
    kpi: int
    value: int
    width: int

    @classmethod
    def of(cls, columns: Mapping[str, int], width: int) -> ReadingsLayout:
        return cls(columns["date"], columns["kpi"], columns["value"], width)

    cell = staticmethod(SpendLayout.cell)

    @property
    def needed(self) -> int:
        return max(self.date, self.kpi, self.value) + 1

    @property
    def figure(self) -> int:
        return self.value

    pattern = PLAIN_NUMBER

    def combo(self) -> str:
        return f"[{self.cell(self.date)}, {self.cell(self.kpi)}]"


Layout = SpendLayout | ReadingsLayout


class Scan:
    """A scan's groups, taken batch by batch as the reader resolves them (a ledger of the
    40,000-process benchmark has 480,000 of them: they are never all held as objects). The groups
    come a row for each department, line and currency of spend, or each KPI of readings: its
    cells as written, then one text joining the figures of each of its dates by commas (for spend
    the date, the amount as Python sums it, the first line and the rows; for readings the date,
    the last value and its line), then 0.
    ``others``, the lines the engine leaves to Python, is known once the groups are taken, and so
    is ``broken``: a line that makes the file Python's whole, found on the way (the reader then
    drops what it took)."""

    def __init__(self, cursor: Any, error: type[Exception], finished: Callable[[], None]) -> None:
        self.cursor, self.error, self.finished = cursor, error, finished
        self.others, self.broken = 0, False

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        try:
            while batch := self.cursor.fetchmany(8192):
                for row in batch:
                    if row[-1]:
                        self.broken = True
                        return
                    if row[0]:
                        yield row[1:-1]
                    else:
                        self.others += row[-2]
        except self.error:  # DuckDB gave up: Python reads the file
            self.broken = True
        finally:
            self.cursor.close()
            self.finished()


class LedgerEngine:
    """DuckDB for the spend files of a run. Scans run ahead in a background thread, in a
    database of their own that is closed as soon as they are done, so that its buffers are given
    back while the plan is still being read; the database that hands lines back and keeps the
    hashes of OPS706 opens only when one of them is needed. Both spill to a private temporary
    folder rather than grow past their memory limit."""

    # The benchmark's ledgers (2 and 10 million rows) and the readings of its 40,000-process plan
    # are read under 48 MB (not 32 MB); a scan that needs more runs again under GENEROUS_MEMORY.
    def __init__(self, memory_limit: str = "48MB") -> None:
        duckdb = duckdb_module()
        self.duckdb: Any = duckdb
        self.error: type[Exception] = duckdb.Error
        self.memory_limit = memory_limit
        self.folder = tempfile.mkdtemp(prefix="opsplan-ledger-")
        self._connection: Any = None
        self.ahead: dict[tuple[Path, Layout], Any] = {}  # the cursor holding each file's result
        self.planned: dict[tuple[Path, Layout], threading.Event] = {}
        self.worker: threading.Thread | None = None
        self.worker_connection: Any = None
        self.running: Any = None  # the worker's query under way
        self.parquet_cells: dict[Path, str] = {}  # a Parquet file's row as an SQL list of its cells' texts

    def _connect(self) -> Any:
        # One thread, as the csv scan reads: the scan of the benchmark's 2,000,000-row ledger as
        # Parquet held 120 MB with two and 71 MB with one, and was no faster beside the plan.
        connection = self.duckdb.connect(config={"memory_limit": self.memory_limit, "temp_directory": self.folder,
                                                 "preserve_insertion_order": True, "threads": 1,
                                                 "allocator_flush_threshold": "8MB"})
        connection.execute("SET enable_progress_bar = false")  # opsplan shows its own
        return connection

    @property
    def connection(self) -> Any:
        if self._connection is None:
            self._connection = self._connect()
            self._connection.execute("CREATE TABLE seen (f INTEGER, h UBIGINT)")
        return self._connection

    def start(self, files: Sequence[tuple[Path, Layout]]) -> None:
        """Scan these files in order in the background; ``scan`` waits for their results."""
        self.planned = {file: threading.Event() for file in files}
        self.worker_connection = self._connect()

        def work() -> None:
            # Only the queries run here, outside the interpreter's lock; their few rows are turned
            # into Python objects by the reader, so that this thread never slows the plan's reading.
            try:
                for file, done in self.planned.items():
                    self.running = self.worker_connection.cursor()
                    self.ahead[file] = self._run(self.running, *file)
                    done.set()  # its reader need not wait for the files after it
            finally:
                for done in self.planned.values():
                    done.set()

        self.worker = threading.Thread(target=work, name="opsplan-ledger", daemon=True)
        self.worker.start()

    def close(self) -> None:
        if self.worker is not None:
            if self.worker.is_alive():
                with contextlib.suppress(self.error):  # it may just have finished
                    self.running.interrupt()  # the plan failed: its actuals are not wanted
            self.worker.join()
            for cursor in self.ahead.values():
                if cursor is not None:
                    cursor.close()
            if self.worker_connection is not None:
                self.worker_connection.close()
        if self._connection is not None:
            self._connection.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _marked(self, path: Path, layout: Layout) -> str:
        """The lines of a file, each with its cells and whether the engine vouches for it."""
        lines = (f"lines AS ({_LINES}), "
                 "parts AS (SELECT n, t, CASE WHEN contains(t, '\"') THEN NULL ELSE string_split(t, ',') END AS c "
                 "FROM lines WHERE n > 1 AND t IS NOT NULL)")
        if is_parquet(path.name):  # its rows, with no text of their own; the row numbered 0 is line 2
            lines = (f"parts AS (SELECT file_row_number + 2 AS n, NULL::VARCHAR AS t, [{self.parquet_cells[path]}] AS c "
                     f"FROM {PARQUET_NUMBERED})")
        # Vouched for: a plain figure, and a date written YYYY-MM-DD, which holds no comma (a
        # group's figures come joined by commas) and makes distinct date texts distinct dates.
        return (f"WITH {lines}, "
                f"marked AS (SELECT n, t, c, coalesce(len(c) <= {layout.width} AND len(c) >= {layout.needed} "
                f"AND regexp_full_match(c[{layout.figure + 1}], $plain) "
                f"AND regexp_full_match(c[{layout.date + 1}], $iso), false) AS vouched FROM parts)")

    def _parameters(self, path: Path, layout: Layout) -> dict[str, str]:
        return {"path": literal_path(path), "plain": layout.pattern, "iso": ISO_DATE}

    def scan(self, path: Path, layout: Layout) -> Scan | None:
        """The vouched lines added up by their cells, and how many lines are left; None when the
        file must be read by Python as a whole (see the module's docstring)."""
        done = self.planned.get((path, layout))
        if done is None:  # not foreseen, or its header changed since
            return self._collect(self._run(self.connection.cursor(), path, layout), layout)
        done.wait()
        return self._collect(self.ahead.pop((path, layout), None), layout)

    def _run(self, cursor: Any, path: Path, layout: Layout) -> Any:
        """The scan's query run on ``cursor``, its result held there; None if DuckDB refused. A
        scan that needs more memory than the frugal limit (many more groups than the benchmark's
        ledgers) is run again once under a generous one rather than left to Python."""
        for attempt in range(2):
            try:
                if is_parquet(path.name) and path not in self.parquet_cells:
                    self.parquet_cells[path] = ", ".join(
                        parquet_text(at, kind) for at, kind in enumerate(parquet_types(cursor, literal_path(path)), 1))
                query, parameters = (self._readings_query if isinstance(layout, ReadingsLayout) else self._spend_query)(
                    path, layout)  # type: ignore[arg-type]
                return cursor.execute(query, parameters)
            except self.duckdb.OutOfMemoryException:
                if attempt == 0:
                    cursor.execute(f"SET memory_limit = '{GENEROUS_MEMORY}'")
            except self.error:
                break
        cursor.close()
        return None  # anything the engine cannot read, Python reads and explains

    def _collect(self, cursor: Any, layout: Layout) -> Scan | None:
        """The scan whose result ``cursor`` holds; None if DuckDB refused the file."""
        return None if cursor is None else Scan(cursor, self.error, self._scan_finished)

    def _scan_finished(self) -> None:
        """Once every scan run ahead has been taken, their database is closed: what it holds
        is given back before the report is built."""
        if self.worker is not None and not self.ahead and self.worker_connection is not None \
                and all(done.is_set() for done in self.planned.values()):
            # Every scan has run and been taken: the thread is only ending (it may not have yet,
            # when the last result was taken at once).
            self.worker.join()
            self.worker_connection.close()
            self.worker_connection = None

    def _spend_query(self, path: Path, layout: SpendLayout) -> tuple[str, dict[str, Any]]:
        amount = f"c[{layout.amount + 1}]"
        vouched = "CASE WHEN vouched THEN {} END"
        # Python's sum of amounts keeps as many decimals as the most precise of them, and is a
        # negative zero only when every amount was written with a minus: the text says the same.
        query = (self._marked(path, layout) +
                 f", grouped AS (SELECT vouched, {vouched.format(layout.cell(layout.date))} AS d, "
                 f"{vouched.format(layout.cell(layout.department))} AS dep, {vouched.format(layout.cell(layout.line))} AS l, "
                 f"{vouched.format(layout.cell(layout.currency))} AS cur, "
                 f"sum({vouched.format(f'CAST({amount} AS DECIMAL(18, 4))')}) AS total, "
                 f"max({vouched.format(f'CASE WHEN contains({amount}, $point) THEN length({amount}) - strpos({amount}, $point) ELSE 0 END')}) AS places, "
                 f"bool_and(starts_with({amount}, '-')) AS negative, min(n) AS first, count(*) AS rows, {_BREAKS} "
                 "FROM marked GROUP BY ALL), "
                 "written AS (SELECT vouched, d, dep, l, cur, CASE WHEN negative AND total = 0 THEN '-' ELSE '' END || "
                 "left(total::VARCHAR, length(total::VARCHAR) - (4 - places) - CASE WHEN places = 0 THEN 1 ELSE 0 END) "
                 "AS amount, first, rows, breaks FROM grouped) "
                 "SELECT true, dep, l, cur, string_agg(concat_ws(',', d, amount, first, rows), ','), 0, false "
                 f"FROM written WHERE vouched GROUP BY dep, l, cur UNION ALL {_left_to_python(4, 'written')}")
        return query, {**self._parameters(path, layout), **_BREAKS_PARAMETERS, "point": "."}

    def _readings_query(self, path: Path, layout: ReadingsLayout) -> tuple[str, dict[str, Any]]:
        """The vouched readings by their KPI cell, each with its dates, the value of the last line of
        each date (the row read last wins) and that line, as one text: date, value, line, date...
        joined by commas (which neither dates, plain values nor numbers hold). Python takes a row
        per KPI instead of a row per reading, and splits a text rather than converting lists (in no
        order: ordering them held more than the scan's memory). A last row, with no KPI, counts the
        lines left to Python and says whether one of them breaks the file."""
        value = f"c[{layout.value + 1}]"
        query = (self._marked(path, layout) +
                 f", grouped AS (SELECT vouched, CASE WHEN vouched THEN {layout.cell(layout.date)} END AS d, "
                 f"CASE WHEN vouched THEN {layout.cell(layout.kpi)} END AS k, arg_max({value}, n) AS v, max(n) AS last, "
                 f"count(*) AS rows, {_BREAKS} FROM marked GROUP BY ALL) "
                 "SELECT true, k, string_agg(concat_ws(',', d, v, last), ','), 0, false "
                 f"FROM grouped WHERE vouched GROUP BY k UNION ALL {_left_to_python(2, 'grouped')}")
        return query, {**self._parameters(path, layout), **_BREAKS_PARAMETERS}

    def leftovers(self, path: Path, layout: Layout, batch: int = 10_000) -> Iterator[tuple[int, str | None, list[str]]]:
        """The lines the engine did not vouch for or whose cells are in ``unresolved``, in order:
        the text of a CSV file's line, or a Parquet file's row as its cells (and no text)."""
        query = (self._marked(path, layout) + f" SELECT n, t, CASE WHEN t IS NULL THEN c END FROM marked WHERE NOT vouched OR "
                 f"{layout.combo()} IN (SELECT cells FROM unresolved) ORDER BY n")
        cursor = self.connection.cursor()
        try:
            cursor.execute(query, self._parameters(path, layout))
            while rows := cursor.fetchmany(batch):
                yield from rows
        finally:
            cursor.close()

    def set_unresolved(self, unresolved: Sequence[tuple[str, ...]]) -> None:
        """The cells of the groups that did not resolve: their lines are read by Python."""
        self.connection.execute("CREATE OR REPLACE TABLE unresolved AS SELECT unnest($cells::VARCHAR[][]) AS cells",
                                {"cells": [list(cells) for cells in unresolved]})

    def hash_vouched(self, path: Path, layout: SpendLayout) -> None:
        """Put the identity hash and line of each line taken from the scan into ``current``
        (the identity of spend: date, department, line, amount, currency)."""
        identity = ", ".join(layout.stripped(index) for index in (layout.date, layout.department, layout.line,
                                                                    layout.amount, layout.currency))
        self.connection.execute(
            self._marked(path, layout) + " INSERT INTO current SELECT md5_number_upper(concat_ws(chr(0), "
            f"{identity})), n FROM marked WHERE vouched AND {layout.combo()} NOT IN "
            "(SELECT cells FROM unresolved)", {**self._parameters(path, layout), "edge": EDGE_SPACE})

    def start_file(self) -> None:
        self.connection.execute("CREATE OR REPLACE TABLE current (h UBIGINT, n BIGINT)")

    def add_hashes(self, hashes: Sequence[int], lines: Sequence[int]) -> None:
        if hashes:
            self.connection.execute("INSERT INTO current SELECT unnest($h::UBIGINT[]), unnest($n::BIGINT[])",
                                    {"h": list(hashes), "n": list(lines)})

    def repeated(self) -> list[tuple[int, int, int]]:
        """For each earlier file holding rows of the current one first: its number, how many of
        the current rows it holds, and the first such line."""
        found: list[tuple[int, int, int]] = self.connection.execute(
            "SELECT s.f, count(*), min(c.n) FROM current c JOIN (SELECT h, min(f) AS f FROM seen GROUP BY h) s "
            "USING (h) GROUP BY s.f").fetchall()
        return found

    def keep(self, file: int) -> None:
        self.connection.execute("INSERT INTO seen SELECT DISTINCT $f, h FROM current", {"f": file})
