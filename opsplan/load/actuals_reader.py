"""Reading actuals files into records: recognise each file by its header, read its rows, and
match each row to the plan (cost centres to departments, accounts to budget lines, currencies
through the fx rates); a bad row is one finding, and the rest of the file is still used."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from opsplan.diagnostics import Diagnostic, Location, Suggestions
from opsplan.load.actuals_copies import CopyFinder, EarlierFiles
from opsplan.load.actuals_fastcount import headcount_reader
from opsplan.load.actuals_fastspend import PLAIN_NUMBER, SpendResolver, spend_reader
from opsplan.load.actuals_parquet import ParquetFiles, UnreadableRows
from opsplan.load.actuals_records import (
    ROW_IDENTITY,
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
    recognise,
)
from opsplan.load.actuals_rows import (
    BadRow,
    Row,
    UnknownIds,
    excerpt,
    fx_hint,
    header_hint,
    hint_among,
    in_invalid_budget,
    parse_date,
    repeated_column,
    unreadable_file,
)
from opsplan.load.actuals_sources import open_rows
from opsplan.load.actuals_totals import SpendTotals
from opsplan.load.strict_yaml import number_in_range
from opsplan.model import BudgetLine, Kind, Plan
from opsplan.rules.codes import (
    ACTUALS_BAD_VALUE,
    ACTUALS_CURRENCY,
    ACTUALS_FILE,
    ACTUALS_OUTSIDE_BUDGET,
    ACTUALS_UNKNOWN_ID,
    Rule,
)

if TYPE_CHECKING:
    from opsplan.load.actuals_engine import LedgerEngine
    from opsplan.load.actuals_ledger import LedgerCopies

Copies = Union[CopyFinder, "LedgerCopies"]

# Memory, not bytes, limits the actuals: files of any size are streamed and spend is added up,
# but every other figure is kept, so their number is bounded (about 200 bytes each).
MAX_KEPT_FIGURES = 10_000_000
KEPT_CHECK_ROWS = 65_536  # rows between two counts


class _NamesInvalidEntity(Exception):
    """The row names an entity with a shape error in the plan, or a part of one: the plan's
    finding is the cause, so the row is left out without a finding of its own."""


class RowReader:
    """Reads rows into resolved records; each bad row becomes one finding."""

    def __init__(self, plan: Plan, fast: bool = True, ledger: LedgerEngine | None = None,
                 kinds_ahead: Counter[ActualsKind | None] | None = None) -> None:
        self.plan, self.fast = plan, fast
        self.ledger = ledger  # the engine for spend files, when they are many
        self.ledger_files: list[str] = []  # spend files read while the engine is on, in order
        # Files of each kind still to be read (None: header not recognised ahead of time).
        self.kinds_ahead: Counter[ActualsKind | None] = kinds_ahead if kinds_ahead is not None else Counter()
        self.resolve_spend: SpendResolver | None = None
        self.diagnostics: list[Diagnostic] = []
        self.spend: list[Spend] = []
        # One reading per measure and date: a row restating a day's value replaces the earlier row
        # (the row read last wins, as it always did for the current value), so readings are
        # bounded by the measures and the calendar, not by the rows.
        # By measure, then date: a key per reading would cost a tuple each.
        self.readings: dict[str, dict[date, Reading]] = {}
        self.headcount: list[HeadcountCount] = []
        self.hires: list[Hires] = []
        self.completions: list[Completions] = []
        self.progress: list[Progress] = []
        self.volumes: list[Volume] = []
        self.file_spend = SpendTotals()  # the spend of the file being read, added up
        # Per kind: the hash of each row's identifying cells -> the first file (by name) holding it.
        self.row_files: dict[ActualsKind, EarlierFiles] = {}
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

    def read_file(self, name: str, path: Path, parquet: ParquetFiles, progress: Callable[[int], None] | None = None) -> None:
        """Read one file (a Parquet file through ``parquet``); ``progress``, when given, is told
        the bytes of it read so far, now and then."""
        try:
            with open_rows(name, path, parquet, progress) as opened:
                if isinstance(opened, Diagnostic):
                    self.diagnostics.append(opened)
                else:
                    self._read_rows(name, opened.rows, opened.progress, opened.ledger_path)
        except OSError as error:  # the file went away or changed under us since it was opened
            self.diagnostics.append(unreadable_file(name, error))
        except UnicodeDecodeError as error:  # it changed since it was proved UTF-8
            self._report(ACTUALS_FILE, Location(name), f"cannot read the file: {error}")
        except UnreadableRows as stopped:
            self.diagnostics.append(stopped.finding)
        finally:
            self.spend.extend(self.file_spend.records())
            self.file_spend = SpendTotals()

    def _read_rows(self, name: str, rows: Any, progress: Callable[[], None] | None = None,
                   path: Path | None = None) -> None:
        """Read the rows after the header; ``path``, when given, lets the ledger engine read a
        spend file instead (a file whose lines it numbers as the csv module does)."""
        unknown = UnknownIds()
        copies: Copies | None = None
        try:
            header = next(rows, None)
            if header is None or not any(cell.strip() for cell in header):
                self._report(ACTUALS_FILE, Location(name), "file is empty: no header row",
                             "start with a header, e.g. `date,kpi,value`")
                return
            kind = recognise(header)
            if kind is None:
                self._report(ACTUALS_FILE, Location(name),
                             f"header `{excerpt(','.join(header))}` matches no kind of actuals",
                             header_hint(header))
                return
            repeated = repeated_column(name, header)
            if repeated is not None:
                self.diagnostics.append(repeated)
                return
            self.kinds_ahead[kind] -= 1
            columns = header_columns(header)
            width = len(header)
            copies = self._copies(kind, columns)
            take = self._row_taker(kind, name, columns, width, copies, unknown)
            if (self.ledger is not None and path is not None and rows.line_num == 1
                    and self._read_ledger(kind, name, path, columns, width, copies, take)):
                return
            next_count = KEPT_CHECK_ROWS
            for cells in rows:
                line = rows.line_num
                if line >= next_count:
                    next_count = line + KEPT_CHECK_ROWS
                    if progress is not None:
                        progress()
                    if self._kept() > MAX_KEPT_FIGURES:
                        self._report(ACTUALS_FILE, Location(name, line), f"the actuals hold more than "
                                     f"{MAX_KEPT_FIGURES:,} separate figures by this line: the rest of the file "
                                     "is not read, to protect memory", "spend adds up per date and line, so "
                                     "a ledger is no problem; split or summarise files of other kinds")
                        break
                take(cells, line)
        except csv.Error as error:
            self._report(ACTUALS_FILE, Location(name, rows.line_num), f"malformed CSV: {error}",
                         "quote fields that contain commas or quotes, and close every quote")
        finally:
            self.diagnostics.extend(unknown.findings())
            copied = copies.finish(name) if copies is not None else None
            if copied is not None:
                self.diagnostics.append(copied)

    def _row_taker(self, kind: ActualsKind, name: str, columns: Mapping[str, int], width: int, copies: Copies,
                   unknown: UnknownIds) -> Callable[[Sequence[str], int], None]:
        """What is done with each row: recorded by the fast path if it is plainly valid, else
        skipped if blank, else read carefully and, if bad, explained."""
        read_valid = self._fast_reader(kind, columns, width, name) if self.fast else None
        add_copy = copies.add

        def take(cells: Sequence[str], line: int) -> None:
            if read_valid is not None and read_valid(cells, line):
                add_copy(cells, line)
                return
            if not "".join(cells).strip():
                return
            add_copy(cells, line)
            try:
                self._read_row(kind, name, line, columns, cells, width)
            except BadRow as bad:
                unknown.add(bad, name, line)
            except _NamesInvalidEntity:
                pass

        return take

    def _copies(self, kind: ActualsKind, columns: Mapping[str, int]) -> Copies:
        """Who looks for copied exports (OPS706) in this file; hashes are kept only while a
        later file of the kind may need them."""
        keep = self.kinds_ahead[kind] > 0 or self.kinds_ahead[None] > 0
        if kind is ActualsKind.SPEND and self.ledger is not None:
            from opsplan.load.actuals_ledger import LedgerCopies

            return LedgerCopies(self.ledger, self.ledger_files, columns, ROW_IDENTITY[kind], keep=keep)
        return CopyFinder(self.row_files.setdefault(kind, EarlierFiles()), columns, ROW_IDENTITY[kind], keep=keep)

    def _read_ledger(self, kind: ActualsKind, name: str, path: Path, columns: Mapping[str, int], width: int,
                     copies: Copies, take: Callable[[Sequence[str], int], None]) -> bool:
        """Read a file of spend, or of readings no other file of readings is compared with, through
        the ledger engine; False when it is left to Python."""
        from opsplan.load.actuals_engine import ReadingsLayout, SpendLayout
        from opsplan.load.actuals_ledger import LedgerCopies, read_ledger, read_readings

        assert self.ledger is not None
        room = MAX_KEPT_FIGURES - self._kept()
        if kind is ActualsKind.SPEND and isinstance(copies, LedgerCopies):
            return read_ledger(self.ledger, name, path, SpendLayout.of(columns, width), self._spend_resolver(),
                               self.file_spend, copies, take, room)
        if kind is ActualsKind.READINGS and not copies.track:
            return read_readings(self.ledger, name, path, ReadingsLayout.of(columns, width), self.measures,
                                 self.readings, take, room)
        return False

    def readings_by_measure(self) -> dict[str, tuple[Reading, ...]]:
        """The readings of each measure in date order, the measures in order: the same whichever
        way (csv path or engine, whose groups come in no particular order) they were read."""
        readings = self.readings
        return {measure: tuple(map(readings[measure].__getitem__, sorted(readings[measure])))
                for measure in sorted(readings)}

    def _kept(self) -> int:
        """Figures held in memory so far: spend added up per date and line counts once."""
        readings = sum(map(len, self.readings.values()))
        return (len(self.spend) + len(self.file_spend) + readings + len(self.headcount) + len(self.hires)
                + len(self.completions) + len(self.progress) + len(self.volumes))

    def _fast_reader(self, kind: ActualsKind, columns: Mapping[str, int], width: int,
                     name: str) -> Callable[[Sequence[str], int], bool] | None:
        """For the kinds that make up most rows (readings, spend, headcount), a reader that records
        a plainly valid row and returns True, and returns False for anything else, which
        ``_read_row`` then reads carefully and explains. Both must agree on every valid row."""
        at_date = columns["date"]
        if kind is ActualsKind.READINGS:
            at_measure, at_value = columns["kpi"], columns["value"]
            measures = self.measures
            readings = self.readings
            plain = PLAIN_NUMBER.fullmatch

            def read_reading(cells: Sequence[str], line: int) -> bool:
                if len(cells) > width:
                    return False
                try:
                    when = parse_date(cells[at_date].strip())
                    measure = measures.get(cells[at_measure].strip())
                    written = cells[at_value].strip()
                    value = Decimal(written)
                except (IndexError, InvalidOperation):
                    return False
                # A plain number (digits, a point, at most 15 digits before it) is in range by its
                # shape; only other spellings (exponents, long digit runs) need the range check.
                if when is None or measure is None or (not plain(written) and not number_in_range(value)):
                    return False
                of_measure = readings.get(measure)
                if of_measure is None:
                    of_measure = readings[measure] = {}
                of_measure[when] = Reading(when, measure, value, RowOrigin(name, line))
                return True

            return read_reading
        if kind is ActualsKind.SPEND:
            return spend_reader(self._spend_resolver(), columns, width, name, self.file_spend)
        if kind is ActualsKind.HEADCOUNT:
            return headcount_reader(self.departments, columns, width, name, self.headcount)
        return None

    @cached_property
    def departments(self) -> dict[str, str]:
        """What a department cell names, ids before cost centers (as `_department` reads it);
        built on first use, for the fast paths of spend and headcount."""
        return {**self.cost_centers, **{key: key for key in self.plan.departments}}

    def _spend_resolver(self) -> SpendResolver:
        if self.resolve_spend is None:
            self.resolve_spend = SpendResolver(self.plan, self.departments, self.by_id, self.by_account)
        return self.resolve_spend

    def _report(self, rule: Rule, location: Location, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(rule.finding(message, location, hint))

    def _read_row(self, kind: ActualsKind, name: str, line: int, columns: Mapping[str, int],
                  cells: Sequence[str], width: int) -> None:
        row = Row(columns, cells)
        row.no_extra_fields(width)
        origin = RowOrigin(name, line)
        when = row.date("date")
        if kind is ActualsKind.SPEND:
            spend = self._spend(row, when, origin)
            self.file_spend.add(spend.date, spend.budget, spend.department, spend.line, spend.amount, origin)
        elif kind is ActualsKind.READINGS:
            measure = row.text("kpi")
            goal = self.plan.goals.get(measure)
            if goal is not None and goal.measure.kpi is not None:
                raise BadRow(ACTUALS_UNKNOWN_ID, row.column("kpi"), f"goal `{measure}` is measured by KPI "
                              f"`{goal.measure.kpi}`: its readings are the KPI's",
                              f"write `{goal.measure.kpi}` in the `kpi` column")
            if measure not in self.measures:
                if self._invalid(Kind.PROCESS, measure.partition(".")[0]) or self._invalid(Kind.GOAL, measure):
                    raise _NamesInvalidEntity
                raise BadRow(ACTUALS_UNKNOWN_ID, row.column("kpi"), f"unknown KPI or goal metric `{measure}`",
                              self._hint("measures", measure, lambda: self.measures,
                                         "`PROCESS.KPI`, or the id of a goal with its own metric"))
            self.readings.setdefault(measure, {})[when] = Reading(when, measure, row.number("value"), origin)
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
                raise BadRow(ACTUALS_UNKNOWN_ID, row.column("role"), f"program `{program}` has no role `{role}`",
                              hint_among(role, roles, "a role listed under the program's `roles:`"))
            self.hires.append(Hires(when, program, role, row.count("hired"), origin))
        elif kind is ActualsKind.VOLUME:
            self.volumes.append(self._volume(row, when, origin))
        elif kind is ActualsKind.PROGRESS:
            self.progress.append(Progress(when, self._any_program(row), row.percent("percent_complete"), origin))
        else:
            program = self._program(row, "training")
            self.completions.append(Completions(when, program, row.count("completed"), origin))

    def _invalid(self, kind: Kind, id: str) -> bool:
        return id in self.plan.invalid_ids.get(kind, frozenset())

    def _hint(self, among: str, written: str, candidates: Callable[[], Iterable[str]], expected: str) -> str:
        """A did-you-mean over one of the plan's large sets of ids, indexed on first use."""
        suggestions = self._suggestions.get(among)
        if suggestions is None:
            suggestions = self._suggestions[among] = Suggestions(candidates())
        return suggestions.did_you_mean(written) or f"expected {expected}"

    def _department(self, row: Row) -> str:
        written = row.text("department")
        if written in self.plan.departments:
            return written
        if written in self.cost_centers:
            return self.cost_centers[written]
        if self._invalid(Kind.DEPARTMENT, written):
            raise _NamesInvalidEntity
        raise BadRow(ACTUALS_UNKNOWN_ID, row.column("department"), f"unknown department or cost center `{written}`",
                      self._hint("departments", written, lambda: [*self.plan.departments, *self.cost_centers],
                                 "a department id or cost center"))

    def _program(self, row: Row, program_type: str) -> str:
        written = row.text("program")
        program = self.plan.programs.get(written)
        if program is None:
            if self._invalid(Kind.PROGRAM, written):
                raise _NamesInvalidEntity
            candidates = [key for key, value in self.plan.programs.items() if value.type.value == program_type]
            raise BadRow(ACTUALS_UNKNOWN_ID, row.column("program"), f"unknown {program_type} program `{written}`",
                          hint_among(written, candidates, f"the id of a {program_type} program"))
        if program.type.value != program_type:
            raise BadRow(ACTUALS_UNKNOWN_ID, row.column("program"),
                          f"program `{written}` is a {program.type.value} program, not a {program_type} program")
        return written

    def _any_program(self, row: Row) -> str:
        """A program of any type: the work of hiring and training programs has progress too."""
        written = row.text("program")
        if written in self.plan.programs:
            return written
        if self._invalid(Kind.PROGRAM, written):
            raise _NamesInvalidEntity
        raise BadRow(ACTUALS_UNKNOWN_ID, row.column("program"), f"unknown program `{written}`",
                     hint_among(written, self.plan.programs, "the id of a program"))

    def _volume(self, row: Row, when: date, origin: RowOrigin) -> Volume:
        process = row.text("process")
        if process not in self.plan.processes:
            if self._invalid(Kind.PROCESS, process):
                raise _NamesInvalidEntity
            raise BadRow(ACTUALS_UNKNOWN_ID, row.column("process"), f"unknown process `{process}`",
                         self._hint("processes", process, lambda: self.plan.processes, "a process id"))
        volume = row.number("volume")
        if volume < 0:
            raise BadRow(ACTUALS_BAD_VALUE, row.column("volume"), f"`volume` is `{row.text('volume')}`, not a number >= 0",
                         "a volume counts the work handled in the period")
        return Volume(when, process, volume, origin)

    def _spend(self, row: Row, when: date, origin: RowOrigin) -> Spend:
        department = self._department(row)
        written = row.text("line")
        matching = self.by_id.get((department, written)) or self.by_account.get((department, written))
        if not matching:
            if in_invalid_budget(self.plan, department):
                raise _NamesInvalidEntity
            lines = self.lines.get(department, [])
            raise BadRow(ACTUALS_UNKNOWN_ID, row.column("line"),
                          f"department `{department}` has no budget line or account `{written}`",
                          hint_among(written, {line.id for line in lines}, "a line id of the department, or its `account`"))
        budgets = self.plan.budgets
        dated = [line for line in matching if budgets[line.budget].start <= when <= budgets[line.budget].end]
        if not dated:
            periods = ", ".join(f"{line.budget} ({budgets[line.budget].start} to {budgets[line.budget].end})"
                                for line in matching)
            raise BadRow(ACTUALS_OUTSIDE_BUDGET, row.column("date"),
                          f"spend dated {when} falls in no budget that holds line `{written}` of "
                          f"`{department}`: {periods}", "check the date, or add the line to that period's budget")
        line = dated[0]
        amount = row.number("amount")
        currency = row.optional_text("currency") or self.plan.currency
        if currency != self.plan.currency:
            rate = self.plan.settings.fx.get(currency)
            if rate is None:
                raise BadRow(ACTUALS_CURRENCY, row.column("currency"), f"currency {currency} has no fx rate",
                              fx_hint(currency, self.plan.currency, self.plan.settings.fx))
            amount = amount * rate
        return Spend(when, line.budget, department, line.id, amount, origin)
