"""Actuals: the measured figures of section 9, read from CSV (or Parquet) files recognised by
their header (a Parquet file's column names).

Every row is resolved against the plan (cost centres to departments, accounts to budget lines,
other currencies to the plan's through its fx rates) so that reports only ever see ids and
plan-currency Decimals. A bad row is a finding with its file and line; the rest of the file
is still used.
"""

from __future__ import annotations

import csv
import itertools
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from opsplan.diagnostics import Diagnostic, Location
from opsplan.load.actuals_parquet import ParquetFiles
from opsplan.load.actuals_reader import RowReader
from opsplan.load.actuals_records import (
    ACTUALS_FOLDER,
    Actuals,
    ActualsKind,
    Completions,
    HeadcountCount,
    Hires,
    Progress,
    Reading,
    RowOrigin,
    Spend,
    Volume,
    header_columns,
    is_actuals_file,
    is_parquet,
    recognise,
)
from opsplan.model import Plan
from opsplan.rules.codes import (
    UNREADABLE_PATH,
)

if TYPE_CHECKING:
    from opsplan.load.actuals_engine import LedgerEngine

Engine = Literal["auto", "duckdb", "python"]
# Spend and readings files of a run holding this many bytes together (about 400,000 rows) are
# read by the ledger engine, when DuckDB is installed; below it, starting DuckDB costs more than
# it saves. A Parquet file, compressed, counts as the bytes of its rows in CSV.
ENGINE_MIN_BYTES = 16 << 20
CSV_ROW_BYTES = 42
ENGINE_KINDS = (ActualsKind.SPEND, ActualsKind.READINGS)

__all__ = ["ACTUALS_FOLDER", "Actuals", "ActualsKind", "Completions", "HeadcountCount", "Hires", "Progress", "Reading",
           "RowOrigin", "Spend", "Volume", "actuals_files", "load_actuals", "recognise"]


def actuals_files(folder: Path, boundary: Path, shown_as: str) -> tuple[list[Path], list[Diagnostic]]:
    """The CSV and Parquet files of an actuals folder, recursively, in sorted path order, hidden
    ones skipped; and a finding for each link whose real path leaves ``boundary`` (the folder
    itself too) and each folder that cannot be read. ``shown_as`` is how findings name the folder."""
    from opsplan.load.source import is_inside, walk_files

    if os.path.islink(folder) and not is_inside(os.path.realpath(folder), boundary):
        return [], [UNREADABLE_PATH.finding(f"`{shown_as}` is a link to a place outside the plan; it is not read", Location(shown_as),
            hint="put the files themselves in the plan, or link to a place inside the plan's folder")]
    if not folder.is_dir():
        return [], []
    found, refused = walk_files(folder, boundary, is_actuals_file, shown_as=shown_as)
    return [folder / name for name in found], refused


class ActualsFiles:
    """The files of an actuals folder, listed and told apart by their headers before the plan is
    read, so that the ledger engine (when the spend files are big enough for it) can add them up
    in the background meanwhile. ``close()`` when done, read or not."""

    def __init__(self, folder: Path, display: Path | None = None, *, boundary: Path | None = None,
                 fast: bool = True, engine: Engine = "auto") -> None:
        self.base = display if display is not None else folder
        self.bound = (boundary or self.base).resolve()
        self.paths, self.refused = actuals_files(folder, self.bound, Path(os.path.relpath(folder, self.base)).as_posix())
        self.parquet = ParquetFiles()
        self.headers = {path: self.parquet.header(path) if is_parquet(path.name) else peek_header(path)
                        for path in self.paths}
        self.kinds = {path: recognise(header) if header else None for path, header in self.headers.items()}
        bulky = [path for path, kind in self.kinds.items() if kind in ENGINE_KINDS]
        self.ledger = _ledger_engine(engine if fast else "python", bulky, sum(
            self.parquet.rows.get(path, 0) * CSV_ROW_BYTES if is_parquet(path.name) else _size(path) for path in bulky),
            self.parquet.opened)
        if self.ledger is not None:
            from opsplan.load.actuals_engine import ReadingsLayout, SpendLayout

            self.ledger.start([(path, (SpendLayout if self.kinds[path] is ActualsKind.SPEND else ReadingsLayout).of(
                header_columns(self.headers[path] or ()), len(self.headers[path] or ()))) for path in bulky])

    def close(self) -> None:
        if self.ledger is not None and self.ledger is not self.parquet.opened:
            self.ledger.close()
        self.ledger = None
        self.parquet.close()


def load_actuals(folder: Path, plan: Plan, display: Path | None = None, *, boundary: Path | None = None,
                 fast: bool = True, progress: Callable[[int, int], None] | None = None,
                 engine: Engine = "auto", started: ActualsFiles | None = None) -> tuple[Actuals, list[Diagnostic]]:
    """Read every CSV file under ``folder``; ``display`` is the folder the reported paths are
    relative to (the plan root for ``actuals/``); files whose real path leaves ``boundary``
    (default: ``display``) are reported, not read. ``fast=False`` reads every row the careful
    way, as a reference for the fast path. ``progress`` is told the bytes read so far and the
    bytes of all the files, now and then. ``engine`` chooses who adds up spend files: DuckDB
    when they hold ENGINE_MIN_BYTES or more and it is installed ("auto"), always ("duckdb"), or
    never ("python"). ``started``: the same folder's files, listed before the plan was read
    (it is closed here)."""
    files = started if started is not None else ActualsFiles(folder, display, boundary=boundary, fast=fast, engine=engine)
    try:
        reader = RowReader(plan, fast, files.ledger, Counter(files.kinds.values()))
        return _read_all(reader, files, progress)
    finally:
        files.close()


def _ledger_engine(engine: Engine, spend_files: list[Path], size: int,
                   opened: LedgerEngine | None) -> LedgerEngine | None:
    """The engine for these files, of ``size`` bytes as CSV, if it is worth starting: the one
    ``opened`` to read Parquet files if there is one (a database fewer), else a new one."""
    if engine == "python" or not spend_files:
        return None
    if engine == "auto" and size < ENGINE_MIN_BYTES:
        return None
    from opsplan.load.actuals_duckdb import engine_available
    from opsplan.load.actuals_engine import LedgerEngine

    if opened is not None:
        return opened
    return LedgerEngine() if engine == "duckdb" or engine_available() else None


def peek_header(path: Path) -> list[str] | None:
    """A file's header, read ahead of the file; None if it cannot be read."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            return next(csv.reader(stream), None)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def _read_all(reader: RowReader, listed: ActualsFiles,
              progress: Callable[[int, int], None] | None) -> tuple[Actuals, list[Diagnostic]]:
    from opsplan.load.source import is_inside

    paths, refused, base, bound = listed.paths, listed.refused, listed.base, listed.bound
    files: list[str] = []

    total = _total_bytes(paths) if progress is not None else 0
    before = 0  # bytes of the files already read
    for path in paths:
        name = Path(os.path.relpath(path, base)).as_posix()
        if not is_inside(os.path.realpath(path), bound):  # became a link out since it was listed
            refused.append(UNREADABLE_PATH.finding(f"`{name}` is a link to a place outside the plan; it is not read",
                                           Location(name)))
            continue
        files.append(name)
        if progress is None:
            reader.read_file(name, path, listed.parquet)
            continue
        reader.read_file(name, path, listed.parquet, _within(progress, before, total))
        before = min(before + _size(path), total)
        progress(before, total)
    by_measure = reader.readings_by_measure()
    actuals = Actuals(tuple(reader.spend), tuple(itertools.chain.from_iterable(by_measure.values())),
                      tuple(reader.headcount), tuple(reader.hires), tuple(reader.completions), tuple(files),
                      tuple(reader.progress), tuple(reader.volumes), by_measure)
    return actuals, [*refused, *reader.diagnostics]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reported when the file is read
        return 0


def _within(progress: Callable[[int, int], None], before: int, total: int) -> Callable[[int], None]:
    """Progress through one file, told as progress through them all."""
    return lambda done: progress(min(before + done, total), total)


def _total_bytes(paths: list[Path]) -> int:
    return sum(_size(path) for path in paths)
