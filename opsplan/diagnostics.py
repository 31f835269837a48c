"""Findings as plain data: where, which rule code, at what severity, and how to fix it.

A finding is made by the rule it belongs to (:meth:`opsplan.rules.codes.Rule.finding`); the plan's
severity overrides are applied once, by the check pipeline. Nothing here looks a rule up.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a plan file: path relative to the plan root, 1-based line and column."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a rule code, its severity, what is wrong, where, and how to fix it."""

    code: str
    severity: Severity
    message: str
    location: Location
    hint: str | None = None
    # The id of the plan's waiver that silences this finding: it is shown on request, never counted.
    waived: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.message)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Deterministic order: by file, line, column, code; identical findings once."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate a typo most likely meant, or None when nothing is close enough."""
    options = candidates if isinstance(candidates, (list, tuple, set, frozenset, dict)) else list(candidates)
    if not options:
        return None
    if word in options:
        return None
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    match = closest(word, candidates)
    return f"did you mean `{match}`?" if match else None


class Suggestions:
    """Did-you-mean over one set of candidates, indexed once: a large plan has tens of thousands
    of KPIs, and comparing a typo with each of them costs about half a second per typo.

    Up to ``EXACT_UP_TO`` candidates, every one is compared (the answer of :func:`closest`).
    Above, an index of three-letter pieces finds the candidates sharing the most of the typo's
    rarest pieces, those are ranked by all the pieces they share, and only the best few are
    compared: a typo leaves most of a word's pieces intact, and the rare ones tell the
    candidates apart. Each word is answered once.
    """

    EXACT_UP_TO = 500
    RARE_PIECES = 8
    NEARBY = 60
    SHORTLIST = 5

    def __init__(self, candidates: Iterable[str]) -> None:
        self.candidates = list(dict.fromkeys(candidates))
        self.known = frozenset(self.candidates)
        self._pieces: dict[str, list[int]] | None = None
        self._answers: dict[str, str | None] = {}

    def closest(self, word: str) -> str | None:
        if word in self.known:
            return None
        if word not in self._answers:
            self._answers[word] = self._closest(word)
        return self._answers[word]

    def did_you_mean(self, word: str) -> str | None:
        match = self.closest(word)
        return f"did you mean `{match}`?" if match else None

    def _closest(self, word: str) -> str | None:
        if len(self.candidates) <= self.EXACT_UP_TO:
            return closest(word, self.candidates)
        pieces = self._index()
        own = set(_pieces(word))
        postings = sorted((pieces[piece] for piece in own if piece in pieces), key=len)
        shared: Counter[int] = Counter()
        for posting in postings[:self.RARE_PIECES]:
            shared.update(posting)
        # The rare pieces find the neighbourhood; all pieces rank it; difflib has the last word.
        nearby = [self.candidates[index] for index, _ in shared.most_common(self.NEARBY)]
        nearby.sort(key=lambda candidate: len(own.intersection(_pieces(candidate))), reverse=True)
        return closest(word, nearby[:self.SHORTLIST])

    def _index(self) -> dict[str, list[int]]:
        if self._pieces is None:
            self._pieces = {}
            for index, candidate in enumerate(self.candidates):
                for piece in set(_pieces(candidate)):
                    self._pieces.setdefault(piece, []).append(index)
        return self._pieces


def _pieces(word: str) -> list[str]:
    """Three-letter pieces of a word, padded so that its first and last letters count too."""
    padded = f"^{word}$"
    return [padded[start:start + 3] for start in range(max(1, len(padded) - 2))]
