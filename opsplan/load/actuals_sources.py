"""An actuals file opened as a stream of rows, CSV text through the csv module or Parquet through
DuckDB (``actuals_parquet``): the reader is given the header first, then each row's cells as
text, with ``line_num`` the line of the row just given (as csv.reader counts lines, and as a
Parquet row's line in the file exported to CSV), so that every rule reads any file's rows alike."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opsplan.diagnostics import Diagnostic, Location
from opsplan.load.actuals_parquet import ParquetFiles
from opsplan.load.actuals_records import is_parquet
from opsplan.load.actuals_rows import unreadable_file
from opsplan.load.actuals_text import scan_text
from opsplan.rules.codes import ACTUALS_FILE


@dataclass(frozen=True, slots=True)
class OpenedRows:
    """A file's rows; ``progress``, called now and then, tells how far they are read;
    ``ledger_path`` is the file the ledger engine may read instead (None: it may not, as it
    could number a CSV file's lines differently from the csv module)."""

    rows: Any  # csv.reader's interface: next() is the header, then the rows; line_num
    progress: Callable[[], None] | None
    ledger_path: Path | None


@contextmanager
def open_rows(name: str, path: Path, parquet: ParquetFiles,
              progress: Callable[[int], None] | None) -> Iterator[OpenedRows | Diagnostic]:
    """The rows of the file ``path`` (shown as ``name``; a Parquet file read through ``parquet``),
    or the finding that says why it cannot be read; ``progress``, when given, is told the bytes of
    it read so far."""
    if is_parquet(path.name):
        rows = parquet.open(name, path)
        if isinstance(rows, Diagnostic):
            yield rows
            return
        try:
            yield OpenedRows(rows, None if progress is None else lambda: progress(rows.bytes_read()), path)
        finally:
            rows.close()
        return
    # Two passes over the file, neither holding it whole: the first proves it is UTF-8 text,
    # so that a bad byte near the end leaves the whole file out, as it always has.
    try:
        scanned = scan_text(path)
    except OSError as error:
        yield unreadable_file(name, error)
        return
    problem = scanned.problem
    if problem is not None:
        at = Location(name) if problem.line is None else Location(name, problem.line)
        yield ACTUALS_FILE.finding(problem.message, at, problem.hint)
        return
    try:
        stream = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as error:
        yield unreadable_file(name, error)
        return
    with stream:
        # The bytes taken from the file, a buffer ahead of the rows read: near enough for a bar.
        handle = stream.fileno()
        yield OpenedRows(csv.reader(stream, strict=True),
                         None if progress is None else lambda: progress(os.lseek(handle, 0, os.SEEK_CUR)),
                         None if scanned.lone_carriage_return else path)

