"""A spend file read through the ledger engine (``actuals_engine``): the groups it vouched for
are resolved once each and added up, and every other line goes to the reader's own row taker,
in order and with its number, as if the csv module had read it."""

from __future__ import annotations

import csv
from array import array
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from opsplan.diagnostics import Diagnostic
from opsplan.load.actuals_copies import copied_finding
from opsplan.load.actuals_engine import LedgerEngine, ReadingsLayout, SpendLayout, identity_hash
from opsplan.load.actuals_fastspend import SpendResolver
from opsplan.load.actuals_records import Reading, RowOrigin
from opsplan.load.actuals_rows import parse_date
from opsplan.load.actuals_totals import SpendTotals

TakeRow = Callable[[Sequence[str], int], None]
# Readings written alike share one Decimal, up to this many distinct texts a file.
SHARED_VALUES = 1 << 16


class LedgerCopies:
    """OPS706 among spend files while the engine is on: the rows' hashes are kept in DuckDB, the
    engine hashes the lines it vouched for and Python the rest (``CopyFinder``'s interface)."""

    def __init__(self, engine: LedgerEngine, earlier: list[str], columns: Mapping[str, int],
                 identity: Sequence[str], *, keep: bool) -> None:
        self.engine, self.earlier, self.keep = engine, earlier, keep
        self.track = keep or bool(earlier)
        self.indexes = [columns.get(column) for column in identity]
        self.rows = 0
        self.hashes: array[int] = array("Q")
        self.lines: array[int] = array("q")
        if self.track:
            engine.start_file()

    def add(self, cells: Sequence[str], line: int) -> None:
        self.rows += 1
        if self.track:
            size = len(cells)
            self.hashes.append(identity_hash([cells[index].strip() if index is not None and index < size else ""
                                              for index in self.indexes]))
            self.lines.append(line)

    def add_vouched(self, path: Path, layout: SpendLayout, rows: int) -> None:
        """The lines the engine vouched for and the plan resolved, hashed where they lie."""
        self.rows += rows
        if self.track and rows:
            self.engine.hash_vouched(path, layout)

    def finish(self, name: str) -> Diagnostic | None:
        if not self.track:
            return None
        self.engine.add_hashes(self.hashes, self.lines)
        repeated = [(self.earlier[file], count, line) for file, count, line in self.engine.repeated()] \
            if self.earlier else []
        if self.keep:
            self.engine.keep(len(self.earlier))
        self.earlier.append(name)
        return copied_finding(name, self.rows, repeated)


def read_ledger(engine: LedgerEngine, name: str, path: Path, layout: SpendLayout, resolver: SpendResolver,
                totals: SpendTotals, copies: LedgerCopies, take: TakeRow, room: int) -> bool:
    """Read one spend file through the engine; False, having read nothing, when the engine
    leaves the file to Python (or would hold more than ``room`` records)."""
    scan = engine.scan(path, layout)
    if scan is None:
        return False
    vouched_totals, vouched = SpendTotals(), 0
    unresolved: list[tuple[str, str, str, str]] = []  # groups handed back: date, department, line, currency
    add = vouched_totals.add_group
    place, key_on = resolver.place, resolver.key_on
    for department, line, currency, joined, _ in scan:
        cells = joined.split(",")  # date, amount, first line, rows; date, amount...
        found = place(department, line, currency)  # once for all the dates of the group
        if found is None:
            unresolved.extend((date_cell, department, line, currency) for date_cell in cells[::4])
            continue
        figures = iter(cells)
        for date_cell, amount, first, rows in zip(figures, figures, figures, figures, strict=True):
            key = key_on(date_cell, found)
            if key is None:
                unresolved.append((date_cell, department, line, currency))
            else:
                add(key, Decimal(amount), name, int(first))
                vouched += int(rows)
    if scan.broken or len(vouched_totals) > room:
        return False  # what was taken is dropped: Python reads the file whole
    if scan.others or unresolved or copies.track:  # a second look at the file is needed
        engine.set_unresolved(unresolved)
    if scan.others or unresolved:
        _hand_back(engine, path, layout, take)
    totals.absorb(vouched_totals)
    copies.add_vouched(path, layout, vouched)
    return True


def read_readings(engine: LedgerEngine, name: str, path: Path, layout: ReadingsLayout, measures: Mapping[str, str],
                  readings: dict[str, dict[date, Reading]], take: TakeRow, room: int) -> bool:
    """Read one file of KPI readings through the engine, as ``read_ledger`` does spend: of the
    readings of one measure and date, whether the engine vouched for them or Python read them,
    the one on the last line wins. Only a file no other file of readings is compared with
    (OPS706) comes here, so ``readings`` holds only what Python reads of this file."""
    scan = engine.scan(path, layout)
    if scan is None:
        return False
    vouched: dict[str, dict[date, Reading]] = {}
    unresolved: list[tuple[str, str]] = []
    values: dict[str, Decimal] = {}  # readings written alike share one Decimal: a tenth of the memory
    dates: dict[str, date | None] = {}  # a file's readings fall on few dates: each text is read once
    for written_kpi, joined, _ in scan:
        cells = iter(joined.split(","))  # date, value, last line; date, value...
        measure = measures.get(written_kpi.strip())
        if measure is None:
            unresolved.extend((written_date, written_kpi) for written_date, _, _ in zip(cells, cells, cells, strict=True))
            continue
        of_measure: dict[date, Reading] = {}
        for written_date, value, last in zip(cells, cells, cells, strict=True):
            when = dates.get(written_date)
            if when is None and written_date not in dates:
                when = dates[written_date] = parse_date(written_date)
            if when is None:
                unresolved.append((written_date, written_kpi))
                continue
            number = values.get(value)
            if number is None:
                number = Decimal(value)
                if len(values) < SHARED_VALUES:
                    values[value] = number
            # The engine vouched for dates written as they are read: distinct texts, distinct dates.
            of_measure[when] = Reading(when, measure, number, RowOrigin(name, int(last)))
        if measure not in vouched:
            vouched[measure] = of_measure
        else:  # a KPI written with spaces around it too: the reading on the later line wins
            for reading in of_measure.values():
                _keep_later(vouched, reading)
    if scan.broken or sum(map(len, vouched.values())) > room:
        return False
    if scan.others or unresolved:
        engine.set_unresolved(unresolved)
        _hand_back(engine, path, layout, take)
    for of_measure in readings.values():
        for reading in of_measure.values():
            _keep_later(vouched, reading)
    readings.clear()
    readings.update((measure, of_measure) for measure, of_measure in vouched.items() if of_measure)
    return True


def _hand_back(engine: LedgerEngine, path: Path, layout: SpendLayout | ReadingsLayout, take: TakeRow) -> None:
    """The lines the engine left (not vouched for, or in groups that did not resolve) to the csv
    path's row taker, in order, each read as the csv module reads it (a Parquet row as its cells)."""
    for number, text, cells in engine.leftovers(path, layout):
        take(cells if text is None else next(csv.reader([text], strict=True)), number)


def _keep_later(readings: dict[str, dict[date, Reading]], reading: Reading) -> None:
    of_measure = readings.get(reading.measure)
    if of_measure is None:
        readings[reading.measure] = {reading.date: reading}
        return
    known = of_measure.get(reading.date)
    if known is None or known.origin.line < reading.origin.line:
        of_measure[reading.date] = reading
