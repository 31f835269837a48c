"""Actuals as records: the kinds of actuals files, recognised by their header, and the
resolved rows a report reads (ids and plan-currency Decimals only)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from operator import attrgetter
from typing import TypeVar

ACTUALS_FOLDER = "actuals"
# Actuals files are CSV text, or Parquet (read through DuckDB), told apart by their suffix in any case.
CSV_SUFFIX, PARQUET_SUFFIX = ".csv", ".parquet"


def is_actuals_file(name: str) -> bool:
    return name.lower().endswith((CSV_SUFFIX, PARQUET_SUFFIX))


def is_parquet(name: str) -> bool:
    return name.lower().endswith(PARQUET_SUFFIX)


class ActualsKind(str, Enum):
    SPEND = "spend"
    READINGS = "kpi readings"
    HEADCOUNT = "headcount"
    HIRES = "hires"
    TRAINING = "training"
    PROGRESS = "progress"
    VOLUME = "volume"  # work handled by a process


# Files are recognised by these columns; checked in this order, so the most specific wins.
REQUIRED_COLUMNS: Mapping[ActualsKind, tuple[str, ...]] = {
    ActualsKind.SPEND: ("date", "department", "line", "amount"),
    ActualsKind.HIRES: ("date", "program", "role", "hired"),
    ActualsKind.TRAINING: ("date", "program", "completed"),
    ActualsKind.PROGRESS: ("date", "program", "percent_complete"),
    ActualsKind.VOLUME: ("date", "process", "volume"),
    ActualsKind.HEADCOUNT: ("date", "department", "headcount"),
    ActualsKind.READINGS: ("date", "kpi", "value"),
}
# The columns that make two rows the same figure: a copy with its columns reordered, or with
# another memo, still books every figure twice.
ROW_IDENTITY: Mapping[ActualsKind, tuple[str, ...]] = {
    **REQUIRED_COLUMNS, ActualsKind.SPEND: (*REQUIRED_COLUMNS[ActualsKind.SPEND], "currency")}


# The records below are never changed once read, but are not frozen: a frozen dataclass is
# built through object.__setattr__ field by field, which made building a record about seven
# times slower (a second for 200,000 readings with their origins). They hash like frozen ones.
@dataclass(slots=True, unsafe_hash=True)
class RowOrigin:
    """Where a row was read: file relative to the current folder's plan root, 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(slots=True, unsafe_hash=True)
class Spend:
    """Money spent on a budget line, converted into the plan currency."""

    date: date
    budget: str
    department: str
    line: str
    amount: Decimal  # plan currency
    origin: RowOrigin = field(compare=False)


@dataclass(slots=True, unsafe_hash=True)
class Reading:
    """A measured value of a KPI (``PROCESS.KPI``) or of a goal's own metric (goal id)."""

    date: date
    measure: str
    value: Decimal
    origin: RowOrigin = field(compare=False)


@dataclass(slots=True, unsafe_hash=True)
class HeadcountCount:
    """Filled positions of a department on a date (a snapshot, not a change)."""

    date: date
    department: str
    headcount: int
    origin: RowOrigin = field(compare=False)


@dataclass(slots=True, unsafe_hash=True)
class Hires:
    """People hired into a role of a hiring program in the period ending on ``date``."""

    date: date
    program: str
    role: str
    hired: int
    origin: RowOrigin = field(compare=False)


@dataclass(slots=True, unsafe_hash=True)
class Completions:
    """Participants who completed a training program in the period ending on ``date``."""

    date: date
    program: str
    completed: int
    origin: RowOrigin = field(compare=False)


@dataclass(slots=True, unsafe_hash=True)
class Progress:
    """How far a program's work is done on ``date``, in percent (a snapshot; the latest counts)."""

    date: date
    program: str
    percent_complete: Decimal
    origin: RowOrigin = field(compare=False)


@dataclass(slots=True, unsafe_hash=True)
class Volume:
    """Work a process handled in the calendar period (of its capacity) holding ``date``; rows of
    one period add up."""

    date: date
    process: str
    volume: Decimal
    origin: RowOrigin = field(compare=False)


@dataclass(frozen=True, slots=True)
class Actuals:
    """Every valid row of every actuals file, in file order then row order; spend added up by
    file, date and line, and one KPI reading per measure and date (the row read last), in the
    order of measure and date."""

    spend: tuple[Spend, ...] = ()
    readings: tuple[Reading, ...] = ()
    headcount: tuple[HeadcountCount, ...] = ()
    hires: tuple[Hires, ...] = ()
    completions: tuple[Completions, ...] = ()
    files: tuple[str, ...] = ()
    progress: tuple[Progress, ...] = ()
    volumes: tuple[Volume, ...] = ()
    # ``readings`` by measure, each in date order, as the loader held them before listing them:
    # a ledger's hundreds of thousands need not be grouped again. None: group them when needed.
    readings_by_measure: Mapping[str, tuple[Reading, ...]] | None = field(default=None, compare=False, repr=False)

    def until(self, as_of: date) -> Actuals:
        """Only the rows dated on or before ``as_of``: what was known that day."""
        readings = _until(self.readings, as_of)
        return Actuals(_until(self.spend, as_of), readings, _until(self.headcount, as_of),
                       _until(self.hires, as_of), _until(self.completions, as_of), self.files,
                       _until(self.progress, as_of), _until(self.volumes, as_of),
                       self.readings_by_measure if readings is self.readings else None)

    def latest_readings(self) -> dict[str, Reading]:
        """The latest reading of each measure; on the same date, the row read last wins."""
        return _latest(self.readings, lambda reading: reading.measure)

    def latest_headcount(self) -> dict[str, HeadcountCount]:
        """The latest headcount of each department; on the same date, the row read last wins."""
        return _latest(self.headcount, lambda count: count.department)

    def latest_progress(self) -> dict[str, Progress]:
        """The latest progress of each program; on the same date, the row read last wins."""
        return _latest(self.progress, lambda row: row.program)


_Dated = TypeVar("_Dated", Reading, HeadcountCount, Progress)


def _latest(rows: Iterable[_Dated], key: Callable[[_Dated], str]) -> dict[str, _Dated]:
    latest: dict[str, _Dated] = {}
    for row in rows:
        known = latest.get(key(row))
        if known is None or row.date >= known.date:
            latest[key(row)] = row
    return latest


def header_columns(header: Sequence[str]) -> dict[str, int]:
    """Each column's index by its name as recognised (trimmed, any case); a name written twice is
    OPS701, so the later index standing here does not matter."""
    return {cell.strip().lower(): index for index, cell in enumerate(header)}


def recognise(header: Sequence[str]) -> ActualsKind | None:
    columns = {name.strip().lower() for name in header}
    for kind, required in REQUIRED_COLUMNS.items():
        if columns.issuperset(required):
            return kind
    return None


Dated = TypeVar("Dated", Spend, Reading, HeadcountCount, Hires, Completions, Progress, Volume)


def _until(rows: tuple[Dated, ...], as_of: date) -> tuple[Dated, ...]:
    # Nothing later (a report as of today): the same rows, not a copy; the latest date is found
    # without a Python step per row, as a ledger has hundreds of thousands of them. A last row
    # dated later (a ledger in date order, read as of a past date) tells there is something to
    # leave out without looking further.
    if not rows or (rows[-1].date <= as_of and max(map(_date_of, rows)) <= as_of):
        return rows
    return tuple([row for row in rows if row.date <= as_of])


_date_of = attrgetter("date")
