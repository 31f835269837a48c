"""Graphviz DOT source for a view's graph: sorted, so the same plan gives the same bytes.

Every string is a quoted DOT string (never an HTML label), so nothing a plan says is read
as markup: quotes and backslashes are escaped, newlines become ``\\n`` line breaks, ``&``
becomes ``&amp;`` (Graphviz decodes character entities inside ordinary labels) and other control
characters show as escapes (see :func:`opsplan.render.escape.dot_string`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opsplan.graph.nodes import cluster_members
from opsplan.graph.utilisation import BANDS, band
from opsplan.render.escape import dot_string

if TYPE_CHECKING:
    import networkx as nx

    from opsplan.graph.render import Drawing

# How each kind of node looks (the graph says what a node is; this says how to draw it).
NODE_STYLES: dict[str, dict[str, str]] = {
    "core": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dbeafe", "color": "#1d4ed8"},
    "support": {"shape": "box", "style": "filled,dashed", "fillcolor": "#f3f4f6", "color": "#6b7280"},
    "management": {"shape": "box", "style": "rounded,filled", "fillcolor": "#fef3c7", "color": "#b45309"},
    "department": {"shape": "folder", "style": "filled", "fillcolor": "#e5e7eb", "color": "#374151"},
    "goal": {"shape": "ellipse", "style": "filled", "fillcolor": "#dcfce7", "color": "#15803d"},
    "unsupported-goal": {"shape": "ellipse", "style": "filled,bold", "fillcolor": "#fee2e2",
                         "color": "#b91c1c", "penwidth": "2"},
    "kpi": {"shape": "note", "style": "filled", "fillcolor": "#fefce8", "color": "#a16207"},
    "program": {"shape": "hexagon", "style": "filled", "fillcolor": "#ede9fe", "color": "#6d28d9"},
}
EDGE_STYLES: dict[str, dict[str, str]] = {
    "depends_on": {},
    "serves": {"style": "dashed", "color": "#6b7280"},
    "parent": {"arrowhead": "none"},
    "supported_by": {"color": "#15803d"},
    "measures": {"style": "dotted", "color": "#a16207"},
    "improves": {"style": "dashed", "color": "#6d28d9"},
}
FONT = "Helvetica"
# Force-directed layouts leave nodes on top of each other unless told otherwise; `scale` spreads
# them apart and, unlike `prism`, needs nothing that Graphviz compiled to WebAssembly lacks.
FORCE_DIRECTED = frozenset({"neato", "fdp", "sfdp"})


def quote(text: str) -> str:
    """A DOT quoted string that Graphviz shows exactly as ``text``."""
    return dot_string(text)


def _attributes(values: dict[str, Any]) -> str:
    if not values:
        return ""
    return " [" + ", ".join(f"{key}={quote(str(value))}" for key, value in sorted(values.items())) + "]"


def _node_style(data: dict[str, Any]) -> dict[str, str]:
    role = str(data.get("role", ""))
    if role.startswith("program"):
        role = "program"
    style = dict(NODE_STYLES.get(role, {}))
    if data.get("utilisation") is not None:  # the colour scale replaces the type's fill
        shade = band(data["utilisation"])
        style.update(fillcolor=shade.fill, color=shade.stroke)
        if data.get("bottleneck"):
            style.update(penwidth="3")
    return style


def _legend() -> list[str]:
    """The utilisation bands, as a small cluster of filled boxes."""
    lines = ["  subgraph \"cluster_legend\" {",
             "    graph [label=\"planned utilisation\", style=\"rounded\", color=\"#9ca3af\"];"]
    for shade in BANDS:
        lines.append(f"    {quote('legend:' + shade.name)}"
                     f"{_attributes({'label': shade.legend, 'shape': 'box', 'style': 'filled', 'fillcolor': shade.fill, 'color': shade.stroke})};")
    lines.append("  }")
    return lines


def render_dot(graph: nx.DiGraph, *, rankdir: str = "LR", spread: bool = False) -> str:
    """DOT source of the graph; ``spread`` asks force-directed layouts to keep nodes apart."""
    title = str(graph.graph.get("title", "plan"))
    overlap = ', overlap="scale"' if spread else ""
    lines = [
        f"digraph {quote(title)} {{",
        f"  graph [fontname={quote(FONT)}, label={quote(title)}, labelloc=\"t\"{overlap}, rankdir={quote(rankdir)}];",
        f"  node [fontname={quote(FONT)}, fontsize=\"10\"];",
        f"  edge [fontname={quote(FONT)}, fontsize=\"9\"];",
    ]
    clusters: dict[str, str] = graph.graph.get("clusters", {})
    members, loose = cluster_members(graph)

    def node_line(node: str, indent: str) -> str:
        data = graph.nodes[node]
        return f"{indent}{quote(node)}{_attributes({'label': data['label'], **_node_style(data)})};"

    for cluster in sorted(members):
        lines.append(f"  subgraph {quote('cluster_' + cluster)} {{")
        lines.append(f"    graph [label={quote(clusters[cluster])}, style=\"rounded\", color=\"#9ca3af\"];")
        lines.extend(node_line(node, "    ") for node in members[cluster])
        lines.append("  }")
    lines.extend(node_line(node, "  ") for node in loose)
    if graph.graph.get("utilisation"):
        lines.extend(_legend())
    for source, target in sorted(graph.edges):
        data = graph.edges[source, target]
        style = dict(EDGE_STYLES.get(str(data.get("relation", "")), {}))
        if "weight" in data:
            style.update(label=str(data["weight"]), penwidth=str(min(1 + int(data["weight"]) // 2, 6)))
        lines.append(f"  {quote(source)} -> {quote(target)}{_attributes(style)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_view(graph: nx.DiGraph, drawing: Drawing) -> str:
    """DOT source, as `opsplan graph --format dot` writes it (a text format: ``drawing`` has nothing to say to it)."""
    return render_dot(graph)
