"""Duplicate exports (OPS706): a file whose rows are mostly rows of an earlier file of its kind."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from operator import itemgetter

from opsplan.diagnostics import Diagnostic, Location
from opsplan.rules.codes import (
    DUPLICATE_EXPORT,
)

# A file repeats another when at least this share of its rows are rows of that file (OPS706).
COPIED_SHARE = Decimal("0.5")


class EarlierFiles:
    """The row hashes of the files of one kind read so far, each file's as a sorted array of
    8-byte integers: a few bytes a row, where a set of Python ints would take about a hundred."""

    def __init__(self) -> None:
        self.files: list[tuple[str, array[int]]] = []

    def first_holding(self, key: int) -> str | None:
        """The earliest file holding a row with this hash."""
        for name, hashes in self.files:
            at = bisect_left(hashes, key)
            if at < len(hashes) and hashes[at] == key:
                return name
        return None

    def add(self, name: str, hashes: array[int]) -> None:
        self.files.append((name, array("q", sorted(set(hashes)))))


class CopyFinder:
    """Finds a file whose rows repeat an earlier file's (OPS706): each row's identifying cells
    are hashed, so a copy costs a lookup per row to find."""

    def __init__(self, seen: EarlierFiles, columns: Mapping[str, int], identity: Sequence[str], *,
                 keep: bool = True) -> None:
        self.seen = seen
        # With no earlier file of the kind and none to come, rows are only counted: hashing them
        # could find nothing.
        self.track = keep or bool(seen.files)
        self.keep = keep
        self.indexes = [columns.get(column) for column in identity]
        # The required columns come first in every identity and are always there; only optional
        # ones at the end may be missing, and they count as empty: one C-level getter reads the rest.
        present = [index for index in self.indexes if index is not None]
        self.fast = all(index is not None for index in self.indexes[:len(present)]) and bool(present)
        self.getter = itemgetter(*present, *present[:1]) if self.fast else None  # always a tuple
        self.width = max(present, default=0) + 1
        self.missing = ("",) * (len(self.indexes) - len(present))
        self.rows = 0
        self.hashes: array[int] = array("q")
        self.repeated: Counter[str] = Counter()
        self.first_line: dict[str, int] = {}

    def add(self, cells: Sequence[str], line: int) -> None:
        self.rows += 1
        if not self.track:
            return
        size = len(cells)
        if self.getter is not None and size >= self.width:
            key = hash((*map(str.strip, self.getter(cells)[:-1]), *self.missing))
        else:
            key = hash(tuple(cells[index].strip() if index is not None and index < size else ""
                             for index in self.indexes))
        self.hashes.append(key)
        earlier = self.seen.first_holding(key) if self.seen.files else None
        if earlier is not None:
            self.repeated[earlier] += 1
            self.first_line.setdefault(earlier, line)

    def finish(self, name: str) -> Diagnostic | None:
        """Remember this file's rows for the files after it; a finding if it is a copy."""
        if self.keep:
            self.seen.add(name, self.hashes)
        self.hashes = array("q")
        return copied_finding(name, self.rows, [(original, count, self.first_line[original])
                                                for original, count in self.repeated.items()])


def copied_finding(name: str, rows: int, repeated: Sequence[tuple[str, int, int]]) -> Diagnostic | None:
    """OPS706 for a file of ``rows`` rows, from each earlier file holding some of them first: its
    name, how many rows and the first line; the file holding most wins (ties: the first met)."""
    if not repeated:
        return None
    original, count, line = max(repeated, key=lambda item: (item[1], -item[2]))
    if count < rows * COPIED_SHARE:
        return None
    return DUPLICATE_EXPORT.finding(f"{count:,} of {rows:,} rows repeat rows of `{original}`: the same export read "
        "twice counts every figure twice", Location(name, line),
        f"remove the copy, or the rows it shares with `{original}`")
