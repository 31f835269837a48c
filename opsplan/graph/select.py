"""dbt-style node selection on a view's graph.

``x`` one node, ``+x`` x and everything it depends on, ``x+`` x and everything that depends
on it, ``+x+`` both; ``department:ID`` everything owned by a department or its
sub-departments; ``tag:T`` everything tagged T. Spaces make a union, commas an intersection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from opsplan.diagnostics import did_you_mean
from opsplan.model import Plan

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True, slots=True)
class Selection:
    """The node keys an expression selects, or the reasons it could not be read."""

    nodes: frozenset[str]
    errors: tuple[str, ...]


def select(plan: Plan, graph: nx.DiGraph, expression: str) -> Selection:
    nodes: set[str] = set()
    errors: list[str] = []
    for term in expression.split():
        chosen: set[str] | None = None
        for atom in term.split(","):
            if not atom:
                continue
            found, error = _select_atom(plan, graph, atom)
            if error:
                errors.append(error)
                continue
            chosen = found if chosen is None else chosen & found
        nodes |= chosen or set()
    if not expression.split():
        errors.append("empty --select expression")
    return Selection(frozenset(nodes), tuple(errors))


def _select_atom(plan: Plan, graph: nx.DiGraph, atom: str) -> tuple[set[str], str | None]:
    import networkx as nx

    upstream, downstream = atom.startswith("+"), atom.endswith("+") and len(atom) > 1
    name = atom.strip("+")
    if not name:
        return set(), f"`{atom}` names nothing to select"
    method, _, value = name.partition(":") if ":" in name else ("", "", name)
    if method == "department":
        found, error = _owned_by(plan, graph, value)
    elif method == "tag":
        found, error = _tagged(graph, value)
    elif method in {"process", "program", "goal", "kpi"}:
        found, error = _by_id(graph, name)
    elif method:
        return set(), f"unknown selector `{method}:` (use `department:ID`, `tag:T` or `KIND:ID`)"
    else:
        found, error = _by_id(graph, value)
    if error:
        return set(), error
    result = set(found)
    for node in found:
        if upstream:
            result |= nx.ancestors(graph, node)
        if downstream:
            result |= nx.descendants(graph, node)
    return result, None


def _by_id(graph: nx.DiGraph, entity_id: str) -> tuple[set[str], str | None]:
    found = {node for node, data in graph.nodes(data=True) if data["id"] == entity_id or node == entity_id}
    if found:
        return found, None
    hint = did_you_mean(entity_id, sorted({data["id"] for _, data in graph.nodes(data=True)}))
    view = graph.graph.get("view", "this")
    return set(), f"no `{entity_id}` in the {view} view" + (f"; {hint}" if hint else "")


def _owned_by(plan: Plan, graph: nx.DiGraph, department_id: str) -> tuple[set[str], str | None]:
    if department_id not in plan.departments:
        hint = did_you_mean(department_id, sorted(plan.departments))
        return set(), f"unknown department `{department_id}`" + (f"; {hint}" if hint else "")
    children = plan.children()
    departments, pending = {department_id}, [department_id]
    while pending:
        for child in children[pending.pop()]:
            if child not in departments:
                departments.add(child)
                pending.append(child)
    return {node for node, data in graph.nodes(data=True) if data.get("owner") in departments}, None


def _tagged(graph: nx.DiGraph, tag: str) -> tuple[set[str], str | None]:
    found = {node for node, data in graph.nodes(data=True) if tag in data.get("tags", ())}
    if found:
        return found, None
    tags = sorted({t for _, data in graph.nodes(data=True) for t in data.get("tags", ())})
    hint = did_you_mean(tag, tags)
    view = graph.graph.get("view", "this")
    return set(), f"nothing is tagged `{tag}` in the {view} view" + (f"; {hint}" if hint else "")


def restrict(graph: nx.DiGraph, selection: Selection) -> nx.DiGraph:
    """The view's graph cut down to the selected nodes (and the edges between them)."""
    selected: nx.DiGraph = graph.subgraph(selection.nodes).copy()
    selected.graph = dict(graph.graph)
    return selected
