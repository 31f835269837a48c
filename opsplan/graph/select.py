"""Selection on a view's graph, in the selector language of :mod:`opsplan.select` (the one
every command uses; docs/select.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from opsplan.model import Plan

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True, slots=True)
class Selection:
    """The node keys an expression selects, or the reasons it could not be read."""

    nodes: frozenset[str]
    errors: tuple[str, ...]


def select(plan: Plan, graph: nx.DiGraph, expression: str | None, exclude: str | None = None,
           statuses: Mapping[str, frozenset[str]] | None = None) -> Selection:
    """``statuses`` (entity key -> the report's statuses for it) lets `status:` choose nodes; without
    it a `status:` atom is a mistake."""
    from opsplan.select import choose, graph_universe

    universe = graph_universe(graph)
    universe.statuses = statuses
    chosen = choose(plan, universe, expression, exclude)
    return Selection(chosen.keys, chosen.errors)


def restrict(graph: nx.DiGraph, selection: Selection) -> nx.DiGraph:
    """The view's graph cut down to the selected nodes (and the edges between them)."""
    selected: nx.DiGraph = graph.subgraph(selection.nodes).copy()
    selected.graph = dict(graph.graph)
    return selected
