"""Actuals: the measured figures of section 9, read from CSV files recognised by their header.

Every row is resolved against the plan (cost centres to departments, accounts to budget lines,
other currencies to the plan's through its fx rates) so that reports only ever see ids and
plan-currency Decimals. A bad row is a finding with its file and line; the rest of the file
is still used.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from opsplan.diagnostics import Diagnostic, Location, Suggestions, did_you_mean
from opsplan.load.source import MAX_DECIMAL_PLACES, number_in_range
from opsplan.model import BudgetLine, Kind, Plan

ACTUALS_FOLDER = "actuals"
MAX_ACTUALS_BYTES = 50_000_000
# A file repeats another when at least this share of its rows are rows of that file (OPS706).
COPIED_SHARE = Decimal("0.5")


class ActualsKind(str, Enum):
    SPEND = "spend"
    READINGS = "kpi readings"
    HEADCOUNT = "headcount"
    HIRES = "hires"
    TRAINING = "training"
    VOLUME = "volume"  # format 1.1: work handled by a process


# Files are recognised by these columns; checked in this order, so the most specific wins.
REQUIRED_COLUMNS: Mapping[ActualsKind, tuple[str, ...]] = {
    ActualsKind.SPEND: ("date", "department", "line", "amount"),
    ActualsKind.HIRES: ("date", "program", "role", "hired"),
    ActualsKind.TRAINING: ("date", "program", "completed"),
    ActualsKind.HEADCOUNT: ("date", "department", "headcount"),
    ActualsKind.VOLUME: ("date", "process", "volume"),
    ActualsKind.READINGS: ("date", "kpi", "value"),
}
# The columns that make two rows the same figure: a copy with its columns reordered, or with
# another memo, still books every figure twice.
ROW_IDENTITY: Mapping[ActualsKind, tuple[str, ...]] = {
    **REQUIRED_COLUMNS, ActualsKind.SPEND: (*REQUIRED_COLUMNS[ActualsKind.SPEND], "currency")}


@dataclass(frozen=True, slots=True)
class RowOrigin:
    """Where a row was read: file relative to the current folder's plan root, 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Spend:
    """Money spent on a budget line, converted into the plan currency."""

    date: date
    budget: str
    department: str
    line: str
    amount: Decimal  # plan currency
    origin: RowOrigin = field(compare=False)


@dataclass(frozen=True, slots=True)
class Reading:
    """A measured value of a KPI (``PROCESS.KPI``) or of a goal's own metric (goal id)."""

    date: date
    measure: str
    value: Decimal
    origin: RowOrigin = field(compare=False)


@dataclass(frozen=True, slots=True)
class HeadcountCount:
    """Filled positions of a department on a date (a snapshot, not a change)."""

    date: date
    department: str
    headcount: int
    origin: RowOrigin = field(compare=False)


@dataclass(frozen=True, slots=True)
class Hires:
    """People hired into a role of a hiring program in the period ending on ``date``."""

    date: date
    program: str
    role: str
    hired: int
    origin: RowOrigin = field(compare=False)


@dataclass(frozen=True, slots=True)
class Completions:
    """Participants who completed a training program in the period ending on ``date``."""

    date: date
    program: str
    completed: int
    origin: RowOrigin = field(compare=False)


@dataclass(frozen=True, slots=True)
class Volume:
    """Work a process handled in the calendar period (of its capacity) holding ``date``; rows of
    one period add up."""

    date: date
    process: str
    volume: Decimal
    origin: RowOrigin = field(compare=False)


@dataclass(frozen=True, slots=True)
class Actuals:
    """Every valid row of every actuals file, in file order then row order."""

    spend: tuple[Spend, ...] = ()
    readings: tuple[Reading, ...] = ()
    headcount: tuple[HeadcountCount, ...] = ()
    hires: tuple[Hires, ...] = ()
    completions: tuple[Completions, ...] = ()
    files: tuple[str, ...] = ()
    volumes: tuple[Volume, ...] = ()

    def until(self, as_of: date) -> Actuals:
        """Only the rows dated on or before ``as_of``: what was known that day."""
        return Actuals(
            tuple(row for row in self.spend if row.date <= as_of),
            tuple(row for row in self.readings if row.date <= as_of),
            tuple(row for row in self.headcount if row.date <= as_of),
            tuple(row for row in self.hires if row.date <= as_of),
            tuple(row for row in self.completions if row.date <= as_of),
            self.files,
            tuple(row for row in self.volumes if row.date <= as_of),
        )

    def latest_readings(self) -> dict[str, Reading]:
        """The latest reading of each measure; on the same date, the row read last wins."""
        return _latest(self.readings, lambda reading: reading.measure)

    def latest_headcount(self) -> dict[str, HeadcountCount]:
        """The latest headcount of each department; on the same date, the row read last wins."""
        return _latest(self.headcount, lambda count: count.department)


_Dated = TypeVar("_Dated", Reading, HeadcountCount)


def _latest(rows: Iterable[_Dated], key: Callable[[_Dated], str]) -> dict[str, _Dated]:
    latest: dict[str, _Dated] = {}
    for row in rows:
        known = latest.get(key(row))
        if known is None or row.date >= known.date:
            latest[key(row)] = row
    return latest


def recognise(header: Sequence[str]) -> ActualsKind | None:
    columns = {name.strip().lower() for name in header}
    for kind, required in REQUIRED_COLUMNS.items():
        if columns.issuperset(required):
            return kind
    return None


def actuals_files(folder: Path, boundary: Path, shown_as: str) -> tuple[list[Path], list[Diagnostic]]:
    """The CSV files of an actuals folder, recursively, in sorted path order, hidden ones skipped;
    and a finding for each link whose real path leaves ``boundary`` (the folder itself too) and
    each folder that cannot be read. ``shown_as`` is how findings name the folder."""
    from opsplan.load.source import is_inside, walk_files

    if os.path.islink(folder) and not is_inside(os.path.realpath(folder), boundary):
        return [], [Diagnostic.make(
            "OPS008", f"`{shown_as}` is a link to a place outside the plan; it is not read", Location(shown_as),
            hint="put the files themselves in the plan, or link to a place inside the plan's folder")]
    if not folder.is_dir():
        return [], []
    found, refused = walk_files(folder, boundary, lambda name: name.lower().endswith(".csv"), shown_as=shown_as)
    return [folder / name for name in found], refused


def load_actuals(folder: Path, plan: Plan, display: Path | None = None, *, boundary: Path | None = None,
                 fast: bool = True) -> tuple[Actuals, list[Diagnostic]]:
    """Read every CSV file under ``folder``; ``display`` is the folder the reported paths are
    relative to (the plan root for ``actuals/``); files whose real path leaves ``boundary``
    (default: ``display``) are reported, not read. ``fast=False`` reads every row the careful
    way, as a reference for the fast path."""
    base = display if display is not None else folder
    reader = _RowReader(plan, fast)
    files: list[str] = []
    bound = (boundary or base).resolve()
    paths, refused = actuals_files(folder, bound, Path(os.path.relpath(folder, base)).as_posix())
    from opsplan.load.source import is_inside

    for path in paths:
        name = Path(os.path.relpath(path, base)).as_posix()
        if not is_inside(os.path.realpath(path), bound):  # became a link out since it was listed
            refused.append(Diagnostic.make("OPS008", f"`{name}` is a link to a place outside the plan; it is not read",
                                           Location(name)))
            continue
        files.append(name)
        reader.read_file(name, path)
    actuals = Actuals(tuple(reader.spend), tuple(reader.readings), tuple(reader.headcount),
                      tuple(reader.hires), tuple(reader.completions), tuple(files), tuple(reader.volumes))
    return actuals, [*refused, *reader.diagnostics]


class _NamesInvalidEntity(Exception):
    """The row names an entity with a shape error in the plan, or a part of one: the plan's
    finding is the cause, so the row is left out without a finding of its own."""


class _BadRow(Exception):
    def __init__(self, code: str, column: int, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code, self.column, self.message, self.hint = code, column, message, hint


class _RowReader:
    """Reads rows into resolved records; each bad row becomes one finding."""

    def __init__(self, plan: Plan, fast: bool = True) -> None:
        self.plan, self.fast = plan, fast
        self.diagnostics: list[Diagnostic] = []
        self.spend: list[Spend] = []
        self.readings: list[Reading] = []
        self.headcount: list[HeadcountCount] = []
        self.hires: list[Hires] = []
        self.completions: list[Completions] = []
        self.volumes: list[Volume] = []
        # Per kind: the hash of each row's identifying cells -> the first file (by name) holding it.
        self.row_files: dict[ActualsKind, dict[int, str]] = {}
        self.cost_centers = {dept.cost_center: dept.id for dept in plan.departments.values() if dept.cost_center}
        # Each measure maps to itself, so that rows keep the plan's own string, not a copy per row.
        self.measures = {measure: measure for measure in plan.kpis}
        self.measures.update((goal_id, goal_id) for goal_id, goal in plan.goals.items() if goal.measure.kpi is None)
        # Built on the first unknown id only: a clean file never pays for the index.
        self._suggestions: dict[str, Suggestions] = {}
        # Lines by (department, line id) and by (department, account), over every budget.
        self.lines: dict[str, list[BudgetLine]] = {}
        self.by_id: dict[tuple[str, str], list[BudgetLine]] = {}
        self.by_account: dict[tuple[str, str], list[BudgetLine]] = {}
        for budget in plan.budgets.values():
            for allocation in budget.departments:
                self.lines.setdefault(allocation.department, []).extend(allocation.lines)
                for line in allocation.lines:
                    self.by_id.setdefault((line.department, line.id), []).append(line)
                    if line.account is not None:
                        self.by_account.setdefault((line.department, line.account), []).append(line)

    def read_file(self, name: str, path: Path) -> None:
        try:
            size = path.stat().st_size
            if size > MAX_ACTUALS_BYTES:
                self._report("OPS701", Location(name), f"file is {size:,} bytes, over the limit of "
                             f"{MAX_ACTUALS_BYTES:,}", "split the figures over several files")
                return
            raw = path.read_bytes()
        except OSError as error:
            self._report("OPS701", Location(name), f"cannot read the file: {error.strerror or error}")
            return
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[:error.start].count(b"\n") + 1
            self._report("OPS701", Location(name, line), "file is not valid UTF-8",
                         "save it as UTF-8 (CSV UTF-8 in spreadsheet programs)")
            return
        del text  # only the check above needs it whole; rows are decoded again, chunk by chunk
        if b"\x00" in raw:
            self._report("OPS701", Location(name), "file holds NUL bytes: not a CSV text file")
            return
        rows = csv.reader(io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", newline=""), strict=True)
        unknown = _UnknownIds()
        copies: _CopyFinder | None = None
        try:
            header = next(rows, None)
            if header is None or not any(cell.strip() for cell in header):
                self._report("OPS701", Location(name), "file is empty: no header row",
                             "start with a header, e.g. `date,kpi,value`")
                return
            kind = recognise(header)
            if kind is None:
                self._report("OPS701", Location(name),
                             f"header `{_excerpt(','.join(header))}` matches no kind of actuals",
                             _header_hint(header))
                return
            if self._repeated_column(name, header):
                return
            columns = {cell.strip().lower(): index for index, cell in enumerate(header)}
            width = len(header)
            read_valid = self._fast_reader(kind, columns, width, name) if self.fast else None
            copies = _CopyFinder(self.row_files.setdefault(kind, {}), columns, ROW_IDENTITY[kind])
            for cells in rows:
                line = rows.line_num
                if read_valid is not None and read_valid(cells, line):
                    copies.add(cells, line)
                    continue
                if not "".join(cells).strip():
                    continue
                copies.add(cells, line)
                try:
                    self._read_row(kind, name, line, columns, cells, width)
                except _BadRow as bad:
                    unknown.add(bad, name, line)
                except _NamesInvalidEntity:
                    continue
        except csv.Error as error:
            self._report("OPS701", Location(name, rows.line_num), f"malformed CSV: {error}",
                         "quote fields that contain commas or quotes, and close every quote")
        finally:
            self.diagnostics.extend(unknown.findings())
        copied = copies.finish(name) if copies is not None else None
        if copied is not None:
            self.diagnostics.append(copied)

    def _repeated_column(self, name: str, header: Sequence[str]) -> bool:
        """Report a column named twice: which of the two holds the figures cannot be guessed."""
        first: dict[str, int] = {}
        for index, cell in enumerate(header):
            column = cell.strip().lower()
            if not column:
                continue  # unnamed columns are ignored like any extra column
            if column in first:
                at = sum(len(cell) + 1 for cell in header[:index]) + 1
                self._report("OPS701", Location(name, 1, at),
                             f"column `{column}` appears twice in the header (columns {first[column] + 1} "
                             f"and {index + 1})", "keep one column of each name: which one holds the figures "
                             "cannot be guessed")
                return True
            first[column] = index
        return False

    def _fast_reader(self, kind: ActualsKind, columns: Mapping[str, int], width: int,
                     name: str) -> Callable[[Sequence[str], int], bool] | None:
        """For the two kinds that make up most rows (readings and spend), a reader that records a
        plainly valid row and returns True, and returns False for anything else, which
        ``_read_row`` then reads carefully and explains. Both must agree on every valid row."""
        at_date = columns["date"]
        if kind is ActualsKind.READINGS:
            at_measure, at_value = columns["kpi"], columns["value"]
            measures = self.measures
            add_reading = self.readings.append

            def read_reading(cells: Sequence[str], line: int) -> bool:
                if len(cells) > width:
                    return False
                try:
                    when = _parse_date(cells[at_date].strip())
                    measure = measures.get(cells[at_measure].strip())
                    value = Decimal(cells[at_value].strip())
                except (IndexError, InvalidOperation):
                    return False
                if when is None or measure is None or not number_in_range(value):
                    return False
                add_reading(Reading(when, measure, value, RowOrigin(name, line)))
                return True

            return read_reading
        if kind is ActualsKind.SPEND:
            at_department, at_line, at_amount = columns["department"], columns["line"], columns["amount"]
            at_currency = columns.get("currency")
            departments = {**self.cost_centers, **{key: key for key in self.plan.departments}}
            periods = {key: (budget.start, budget.end) for key, budget in self.plan.budgets.items()}
            by_id, by_account = self.by_id, self.by_account
            currency = self.plan.currency
            add_spend = self.spend.append

            def read_spend(cells: Sequence[str], line: int) -> bool:
                if len(cells) > width:
                    return False
                try:
                    when = _parse_date(cells[at_date].strip())
                    department = departments.get(cells[at_department].strip())
                    written = cells[at_line].strip()
                    amount = Decimal(cells[at_amount].strip())
                    written_currency = cells[at_currency].strip() if at_currency is not None else ""
                except (IndexError, InvalidOperation):
                    return False
                if when is None or department is None or not number_in_range(amount):
                    return False
                if written_currency and written_currency != currency:
                    return False
                key = (department, written)
                for budget_line in by_id.get(key) or by_account.get(key) or ():
                    start, end = periods[budget_line.budget]
                    if start <= when <= end:
                        add_spend(Spend(when, budget_line.budget, department, budget_line.id, amount,
                                        RowOrigin(name, line)))
                        return True
                return False

            return read_spend
        return None

    def _report(self, code: str, location: Location, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic.make(code, message, location, hint))

    def _read_row(self, kind: ActualsKind, name: str, line: int, columns: Mapping[str, int],
                  cells: Sequence[str], width: int) -> None:
        row = _Row(columns, cells)
        row.no_extra_fields(width)
        origin = RowOrigin(name, line)
        when = row.date("date")
        if kind is ActualsKind.SPEND:
            self.spend.append(self._spend(row, when, origin))
        elif kind is ActualsKind.READINGS:
            measure = row.text("kpi")
            goal = self.plan.goals.get(measure)
            if goal is not None and goal.measure.kpi is not None:
                raise _BadRow("OPS702", row.column("kpi"), f"goal `{measure}` is measured by KPI "
                              f"`{goal.measure.kpi}`: its readings are the KPI's",
                              f"write `{goal.measure.kpi}` in the `kpi` column")
            if measure not in self.measures:
                if self._invalid(Kind.PROCESS, measure.partition(".")[0]) or self._invalid(Kind.GOAL, measure):
                    raise _NamesInvalidEntity
                raise _BadRow("OPS702", row.column("kpi"), f"unknown KPI or goal metric `{measure}`",
                              self._hint("measures", measure, lambda: self.measures,
                                         "`PROCESS.KPI`, or the id of a goal with its own metric"))
            self.readings.append(Reading(when, measure, row.number("value"), origin))
        elif kind is ActualsKind.HEADCOUNT:
            department = self._department(row)
            self.headcount.append(HeadcountCount(when, department, row.count("headcount"), origin))
        elif kind is ActualsKind.HIRES:
            program = self._program(row, "hiring")
            role = row.text("role")
            roles = [item.id for item in self.plan.programs[program].roles]
            if role not in roles:
                if self._invalid(Kind.PROGRAM, program):
                    raise _NamesInvalidEntity
                raise _BadRow("OPS702", row.column("role"), f"program `{program}` has no role `{role}`",
                              _hint(role, roles, "a role listed under the program's `roles:`"))
            self.hires.append(Hires(when, program, role, row.count("hired"), origin))
        elif kind is ActualsKind.VOLUME:
            self.volumes.append(self._volume(row, when, origin))
        else:
            program = self._program(row, "training")
            self.completions.append(Completions(when, program, row.count("completed"), origin))

    def _invalid(self, kind: Kind, id: str) -> bool:
        return id in self.plan.invalid_ids.get(kind, frozenset())

    def _in_invalid_budget(self, department: str) -> bool:
        """Whether a line of the department may be among what shape errors dropped: a budget with
        errors that could not be built, or one built without its bad lines that funds it."""
        for budget_id in self.plan.invalid_ids.get(Kind.BUDGET, frozenset()):
            budget = self.plan.budgets.get(budget_id)
            if budget is None or any(allocation.department == department for allocation in budget.departments):
                return True
        return False

    def _hint(self, among: str, written: str, candidates: Callable[[], Iterable[str]], expected: str) -> str:
        """A did-you-mean over one of the plan's large sets of ids, indexed on first use."""
        suggestions = self._suggestions.get(among)
        if suggestions is None:
            suggestions = self._suggestions[among] = Suggestions(candidates())
        return suggestions.did_you_mean(written) or f"expected {expected}"

    def _department(self, row: _Row) -> str:
        written = row.text("department")
        if written in self.plan.departments:
            return written
        if written in self.cost_centers:
            return self.cost_centers[written]
        if self._invalid(Kind.DEPARTMENT, written):
            raise _NamesInvalidEntity
        raise _BadRow("OPS702", row.column("department"), f"unknown department or cost center `{written}`",
                      self._hint("departments", written, lambda: [*self.plan.departments, *self.cost_centers],
                                 "a department id or cost center"))

    def _program(self, row: _Row, program_type: str) -> str:
        written = row.text("program")
        program = self.plan.programs.get(written)
        if program is None:
            if self._invalid(Kind.PROGRAM, written):
                raise _NamesInvalidEntity
            candidates = [key for key, value in self.plan.programs.items() if value.type.value == program_type]
            raise _BadRow("OPS702", row.column("program"), f"unknown {program_type} program `{written}`",
                          _hint(written, candidates, f"the id of a {program_type} program"))
        if program.type.value != program_type:
            raise _BadRow("OPS702", row.column("program"),
                          f"program `{written}` is a {program.type.value} program, not a {program_type} program")
        return written

    def _volume(self, row: _Row, when: date, origin: RowOrigin) -> Volume:
        process = row.text("process")
        if process not in self.plan.processes:
            if self._invalid(Kind.PROCESS, process):
                raise _NamesInvalidEntity
            raise _BadRow("OPS702", row.column("process"), f"unknown process `{process}`",
                          self._hint("processes", process, lambda: self.plan.processes, "a process id"))
        volume = row.number("volume")
        if volume < 0:
            raise _BadRow("OPS703", row.column("volume"), f"`volume` is `{row.text('volume')}`, not a number >= 0",
                          "a volume counts the work handled in the period")
        return Volume(when, process, volume, origin)

    def _spend(self, row: _Row, when: date, origin: RowOrigin) -> Spend:
        department = self._department(row)
        written = row.text("line")
        matching = self.by_id.get((department, written)) or self.by_account.get((department, written))
        if not matching:
            if self._in_invalid_budget(department):
                raise _NamesInvalidEntity
            lines = self.lines.get(department, [])
            raise _BadRow("OPS702", row.column("line"),
                          f"department `{department}` has no budget line or account `{written}`",
                          _hint(written, {line.id for line in lines}, "a line id of the department, or its `account`"))
        budgets = self.plan.budgets
        dated = [line for line in matching if budgets[line.budget].start <= when <= budgets[line.budget].end]
        if not dated:
            periods = ", ".join(f"{line.budget} ({budgets[line.budget].start} to {budgets[line.budget].end})"
                                for line in matching)
            raise _BadRow("OPS705", row.column("date"),
                          f"spend dated {when} falls in no budget that holds line `{written}` of "
                          f"`{department}`: {periods}", "check the date, or add the line to that period's budget")
        line = dated[0]
        amount = row.number("amount")
        currency = row.optional_text("currency") or self.plan.currency
        if currency != self.plan.currency:
            rate = self.plan.settings.fx.get(currency)
            if rate is None:
                raise _BadRow("OPS704", row.column("currency"), f"currency {currency} has no fx rate",
                              _fx_hint(currency, self.plan.currency, self.plan.settings.fx))
            amount = amount * rate
        return Spend(when, line.budget, department, line.id, amount, origin)


def _fx_hint(currency: str, plan_currency: str, fx: Mapping[str, Decimal]) -> str:
    """How to make a currency usable; `fx:` keys are ISO codes in capitals, so a lower-case code
    is pointed to its capitals rather than to an `fx:` key the plan's schema refuses."""
    capitals = currency.upper()
    add = f"add `{capitals}: <rate into {plan_currency}>` under `fx:` in opsplan.yaml"
    if capitals == currency:
        return add
    if capitals == plan_currency or capitals in fx:
        return f"currency codes are written in capitals: `{capitals}`"
    return f"currency codes are written in capitals: `{capitals}`, and it needs a rate: {add}"


class _UnknownIds:
    """Findings of one file's rows, with those naming the same unknown id grouped into one: a
    renamed id or a misspelt kind in the plan must not turn into a finding per row."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str | None], tuple[Location, int]] = {}
        self.counts: Counter[tuple[str, str | None]] = Counter()
        self.singles: list[Diagnostic] = []

    def add(self, bad: _BadRow, name: str, line: int) -> None:
        location = Location(name, line, bad.column)
        if bad.code != "OPS702":
            self.singles.append(Diagnostic.make(bad.code, bad.message, location, bad.hint))
            return
        key = (bad.message, bad.hint)
        self.first.setdefault(key, (location, line))
        self.counts[key] += 1

    def findings(self) -> list[Diagnostic]:
        grouped = []
        for (message, hint), (location, line) in self.first.items():
            count = self.counts[(message, hint)]
            if count > 1:
                message = f"{message} ({count:,} rows of this file; the first is line {line})"
            grouped.append(Diagnostic.make("OPS702", message, location, hint))
        return [*self.singles, *grouped]


class _CopyFinder:
    """Finds a file whose rows repeat an earlier file's (OPS706): each row's identifying cells
    are hashed, so a copy costs a set lookup per row to find."""

    def __init__(self, seen: dict[int, str], columns: Mapping[str, int], identity: Sequence[str]) -> None:
        self.seen = seen
        self.indexes = [columns.get(column) for column in identity]
        self.rows = 0
        self.hashes: set[int] = set()
        self.repeated: Counter[str] = Counter()
        self.first_line: dict[str, int] = {}

    def add(self, cells: Sequence[str], line: int) -> None:
        size = len(cells)
        key = hash(tuple(cells[index].strip() if index is not None and index < size else ""
                         for index in self.indexes))
        self.rows += 1
        self.hashes.add(key)
        earlier = self.seen.get(key)
        if earlier is not None:
            self.repeated[earlier] += 1
            self.first_line.setdefault(earlier, line)

    def finish(self, name: str) -> Diagnostic | None:
        """Remember this file's rows for the files after it; a finding if it is a copy."""
        for key in self.hashes:
            self.seen.setdefault(key, name)
        if not self.repeated:
            return None
        original, count = max(self.repeated.items(), key=lambda item: item[1])  # ties: the earliest file
        if count < self.rows * COPIED_SHARE:
            return None
        return Diagnostic.make(
            "OPS706", f"{count:,} of {self.rows:,} rows repeat rows of `{original}`: the same export read "
            "twice counts every figure twice", Location(name, self.first_line[original]),
            f"remove the copy, or the rows it shares with `{original}`")


class _Row:
    """One CSV row addressed by column name; parse failures raise _BadRow at the cell."""

    __slots__ = ("cells", "columns")

    def __init__(self, columns: Mapping[str, int], cells: Sequence[str]) -> None:
        self.columns, self.cells = columns, cells

    def column(self, name: str) -> int:
        """1-based column of a cell: the character position of the cell in a plain row."""
        index = min(self.columns[name], len(self.cells))
        return sum(len(cell) + 1 for cell in self.cells[:index]) + 1

    def no_extra_fields(self, width: int) -> None:
        """A row longer than its header was split where it should not be (a decimal comma, an
        unquoted comma in a name); reading its first fields would be a silent wrong answer.
        Empty trailing fields carry nothing and pass."""
        extra = [index for index in range(width, len(self.cells)) if self.cells[index].strip()]
        if not extra:
            return
        column = sum(len(cell) + 1 for cell in self.cells[:extra[0]]) + 1
        hint = "a value holding a comma must be quoted"
        before, after = self.cells[extra[0] - 1].strip(), self.cells[extra[0]].strip()
        if before.lstrip("-").isdigit() and after.isdigit():
            hint += f"; decimals take a dot (`{before}.{after}`, not `{before},{after}`)"
        raise _BadRow("OPS703", column, f"row has {len(self.cells)} fields but the header has {width}", hint)

    def optional_text(self, name: str) -> str | None:
        index = self.columns.get(name)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index].strip() or None

    def text(self, name: str) -> str:
        index = self.columns[name]  # a required column: recognise() saw it in the header
        value = self.cells[index].strip() if index < len(self.cells) else ""
        if not value:
            raise _BadRow("OPS703", self.column(name), f"`{name}` is empty", f"every row needs a `{name}`")
        return value

    def date(self, name: str) -> date:
        written = self.text(name)
        parsed = _parse_date(written)
        if parsed is None:
            raise _BadRow("OPS703", self.column(name), f"`{name}` is `{written}`, not a date",
                          "write dates as YYYY-MM-DD, e.g. 2027-03-31")
        return parsed

    def number(self, name: str) -> Decimal:
        written = self.text(name)
        try:
            # Decimal refuses thousands separators and currency symbols: nothing is guessed.
            value = Decimal(written)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            raise _BadRow("OPS703", self.column(name), f"`{name}` is `{written}`, not a number",
                          "write plain numbers with a dot for decimals, no thousands separators or symbols")
        if not number_in_range(value):  # the plan's range: beyond it, sums overflow
            shown = written if len(written) <= 40 else written[:40] + "…"
            raise _BadRow("OPS703", self.column(name), f"`{name}` is out of range: `{shown}`",
                          f"numbers are at most 10^15 in size, with at most {MAX_DECIMAL_PLACES} decimal places")
        return value

    def count(self, name: str) -> int:
        value = self.number(name)
        if value != value.to_integral_value() or value < 0:
            raise _BadRow("OPS703", self.column(name), f"`{name}` is `{self.text(name)}`, not a whole number >= 0",
                          "counts of people are whole numbers")
        return int(value)


@lru_cache(maxsize=8192)
def _parse_date(written: str) -> date | None:
    """Dates repeat in every row of a monthly export, so each distinct text is parsed once."""
    if len(written) != 10:
        return None
    try:
        return date.fromisoformat(written)
    except ValueError:
        return None


def _hint(written: str, candidates: Iterable[str], expected: str) -> str:
    suggestion = did_you_mean(written, candidates)
    return suggestion if suggestion is not None else f"expected {expected}"


def _header_hint(header: Sequence[str]) -> str:
    kinds = "; ".join(f"{kind.value}: `{','.join(columns)}`" for kind, columns in REQUIRED_COLUMNS.items())
    return f"the header must hold the columns of one kind ({kinds})"


_EXCERPT_CHARACTERS = 60


def _excerpt(text: str) -> str:
    """A short, printable quote of text from a file: the start only, control characters and
    backticks escaped, so a finding never carries a file's content (or a terminal sequence) out."""
    shown = "".join(
        character if character.isprintable() and character != "`" else
        ("\\`" if character == "`" else f"\\x{ord(character):02x}" if ord(character) < 0x100
         else f"\\u{ord(character):04x}")
        for character in text[:_EXCERPT_CHARACTERS])
    return shown + ("..." if len(text) > _EXCERPT_CHARACTERS else "")
