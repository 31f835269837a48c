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


Resolver = Callable[[str, str, str, str], SpendKey | None]


def spend_resolver(plan: Plan, departments: Mapping[str, str], by_id: Mapping[tuple[str, str], list[BudgetLine]],
                   by_account: Mapping[tuple[str, str], list[BudgetLine]]) -> Resolver:
    """The record key of a row's date, department, line and currency cells as written, or None
    when they do not plainly name a budget line in its period in the plan's currency."""
    periods = {key: (budget.start, budget.end) for key, budget in plan.budgets.items()}
    currency = plan.currency
    # A ledger repeats its dates and its (department, line, currency) cells over and over: each
    # distinct one is looked up once (bounded, like the fast path's own memo).
    dates: dict[str, date | None] = {}
    places: dict[tuple[str, str, str], tuple[str, list[tuple[date, date, str, str]]] | None] = {}

    def place(written_department: str, written_line: str, written_currency: str,
              ) -> tuple[str, list[tuple[date, date, str, str]]] | None:
        department = departments.get(written_department.strip())
        if department is None or (written_currency.strip() and written_currency.strip() != currency):
            return None
        key = (department, written_line.strip())
        return department, [(*periods[line.budget], line.budget, line.id) for line in by_id.get(key) or by_account.get(key) or ()]

    def resolve(written_date: str, written_department: str, written_line: str, written_currency: str) -> SpendKey | None:
        when = dates.get(written_date)
        if when is None:
            if len(dates) >= MEMO_LIMIT:
                dates.clear()
            when = dates[written_date] = parse_date(written_date.strip())
            if when is None:
                return None
        cells = (written_department, written_line, written_currency)
        found = places.get(cells)
        if found is None:
            if cells in places:
                return None
            if len(places) >= MEMO_LIMIT:
                places.clear()
            found = places[cells] = place(*cells)
            if found is None:
                return None
        department, lines = found
        for start, end, budget, line in lines:
            if start <= when <= end:
                return (when, budget, department, line)
        return None

    return resolve


def spend_reader(resolve: Resolver, columns: Mapping[str, int], width: int, name: str,
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
