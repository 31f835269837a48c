"""The actuals through the check cache (`opsplan check --cache`): what reading the CSV files of
actuals gives (the records, the files read and the findings) is kept whole, so that a re-check
after editing a plan file reads no CSV row at all.

An entry is found by a digest of everything the result depends on: the opsplan version and
schemas (the cache's own prefix), the fields of the records, the folder and the bound its files
must stay inside, each file's path and bytes, the links refused, what reads Parquet files when
there are any (:func:`parquet_reader`), and exactly the parts of the plan the reader consults
(:func:`consulted`). Editing a goal's title keeps the entry; renaming
a budget line, a cost centre or a KPI, or any byte of a CSV or Parquet file, makes a new one.

The result is kept whole, findings included, because the reader's duplicate-export check
(OPS706) compares rows by Python's salted ``hash()``, which is the same only within one run:
a new run gives an identical result only by taking the kept one.

Records are kept as columns (a table of the distinct dates and ids with an array of indexes,
Decimals as their exact text, row numbers as integer arrays) and made back into records only
when something asks for them: `check` uses the findings and the files, never the records.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import date
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsplan.diagnostics import Diagnostic
from opsplan.load import actuals as reader
from opsplan.load.actuals_records import (
    Actuals,
    Completions,
    HeadcountCount,
    Hires,
    Progress,
    Reading,
    RowOrigin,
    Spend,
    Volume,
    is_parquet,
)
from opsplan.load.source import is_inside
from opsplan.model import Plan

if TYPE_CHECKING:
    from opsplan.load.actuals import ActualsFiles
    from opsplan.load.cache import DocumentCache

# The records of each field of Actuals (every field but `files`).
RECORDS: dict[str, type] = {"spend": Spend, "readings": Reading, "headcount": HeadcountCount, "hires": Hires,
                            "completions": Completions, "progress": Progress, "volumes": Volume}
_CHUNK = 1 << 20
# Entries of actuals are large (about 30 bytes a row) and each change of a CSV file makes a new
# one: only the newest few are kept.
ENTRY_PREFIX = "actuals-"
KEPT_ENTRIES = 3

Column = tuple[str, Any]  # how a column is kept ("text", "table", "ints", "list") and its data


class KeptActuals:
    """Actuals taken from the cache: the files at once, the records made on first use (calling it)."""

    __slots__ = ("_columns", "_made", "files")

    def __init__(self, files: tuple[str, ...], columns: dict[str, list[Column]]) -> None:
        self.files = files
        self._columns = columns
        self._made: Actuals | None = None

    def __call__(self) -> Actuals:
        if self._made is None:
            made: dict[str, Any] = {name: tuple(_records(RECORDS[name], columns)) for name, columns in self._columns.items()}
            self._made = Actuals(files=self.files, **made)
            self._columns = {}
        return self._made


def read_actuals(cache: DocumentCache, folder: Path, plan: Plan, display: Path, *, boundary: Path,
                 progress: Callable[[int, int], None] | None = None, started: ActualsFiles | None = None,
                 ) -> tuple[Actuals | KeptActuals, list[Diagnostic]]:
    """:func:`opsplan.load.actuals.load_actuals` through ``cache``: the kept result when nothing it
    depends on changed, else the files read and their result kept for the next run. ``started``
    (the same folder listed ahead, its ledger engine perhaps at work) is used or closed."""
    bound = boundary.resolve()
    if started is not None:  # the same folder, listed before the plan was read: not walked again
        paths, refused = list(started.paths), list(started.refused)
    else:
        paths, refused = reader.actuals_files(folder, bound, Path(os.path.relpath(folder, display)).as_posix())
    hashed = _hashed_files(paths, display, bound) if paths and cache.key is not None and _layout_known() else None
    if hashed is None:
        return reader.load_actuals(folder, plan, display, boundary=boundary, progress=progress, started=started)
    names, listing = hashed
    digest = ENTRY_PREFIX + cache.digest("actuals", _layout(), consulted(plan), str(folder.resolve()), str(bound),
                                         repr(refused), parquet_reader(paths), *listing)
    kept = _entry(cache.get(digest))
    if kept is not None:
        if started is not None:
            started.close()  # the engine's scans are not needed
        return kept
    actuals, found = reader.load_actuals(folder, plan, display, boundary=boundary, progress=progress, started=started)
    # Kept only when the files read are the files hashed, unchanged since (hashed again after the
    # reading, a tenth of a second for 100 MB): only then is the result the digest's.
    if cache.writable and actuals.files == names and _hashed_files(paths, display, bound) == hashed:
        cache.put(digest, (actuals.files, found, {name: _columns(getattr(actuals, name)) for name in RECORDS}))
        if cache.writable:  # written: the oldest entries of actuals go
            cache.keep_newest(ENTRY_PREFIX, KEPT_ENTRIES, digest)
    return actuals, found


def consulted(plan: Plan) -> bytes:
    """A digest of exactly the parts of the plan the actuals reader consults: the currency and fx
    rates, departments with their cost centres, process, KPI and goal ids (with the KPI a goal is
    measured by), programs with their type and roles, budgets with their periods and lines, and
    the ids dropped for shape errors. What the reader consults and this must change together."""
    parts = (
        plan.currency,
        sorted((currency, str(rate)) for currency, rate in plan.settings.fx.items()),
        [(key, department.id, department.cost_center) for key, department in plan.departments.items()],
        list(plan.processes),
        list(plan.kpis),
        [(key, goal.measure.kpi) for key, goal in plan.goals.items()],
        [(key, program.type.value, [role.id for role in program.roles]) for key, program in plan.programs.items()],
        [(key, budget.start, budget.end, [(allocation.department, [(line.id, line.budget, line.department, line.account)
                                                                   for line in allocation.lines])
                                          for allocation in budget.departments])
         for key, budget in plan.budgets.items()],
        sorted((kind.value, sorted(ids)) for kind, ids in plan.invalid_ids.items()),
    )
    return hashlib.blake2b(repr(parts).encode()).digest()


def parquet_reader(paths: Sequence[Path]) -> str:
    """Which DuckDB reads the Parquet files among ``paths``, if any: without it each one is
    OPS701, and its version writes a DOUBLE's text and words a file it cannot read."""
    if not any(is_parquet(path.name) for path in paths):
        return ""
    from opsplan.load.actuals_duckdb import engine_available

    if not engine_available():
        return "no duckdb"
    import duckdb

    return f"duckdb {duckdb.__version__}"


def _hashed_files(paths: Sequence[Path], display: Path, bound: Path) -> tuple[tuple[str, ...], list[str]] | None:
    """The names of the files the reader will read, and each file's name, whether it stays
    inside the bound and the digest of its bytes; None when a file cannot be read (the reader
    says why)."""
    names: list[str] = []
    listing: list[str] = []
    for path in paths:
        name = Path(os.path.relpath(path, display)).as_posix()
        inside = is_inside(os.path.realpath(path), bound)
        hashed = hashlib.blake2b()
        if inside:
            names.append(name)
            try:
                with open(path, "rb") as stream:
                    while chunk := stream.read(_CHUNK):
                        hashed.update(chunk)
            except OSError:
                return None
        listing.append(f"{name}\0{inside}\0{hashed.hexdigest()}")
    return tuple(names), listing


def _layout() -> str:
    """The fields of Actuals and of its records: kept columns are made back in this order."""
    return repr([(name, kind.__name__, [field.name for field in fields(kind)]) for name, kind in RECORDS.items()])


def _layout_known() -> bool:
    """Whether every field of Actuals but `files` is a field of records this module keeps, or the
    readings grouped by measure, which are not kept: the report groups them again."""
    return {field.name for field in fields(Actuals)} == {*RECORDS, "files", "readings_by_measure"}


def _entry(kept: Any) -> tuple[KeptActuals, list[Diagnostic]] | None:
    """A kept entry in the shape it was put in, else None (a miss)."""
    if not (isinstance(kept, tuple) and len(kept) == 3):
        return None
    files, found, columns = kept
    if not (isinstance(files, tuple) and isinstance(found, list) and isinstance(columns, dict)
            and set(columns) == set(RECORDS)
            and all(len(columns[name]) in (0, len(fields(kind)) + 1) for name, kind in RECORDS.items())):
        return None
    return KeptActuals(files, columns), found


def _columns(records: Sequence[Any]) -> list[Column]:
    """A record type's columns, one a field and the origin as two (its file and its line)."""
    if not records:
        return []
    names = [field.name for field in fields(records[0]) if field.name != "origin"]
    origins = list(map(attrgetter("origin"), records))
    columns = [_column(list(map(attrgetter(name), records))) for name in names]
    return [*columns, _column(list(map(attrgetter("file"), origins))), _column(list(map(attrgetter("line"), origins)))]


def _column(values: list[Any]) -> Column:
    """One column in its most compact exact form."""
    kinds = set(map(type, values))
    if kinds == {Decimal}:
        return "text", "\n".join(map(str, values))  # str() of a Decimal reads back identical
    if kinds == {int}:
        try:
            return "ints", array("q", values)
        except OverflowError:
            return "list", values
    if kinds <= {str, date, type(None)}:  # exact types: a date and an equal datetime are not merged
        table = list(dict.fromkeys(values))
        index = {value: at for at, value in enumerate(table)}
        return "table", (table, array("I", map(index.__getitem__, values)))
    return "list", values


def _unpacked(column: Column) -> list[Any]:
    how, data = column
    if how == "text":
        return list(map(Decimal, data.split("\n")))
    if how == "table":
        table, indexes = data
        return list(map(table.__getitem__, indexes))
    return list(data)


def _records(kind: type, columns: list[Column]) -> list[Any]:
    if not columns:
        return []
    values = [_unpacked(column) for column in columns]
    origins = map(RowOrigin, values[-2], values[-1])
    return list(map(kind, *values[:-2], origins))
