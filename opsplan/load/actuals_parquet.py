"""Parquet files of actuals, read through DuckDB: each row's values as the text a CSV export of
the file would hold, for the same row taker as the rows of a CSV file, so that every rule, word
and location is the same. A row's line is the line it would have in that export (the column
names are line 1, the first row line 2).

A value is given as its exact text: a DECIMAL with its scale (`12.50`), a DOUBLE or FLOAT as
DuckDB's shortest text (`0.1`), a DATE as `YYYY-MM-DD`, a timestamp at midnight as its date and
any other timestamp as it is written (then a bad date, as in a CSV file), a timestamp with a time
zone in UTC (a date must not depend on the zone of the machine reading it), a BLOB as its UTF-8
text, a NULL as an empty cell. A list, struct or map is no single value: such a column is OPS701
when the kind of the file reads it, and is ignored, as any extra column is, when it does not.

A big file of spend or readings is added up by the ledger engine instead (``actuals_engine``),
which takes the same text of each value from ``parquet_text``."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsplan.diagnostics import Diagnostic, Location
from opsplan.load.actuals_records import ROW_IDENTITY, header_columns, recognise
from opsplan.load.actuals_rows import Row, excerpt, unreadable_file
from opsplan.rules.codes import ACTUALS_FILE

if TYPE_CHECKING:
    from opsplan.load.actuals_engine import LedgerEngine

BATCH_ROWS = 8192  # rows taken from DuckDB at a time: the file is never held whole
NESTED_TYPES = frozenset({"list", "array", "struct", "map", "union"})
_ERROR_KIND = re.compile(r"^[A-Z][A-Za-z ]* Error: ")
UNREADABLE_HINT = "check that it is a whole, unencrypted Parquet file, or export it as CSV"


class UnreadableRows(Exception):
    """Reading stopped part-way through a file; ``finding`` says where and why."""

    def __init__(self, finding: Diagnostic) -> None:
        super().__init__(finding.message)
        self.finding = finding


class ParquetRows:
    """csv.reader's interface over a Parquet file: ``next()`` is the column names, iterating
    gives each row's values as text, and ``line_num`` is the line of the row just given. The
    rows are asked of DuckDB only once the header has been read, so that a file the ledger
    engine reads instead is not read twice."""

    def __init__(self, engine: LedgerEngine, name: str, path: str, header: list[str], query: str,
                 rows: int, size: int) -> None:
        self.engine, self.name, self.path, self.header, self.query = engine, name, path, header, query
        self.rows, self.size = rows, size
        self.cursor = engine.connection.cursor()
        self.line_num = 0
        self._taken = self._read()

    def __iter__(self) -> Iterator[Sequence[str]]:
        return self._taken

    def __next__(self) -> Sequence[str]:
        return next(self._taken)

    def bytes_read(self) -> int:
        """The file's bytes in proportion to the rows read: near enough for a progress bar."""
        return self.size * self.line_num // (self.rows + 1)

    def close(self) -> None:
        self.cursor.close()

    def _read(self) -> Iterator[Sequence[str]]:
        self.line_num = 1
        yield self.header
        fetch = self.cursor.fetchmany
        try:
            self.cursor.execute(self.query, {"path": self.path})
            while batch := fetch(BATCH_ROWS):
                for cells in batch:
                    self.line_num += 1
                    yield cells
        except self.engine.error as error:  # a damaged page: the rows before it are read
            raise UnreadableRows(ACTUALS_FILE.finding(
                f"cannot read the Parquet file beyond line {self.line_num}: {_reason(error, self.path)}",
                Location(self.name, self.line_num + 1), UNREADABLE_HINT)) from None


class ParquetFiles:
    """The DuckDB database the Parquet files of a run are read through: a ledger engine (its
    configuration, memory limit and folder to spill to), opened for the first Parquet file, that
    is the run's ledger engine too when one is needed, and closed with the files; none when
    DuckDB is not installed."""

    def __init__(self) -> None:
        self._engine: LedgerEngine | None = None
        self._looked = False
        self.rows: dict[Path, int] = {}  # the rows of each file whose header was read ahead

    def engine(self) -> LedgerEngine | None:
        if not self._looked:
            self._looked = True
            from opsplan.load.actuals_duckdb import engine_available
            from opsplan.load.actuals_engine import LedgerEngine

            self._engine = LedgerEngine() if engine_available() else None
        return self._engine

    @property
    def opened(self) -> LedgerEngine | None:
        """The database, if a Parquet file has opened it."""
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    def header(self, path: Path) -> list[str] | None:
        """A file's column names, read ahead of the file (its rows counted too); None if it
        cannot be read."""
        engine = self.engine()
        if engine is None:
            return None
        from opsplan.load.actuals_duckdb import literal_path

        literal, cursor = literal_path(path), engine.connection.cursor()
        try:
            self.rows[path] = _row_count(cursor, literal)
            return _column_names(cursor, literal)
        except engine.error:
            return None
        finally:
            cursor.close()

    def open(self, name: str, path: Path) -> ParquetRows | Diagnostic:
        """The rows of the file ``path`` (shown as ``name``), or the finding that says why it
        cannot be read."""
        engine = self.engine()
        if engine is None:
            return ACTUALS_FILE.finding("a Parquet file is read with DuckDB, which is not installed here", Location(name),
                                        "install it (`pip install duckdb`), or export the file as CSV")
        from opsplan.load.actuals_duckdb import (
            PARQUET_SCAN,
            literal_path,
            parquet_text,
            parquet_types,
        )

        literal = literal_path(path)
        cursor = engine.connection.cursor()
        try:
            header, types = _column_names(cursor, literal), parquet_types(cursor, literal)
            # DuckDB reads one column for each column of the schema, lists and structs included.
            refused = _nested_column(name, header, types) if len(types) == len(header) else ACTUALS_FILE.finding(
                "cannot read the Parquet file: its columns do not match its schema", Location(name), UNREADABLE_HINT)
            if refused is not None:
                return refused
            query = f"SELECT {', '.join(parquet_text(at, kind) for at, kind in enumerate(types, 1))} FROM {PARQUET_SCAN}"
            rows = self.rows.get(path)  # counted when the header was read ahead
            return ParquetRows(engine, name, literal, header, query,
                               _row_count(cursor, literal) if rows is None else rows, path.stat().st_size)
        except engine.error as error:
            return ACTUALS_FILE.finding(f"cannot read the Parquet file: {_reason(error, literal)}", Location(name),
                                        UNREADABLE_HINT)
        except OSError as error:
            return unreadable_file(name, error)
        finally:
            cursor.close()


def _row_count(cursor: Any, path: str) -> int:
    count: int = cursor.execute("SELECT num_rows FROM parquet_file_metadata($path)", {"path": path}).fetchone()[0]
    return count


def _column_names(cursor: Any, path: str) -> list[str]:
    """The names of the file's columns as written in it. DuckDB's own names would make a name
    written twice (in any case) unique, where a CSV header's repeated column is OPS701."""
    schema = cursor.execute("SELECT name, num_children FROM parquet_schema($path)", {"path": path}).fetchall()
    names: list[str] = []
    if not schema:
        return names
    at = 1  # the schema is a tree written depth first: its root, then each column and what it holds
    for _ in range(schema[0][1] or 0):
        names.append(schema[at][0] or "")
        below = schema[at][1] or 0
        at += 1
        while below:
            below += (schema[at][1] or 0) - 1
            at += 1
    return names


def _nested_column(name: str, header: list[str], types: Sequence[str]) -> Diagnostic | None:
    """OPS701 for the first column the file's kind reads that holds lists, structs or maps."""
    kind = recognise(header)
    if kind is None:
        return None  # the reader says the header matches no kind
    for column, type_id in zip(header, types, strict=True):
        if type_id in NESTED_TYPES and column.strip().lower() in ROW_IDENTITY[kind]:
            at = Row(header_columns(header), header).column(column.strip().lower())
            return ACTUALS_FILE.finding(f"column `{excerpt(column.strip())}` holds a {type_id} in each row, not one value",
                                        Location(name, 1, at), "flatten the column to one value a row, or export the file as CSV")
    return None


def _reason(error: Exception, path: str) -> str:
    """DuckDB's words for a failure: its first line, without the file's path (the finding names
    the file) or the kind of error, quoted as the content of a file is (it may echo its bytes)."""
    words = str(error).split("\n", 1)[0]
    for quote in "'\"":
        words = words.replace(f" {quote}{path}{quote}", "")
    return excerpt(_ERROR_KIND.sub("", words.replace(path, "the file")).strip())
