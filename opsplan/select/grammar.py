"""The selector language's grammar: an expression read into terms and atoms, with the column of
every mistake.

``x`` an entity by id, ``+x`` it and everything it depends on, ``x+`` it and everything that
depends on it; ``METHOD:VALUE`` selects by a property (``kind:goal``, ``owner:transport``).
Spaces make a union of terms, commas an intersection of atoms within a term. docs/select.md is
the user's reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# method -> what it selects; `department:` is the older name of `owner:` and stays.
METHODS: dict[str, str] = {
    "kind": "entities of a kind",
    "owner": "what a department and its sub-departments own",
    "department": "what a department and its sub-departments own (as owner:)",
    "tag": "entities tagged so",
    "status": "entities the report gives that status",
    "funds": "budget lines funding a process, program or goal",
    "funded-by": "what a budget, or a budget line, funds",
    "process": "a process by id",
    "program": "a program by id",
    "goal": "a goal by id",
    "kpi": "a KPI by PROCESS.KPI",
    "budget": "a budget by id",
    "line": "a budget line by BUDGET/DEPARTMENT/LINE or line id",
}
# Kinds as `kind:` names them (plurals are read as their singular).
KINDS = ("department", "process", "kpi", "budget", "line", "goal", "program")
PLURALS = {"departments": "department", "processes": "process", "kpis": "kpi", "budgets": "budget",
           "lines": "line", "goals": "goal", "programs": "program"}
# Ids are slugs; KPI references hold a dot and budget line references slashes.
_NAME = re.compile(r"[a-z0-9][a-z0-9_./-]*")
_NAME_CHARACTER = re.compile(r"[a-z0-9_./-]")


@dataclass(frozen=True, slots=True)
class Atom:
    """One selector: a method (empty for a bare id) and its value, with graph operators."""

    method: str
    value: str
    upstream: bool  # +x: and what it depends on
    downstream: bool  # x+: and what depends on it
    column: int  # 1-based, of the atom's first character
    value_column: int  # 1-based, of the value's first character

    @property
    def text(self) -> str:
        written = f"{self.method}:{self.value}" if self.method else self.value
        return ("+" if self.upstream else "") + written + ("+" if self.downstream else "")


@dataclass(frozen=True, slots=True)
class Selector:
    """A union of terms; each term an intersection of atoms."""

    text: str
    terms: tuple[tuple[Atom, ...], ...]

    @property
    def atoms(self) -> tuple[Atom, ...]:
        return tuple(atom for term in self.terms for atom in term)

    @property
    def uses_status(self) -> bool:
        return any(atom.method == "status" for atom in self.atoms)


@dataclass(frozen=True, slots=True)
class SelectorError:
    """A mistake in an expression: what is wrong and the 1-based column where it is."""

    message: str
    column: int


def parse(text: str) -> tuple[Selector | None, tuple[SelectorError, ...]]:
    """Read an expression; every mistake in it is reported, each once (None when there is one)."""
    errors: list[SelectorError] = []
    terms: list[tuple[Atom, ...]] = []
    for match in re.finditer(r"[^ \t]+", text):
        atoms: list[Atom] = []
        start = match.start()
        for index, piece in enumerate(match.group().split(",")):
            column = start + 1
            start += len(piece) + 1
            if not piece:
                # Point at the comma itself: the one before the missing atom, or a leading one.
                errors.append(SelectorError(
                    "a comma with no atom " + ("before" if index == 0 else "after") + " it: write an atom on "
                    "each side of a comma (`a,b` is both, `a b` is either)", column if index == 0 else column - 1))
                continue
            atom, error = _atom(piece, column)
            if error is not None:
                errors.append(error)
            elif atom is not None:
                atoms.append(atom)
        if atoms:
            terms.append(tuple(atoms))
    if not text.strip(" \t"):
        errors.append(SelectorError("the expression is empty", 1))
    if errors:
        return None, tuple(errors)
    return Selector(text, tuple(terms)), ()


def _atom(piece: str, column: int) -> tuple[Atom | None, SelectorError | None]:
    upstream = piece.startswith("+")
    downstream = piece.endswith("+") and len(piece) > 1
    body = piece[1 if upstream else 0: len(piece) - 1 if downstream else len(piece)]
    body_column = column + (1 if upstream else 0)
    if not body:
        return None, SelectorError("`+` names nothing: write `+ID` (and what it depends on) or `ID+` "
                                   "(and what depends on it)", column)
    method, colon, value = body.partition(":")
    if not colon:
        method, value = "", body
    value_column = body_column + (len(method) + 1 if colon else 0)
    if colon:
        if not method:
            return None, SelectorError("`:` without a method before it (e.g. `kind:goal`)", body_column)
        if method not in METHODS:
            from opsplan.diagnostics import did_you_mean

            hint = did_you_mean(method, sorted(METHODS))
            return None, SelectorError(f"unknown method `{method}:`" + (f"; {hint}" if hint else "")
                                       + f" (methods: {', '.join(sorted(METHODS))})", body_column)
        if not value:
            return None, SelectorError(f"`{method}:` needs a value after the colon", value_column)
    if not _NAME.fullmatch(value):
        return None, _bad_character(value, value_column)
    return Atom(method, value, upstream, downstream, column, value_column), None


def _bad_character(value: str, column: int) -> SelectorError:
    for offset, character in enumerate(value):
        if not _NAME_CHARACTER.fullmatch(character):
            shown = character if character.isprintable() else f"U+{ord(character):04X}"
            why = ("ids are lower case" if character.isupper()
                   else "`+` only stands at the start or end of an atom" if character == "+"
                   else "ids hold a-z, 0-9 and `-` (KPIs `.`, budget lines `/`)")
            return SelectorError(f"unexpected `{shown}`: {why}", column + offset)
    return SelectorError("an id starts with a letter or digit", column)
