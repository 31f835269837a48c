"""A view's graph as networkx node-link JSON with every attribute, and `--analyze` as JSON: sorted,
Decimals as strings."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from opsplan.figures import pct
from opsplan.render.escape import json_document

if TYPE_CHECKING:
    import networkx as nx

    from opsplan.graph.analyze import Chain, ProcessAnalysis
    from opsplan.graph.render import Drawing


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def render_graph_json(graph: nx.DiGraph) -> str:
    import networkx as nx

    data = nx.node_link_data(graph, edges="links")
    data["nodes"] = sorted(data["nodes"], key=lambda node: node["id"])
    data["links"] = sorted(data["links"], key=lambda link: (link["source"], link["target"]))
    return json_document(_plain(data), sort_keys=True)


def _chain(chain: Chain) -> dict[str, Any]:
    return {"processes": list(chain.processes), "hours": str(chain.hours)}


def render_analysis_json(analysis: ProcessAnalysis) -> str:
    document = {
        "critical_path": _chain(analysis.critical_path),
        "most_dependants": [{"process": p, "dependants": n} for p, n in analysis.most_dependants],
        "busiest_departments": [{"department": d, "cross_department_edges": n}
                                for d, n in analysis.busiest_departments],
        "isolated_processes": list(analysis.isolated),
        "goal_chains": {goal: _chain(chain) for goal, chain in analysis.goal_chains},
        "bottlenecks": [{"process": p, "planned_utilisation": pct(u)} for p, u in analysis.bottlenecks],
    }
    return json_document(document, sort_keys=True)


def render_view(graph: nx.DiGraph, drawing: Drawing) -> str:
    """The node-link JSON `opsplan graph --format json` writes (a text format: ``drawing`` has nothing to say to it)."""
    return render_graph_json(graph)
