"""One selector language for every command: `ls`, `report`, `export` and `graph` choose entities
with the same expressions (docs/select.md)."""

from __future__ import annotations

from dataclasses import dataclass

from opsplan.model import Plan
from opsplan.render.escape import text as escape_text
from opsplan.select.evaluate import STATUSES, evaluate, subtree
from opsplan.select.grammar import METHODS, Atom, Selector, SelectorError, parse
from opsplan.select.universe import Entity, Universe, graph_universe, line_ref, plan_universe

__all__ = ["METHODS", "STATUSES", "Atom", "Entity", "Selection", "Selector", "SelectorError", "Universe",
           "choose", "describe_error", "evaluate", "graph_universe", "line_ref", "parse", "plan_universe",
           "subtree"]


@dataclass(frozen=True, slots=True)
class Selection:
    """The keys an expression (less its exclusions) selects, or its mistakes, each described."""

    keys: frozenset[str]
    errors: tuple[str, ...]


def choose(plan: Plan, universe: Universe, expression: str | None, exclude: str | None = None) -> Selection:
    """Apply ``--select`` (everything when None) less ``--exclude``; mistakes of both, each once."""
    errors: list[str] = []
    chosen = frozenset(universe.entities)
    for option, text in (("--select", expression), ("--exclude", exclude)):
        if text is None:
            continue
        selector, mistakes = parse(text)
        if selector is not None:
            keys, mistakes = evaluate(selector, universe, plan)
            chosen = keys if option == "--select" else chosen - keys
        errors.extend(describe_error(option, text, mistake) for mistake in mistakes)
    return Selection(frozenset() if errors else chosen, tuple(errors))


def describe_error(option: str, text: str, error: SelectorError) -> str:
    """A mistake as people read it: the message with its column, then the expression and a caret
    under the column (the expression escaped, so it cannot carry a control sequence)."""
    shown = escape_text(text)
    caret = len(escape_text(text[: error.column - 1]))
    return f"{option} column {error.column}: {error.message}\n  {shown}\n  {' ' * caret}^"
