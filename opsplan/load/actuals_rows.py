"""One row of an actuals file, decoded cell by cell: dates, numbers and counts read exactly, or
the finding that says which cell is wrong and why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from opsplan.diagnostics import Diagnostic, Location, did_you_mean
from opsplan.load.actuals_records import REQUIRED_COLUMNS
from opsplan.load.strict_yaml import MAX_DECIMAL_PLACES, number_in_range
from opsplan.model import Kind, Plan
from opsplan.rules.codes import (
    ACTUALS_BAD_VALUE,
    ACTUALS_FILE,
    ACTUALS_UNKNOWN_ID,
    Rule,
)


class BadRow(Exception):
    """A row that cannot be used: the rule it breaks, the column at fault, and why."""

    def __init__(self, rule: Rule, column: int, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.rule, self.column, self.message, self.hint = rule, column, message, hint


class Row:
    """One CSV row addressed by column name; parse failures raise BadRow at the cell."""

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
        raise BadRow(ACTUALS_BAD_VALUE, column, f"row has {len(self.cells)} fields but the header has {width}", hint)

    def optional_text(self, name: str) -> str | None:
        index = self.columns.get(name)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index].strip() or None

    def text(self, name: str) -> str:
        index = self.columns[name]  # a required column: recognise() saw it in the header
        value = self.cells[index].strip() if index < len(self.cells) else ""
        if not value:
            raise BadRow(ACTUALS_BAD_VALUE, self.column(name), f"`{name}` is empty", f"every row needs a `{name}`")
        return value

    def date(self, name: str) -> date:
        written = self.text(name)
        parsed = parse_date(written)
        if parsed is None:
            raise BadRow(ACTUALS_BAD_VALUE, self.column(name), f"`{name}` is `{written}`, not a date",
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
            raise BadRow(ACTUALS_BAD_VALUE, self.column(name), f"`{name}` is `{written}`, not a number",
                          "write plain numbers with a dot for decimals, no thousands separators or symbols")
        if not number_in_range(value):  # the plan's range: beyond it, sums overflow
            shown = written if len(written) <= 40 else written[:40] + "…"
            raise BadRow(ACTUALS_BAD_VALUE, self.column(name), f"`{name}` is out of range: `{shown}`",
                          f"numbers are at most 10^15 in size, with at most {MAX_DECIMAL_PLACES} decimal places")
        return value

    def percent(self, name: str) -> Decimal:
        value = self.number(name)
        if not 0 <= value <= 100:
            raise BadRow(ACTUALS_BAD_VALUE, self.column(name),
                         f"`{name}` is `{self.text(name)}`, not a percentage from 0 to 100",
                         "write how much of the work is done, 0 to 100")
        return value

    def count(self, name: str) -> int:
        value = self.number(name)
        if value != value.to_integral_value() or value < 0:
            raise BadRow(ACTUALS_BAD_VALUE, self.column(name), f"`{name}` is `{self.text(name)}`, not a whole number >= 0",
                          "counts of people are whole numbers")
        return int(value)


@lru_cache(maxsize=8192)
def parse_date(written: str) -> date | None:
    """Dates repeat in every row of a monthly export, so each distinct text is parsed once."""
    if len(written) != 10:
        return None
    try:
        return date.fromisoformat(written)
    except ValueError:
        return None


def hint_among(written: str, candidates: Iterable[str], expected: str) -> str:
    suggestion = did_you_mean(written, candidates)
    return suggestion if suggestion is not None else f"expected {expected}"


def header_hint(header: Sequence[str]) -> str:
    kinds = "; ".join(f"{kind.value}: `{','.join(columns)}`" for kind, columns in REQUIRED_COLUMNS.items())
    return f"the header must hold the columns of one kind ({kinds})"


EXCERPT_CHARACTERS = 60


def excerpt(text: str) -> str:
    """A short, printable quote of text from a file: the start only, control characters and
    backticks escaped, so a finding never carries a file's content (or a terminal sequence) out."""
    shown = "".join(
        character if character.isprintable() and character != "`" else
        ("\\`" if character == "`" else f"\\x{ord(character):02x}" if ord(character) < 0x100
         else f"\\u{ord(character):04x}")
        for character in text[:EXCERPT_CHARACTERS])
    return shown + ("..." if len(text) > EXCERPT_CHARACTERS else "")


class UnknownIds:
    """Findings of one file's rows, with those naming the same unknown id grouped into one: a
    renamed id or a misspelt kind in the plan must not turn into a finding per row."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str | None], tuple[Location, int]] = {}
        self.counts: Counter[tuple[str, str | None]] = Counter()
        self.singles: list[Diagnostic] = []

    def add(self, bad: BadRow, name: str, line: int) -> None:
        location = Location(name, line, bad.column)
        if bad.rule is not ACTUALS_UNKNOWN_ID:
            self.singles.append(bad.rule.finding(bad.message, location, bad.hint))
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
            grouped.append(ACTUALS_UNKNOWN_ID.finding(message, location, hint))
        return [*self.singles, *grouped]


def fx_hint(currency: str, plan_currency: str, fx: Mapping[str, Decimal]) -> str:
    """How to make a currency usable; `fx:` keys are ISO codes in capitals, so a lower-case code
    is pointed to its capitals rather than to an `fx:` key the plan's schema refuses."""
    capitals = currency.upper()
    add = f"add `{capitals}: <rate into {plan_currency}>` under `fx:` in opsplan.yaml"
    if capitals == currency:
        return add
    if capitals == plan_currency or capitals in fx:
        return f"currency codes are written in capitals: `{capitals}`"
    return f"currency codes are written in capitals: `{capitals}`, and it needs a rate: {add}"


def repeated_column(name: str, header: Sequence[str]) -> Diagnostic | None:
    """A column named twice (OPS701): which of the two holds the figures cannot be guessed."""
    first: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = cell.strip().lower()
        if not column:
            continue  # unnamed columns are ignored like any extra column
        if column in first:
            at = sum(len(cell) + 1 for cell in header[:index]) + 1
            return ACTUALS_FILE.finding(f"column `{column}` appears twice in the header (columns {first[column] + 1} "
                                        f"and {index + 1})", Location(name, 1, at),
                                        "keep one column of each name: which one holds the figures cannot be guessed")
        first[column] = index
    return None


def in_invalid_budget(plan: Plan, department: str) -> bool:
    """Whether a line of the department may be among what shape errors dropped: a budget with
    errors that could not be built, or one built without its bad lines that funds it."""
    for budget_id in plan.invalid_ids.get(Kind.BUDGET, frozenset()):
        budget = plan.budgets.get(budget_id)
        if budget is None or any(allocation.department == department for allocation in budget.departments):
            return True
    return False


def unreadable_file(name: str, error: OSError) -> Diagnostic:
    """OPS701 for an actuals file the system would not let us read: its reason, never its full
    path (the finding names the file as the plan does)."""
    return ACTUALS_FILE.finding(f"cannot read the file: {error.strerror or error}", Location(name))
