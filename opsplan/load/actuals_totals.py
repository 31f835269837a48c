"""Spend rows of one file added up while they are read: a general ledger has many postings per
budget line and day, and holding a record per posting would make memory grow with the file.

Rows of the same date, budget, department and line become one record (exact: Decimal sums)
that keeps the first row's origin; records stay in the order their first row was read. Rows of
different files are never merged, so a copied export still counts twice, as OPS706 warns."""

from __future__ import annotations

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

    def add_group(self, key: SpendKey, amount: Decimal, file: str, line: int) -> None:
        """Rows added up elsewhere, the first of them on ``line``: the record keeps the earliest
        line of all that were added to it, whatever the order they come in."""
        known = self.totals.get(key)
        if known is None:
            self.totals[key] = [amount, RowOrigin(file, line)]
            return
        known[0] += amount  # type: ignore[operator]
        if line < known[1].line:  # type: ignore[union-attr]
            known[1] = RowOrigin(file, line)

    def absorb(self, other: SpendTotals) -> None:
        """Add another file-part's totals to these (the smaller into the larger)."""
        small, large = sorted((self, other), key=len)
        for key, (amount, origin) in small.totals.items():
            large.add_group(key, amount, origin.file, origin.line)  # type: ignore[union-attr, arg-type]
        self.totals = large.totals

    def __len__(self) -> int:
        return len(self.totals)

    def records(self) -> list[Spend]:
        """The records in the order of their first row (rows added up elsewhere may come later)."""
        made = [Spend(when, budget, department, line, amount, origin)  # type: ignore[arg-type]
                for (when, budget, department, line), (amount, origin) in self.totals.items()]
        made.sort(key=attrgetter("origin.line"))
        return made
