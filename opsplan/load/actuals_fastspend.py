"""The fast path for spend rows, the bulk of a general ledger: a row whose cells plainly name a
budget line in its period, with a plain amount, is added up at once; anything else returns
False and is read carefully (and explained) by the reader. Both must agree on every valid row.

A ledger repeats the same date, department and line over thousands of postings, so each
distinct combination of those cells is resolved once; a plain amount (digits, a point and at
most the plan's number of decimals) is in range by its shape alone."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from opsplan.load.actuals_rows import parse_date
from opsplan.load.actuals_totals import SpendKey, SpendTotals
from opsplan.load.strict_yaml import MAX_DECIMAL_PLACES, number_in_range
from opsplan.model import BudgetLine, Plan

# Distinct (date, department, line, currency) cells remembered at once; a ledger sorted by date
# reuses a few thousand of them for a long stretch of rows.
MEMO_LIMIT = 50_000
# At most 15 digits before the point: below NUMBER_LIMIT (10**15) by construction.
PLAIN_NUMBER = re.compile(rf"-?[0-9]{{1,15}}(?:\.[0-9]{{1,{MAX_DECIMAL_PLACES}}})?")


# Where a row's department, line and currency cells put it: the department's id and, for each
# budget line they name, its budget's period, budget and line id; None: nowhere in the plan.
Place = tuple[str, list[tuple[date, date, str, str]]]


class SpendResolver:
    """The record key of a row's date, department, line and currency cells as written, or None
    when they do not plainly name a budget line in its period in the plan's currency.

    A ledger repeats its dates and its (department, line, currency) cells over and over: each
    distinct one is looked up once (bounded, like the fast path's own memo)."""

    def __init__(self, plan: Plan, departments: Mapping[str, str], by_id: Mapping[tuple[str, str], list[BudgetLine]],
                 by_account: Mapping[tuple[str, str], list[BudgetLine]]) -> None:
        self.periods = {key: (budget.start, budget.end) for key, budget in plan.budgets.items()}
        self.currency = plan.currency
        self.departments, self.by_id, self.by_account = departments, by_id, by_account
        self.dates: dict[str, date | None] = {}
        self.places: dict[tuple[str, str, str], Place | None] = {}

    def __call__(self, written_date: str, written_department: str, written_line: str,
                 written_currency: str) -> SpendKey | None:
        found = self.place(written_department, written_line, written_currency)
        return None if found is None else self.key_on(written_date, found)

    def place(self, written_department: str, written_line: str, written_currency: str) -> Place | None:
        """Where these cells put a row, whatever its date."""
        cells = (written_department, written_line, written_currency)
        places = self.places
        found = places.get(cells)
        if found is None and cells not in places:
            if len(places) >= MEMO_LIMIT:
                places.clear()
            found = places[cells] = self._placed(*cells)
        return found

    def key_on(self, written_date: str, place: Place) -> SpendKey | None:
        """The record key of a row so placed and dated, or None if its date is not read or falls
        in no period of the lines it names."""
        dates = self.dates
        when = dates.get(written_date)
        if when is None:
            if len(dates) >= MEMO_LIMIT:
                dates.clear()
            when = dates[written_date] = parse_date(written_date.strip())
            if when is None:
                return None
        department, lines = place
        for start, end, budget, line in lines:
            if start <= when <= end:
                return (when, budget, department, line)
        return None

    def _placed(self, written_department: str, written_line: str, written_currency: str) -> Place | None:
        department = self.departments.get(written_department.strip())
        if department is None or (written_currency.strip() and written_currency.strip() != self.currency):
            return None
        key = (department, written_line.strip())
        periods = self.periods
        return department, [(*periods[line.budget], line.budget, line.id)
                            for line in self.by_id.get(key) or self.by_account.get(key) or ()]


def spend_reader(resolve: SpendResolver, columns: Mapping[str, int], width: int, name: str,
                 totals: SpendTotals) -> Callable[[Sequence[str], int], bool]:
    at_date, at_department, at_line, at_amount = columns["date"], columns["department"], columns["line"], columns["amount"]
    at_currency = columns.get("currency")
    plain = PLAIN_NUMBER.fullmatch
    add = totals.add_at
    # (date, department, line, currency) as written -> the record's key, or None: not plainly valid.
    resolved: dict[tuple[str, str, str, str], SpendKey | None] = {}

    def read_spend(cells: Sequence[str], line: int) -> bool:
        if len(cells) > width:
            return False
        try:
            cells_key = (cells[at_date], cells[at_department], cells[at_line],
                         cells[at_currency] if at_currency is not None else "")
            written_amount = cells[at_amount]
        except IndexError:
            return False
        if cells_key in resolved:
            key = resolved[cells_key]
        else:
            if len(resolved) >= MEMO_LIMIT:  # memory must not grow with the rows: start afresh
                resolved.clear()
            key = resolved[cells_key] = resolve(*cells_key)
        if key is None:
            return False
        if plain(written_amount):
            amount = Decimal(written_amount)
        else:
            try:
                amount = Decimal(written_amount.strip())
            except InvalidOperation:
                return False
            if not number_in_range(amount):
                return False
        add(key, amount, name, line)
        return True

    return read_spend
