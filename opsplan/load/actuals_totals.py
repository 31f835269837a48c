"""Spend rows of one file added up while they are read: a general ledger has many postings per
budget line and day, and holding a record per posting would make memory grow with the file.

Rows of the same date, budget, department and line become one record (exact: Decimal sums)
that keeps the first row's origin; records stay in the order their first row was read. Rows of
different files are never merged, so a copied export still counts twice, as OPS706 warns."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from operator import attrgetter

from opsplan.load.actuals_records import RowOrigin, Spend

SpendKey = tuple[date, str, str, str]  # date, budget, department, line


class SpendTotals:
    """The spend of one file by date, budget, department and line."""

    __slots__ = ("totals",)

    def __init__(self) -> None:
        self.totals: dict[SpendKey, list[Decimal | RowOrigin]] = {}

    def add(self, when: date, budget: str, department: str, line: str, amount: Decimal, origin: RowOrigin) -> None:
        key = (when, budget, department, line)
        known = self.totals.get(key)
        if known is None:
            self.totals[key] = [amount, origin]
        else:
            known[0] += amount  # type: ignore[operator]

    def add_at(self, key: SpendKey, amount: Decimal, file: str, line: int) -> None:
        """``add`` for a key already made: the origin is made only for a new record."""
        known = self.totals.get(key)
        if known is None:
            self.totals[key] = [amount, RowOrigin(file, line)]
        else:
            known[0] += amount  # type: ignore[operator]

    def add_groups(self, groups: Iterable[tuple[SpendKey, Decimal, int]], file: str) -> None:
        """Rows added up elsewhere, each group by the line of its first row: a record keeps the
        earliest line of all that were added to it."""
        totals = self.totals
        for key, amount, line in groups:
            known = totals.get(key)
            if known is None:
                totals[key] = [amount, RowOrigin(file, line)]
                continue
            known[0] += amount  # type: ignore[operator]
            if line < known[1].line:  # type: ignore[union-attr]
                known[1] = RowOrigin(file, line)

    def __len__(self) -> int:
        return len(self.totals)

    def records(self) -> list[Spend]:
        """The records in the order of their first row (rows added up elsewhere may come later)."""
        made = [Spend(when, budget, department, line, amount, origin)  # type: ignore[arg-type]
                for (when, budget, department, line), (amount, origin) in self.totals.items()]
        made.sort(key=attrgetter("origin.line"))
        return made
