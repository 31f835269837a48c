"""A Mermaid ``flowchart`` of a view's graph, for Markdown that GitHub renders (pull requests).

Node ids are made of letters, digits and ``_`` only; every label is a quoted ``["..."]``
string in which anything Mermaid could read as syntax or markup is an entity code
(``#quot;``, ``#lt;``, ``#35;`` ...), so plan text always shows as text. One edge per line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from opsplan.graph.nodes import cluster_members
from opsplan.graph.utilisation import BANDS, band
from opsplan.render.escape import mermaid_label

if TYPE_CHECKING:
    import networkx as nx

    from opsplan.graph.render import Drawing

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_]+")
CLASSES = {
    "core": "fill:#dbeafe,stroke:#1d4ed8",
    "support": "fill:#f3f4f6,stroke:#6b7280,stroke-dasharray:4 2",
    "management": "fill:#fef3c7,stroke:#b45309",
    "department": "fill:#e5e7eb,stroke:#374151",
    "goal": "fill:#dcfce7,stroke:#15803d",
    "unsupported": "fill:#fee2e2,stroke:#b91c1c,stroke-width:2px",
    "kpi": "fill:#fefce8,stroke:#a16207",
    "program": "fill:#ede9fe,stroke:#6d28d9",
}
_ARROWS = {"serves": "-.->", "improves": "-.->", "measures": "-.->", "parent": "---"}


def label(text: str) -> str:
    """A quoted Mermaid label showing ``text`` as written (line breaks as ``<br/>``)."""
    return mermaid_label(text)


def safe_ids(keys: list[str]) -> dict[str, str]:
    """Mermaid ids for node keys: readable, unique, ``[A-Za-z0-9_]`` only, stable for sorted keys."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for key in sorted(keys):
        base = _UNSAFE_ID.sub("_", key).strip("_") or "node"
        candidate, suffix = base, 2
        while candidate in used:
            candidate, suffix = f"{base}_{suffix}", suffix + 1
        used.add(candidate)
        ids[key] = candidate
    return ids


def _class(role: str) -> str:
    if role.startswith("program"):
        return "program"
    return "unsupported" if role == "unsupported-goal" else role


def render_mermaid(graph: nx.DiGraph, *, direction: str = "LR") -> str:
    ids = safe_ids(list(graph.nodes))
    lines = [f"flowchart {direction}"]
    clusters: dict[str, str] = graph.graph.get("clusters", {})
    members, loose = cluster_members(graph)
    cluster_ids = safe_ids([f"cluster:{cluster}" for cluster in members])
    for cluster in sorted(members):
        lines.append(f"  subgraph {cluster_ids[f'cluster:{cluster}']}{label(clusters[cluster])}")
        lines.extend(f"    {ids[node]}{label(graph.nodes[node]['label'])}" for node in members[cluster])
        lines.append("  end")
    lines.extend(f"  {ids[node]}{label(graph.nodes[node]['label'])}" for node in loose)
    for source, target in sorted(graph.edges):
        data = graph.edges[source, target]
        arrow = _ARROWS.get(str(data.get("relation", "")), "-->")
        text = f"|{data['weight']}|" if "weight" in data else ""
        lines.append(f"  {ids[source]} {arrow}{text} {ids[target]}")
    roles: dict[str, list[str]] = {}
    for node in sorted(graph.nodes):
        utilisation = graph.nodes[node].get("utilisation")
        role = band(utilisation).name if utilisation is not None else _class(str(graph.nodes[node].get("role", "")))
        roles.setdefault(role, []).append(ids[node])
    styles = {**CLASSES, **{shade.name: f"fill:{shade.fill},stroke:{shade.stroke}" for shade in BANDS}}
    for role in sorted(roles):
        if role in styles:
            lines.append(f"  classDef {role} {styles[role]}")
            lines.append(f"  class {','.join(roles[role])} {role}")
    return "\n".join(lines) + "\n"


def render_view(graph: nx.DiGraph, drawing: Drawing) -> str:
    """The Mermaid flowchart `opsplan graph --format mermaid` writes (a text format: ``drawing`` has nothing to say to it)."""
    return render_mermaid(graph)
