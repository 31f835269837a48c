"""A view's graph as networkx node-link JSON with every attribute: sorted, Decimals as strings."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from opsplan.render.escape import json_document, text

if TYPE_CHECKING:
    import networkx as nx

    from opsplan.graph.build import Chain, ProcessAnalysis


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
    }
    return json_document(document, sort_keys=True)


def render_analysis_text(analysis: ProcessAnalysis) -> str:
    def chain_text(chain: Chain) -> str:
        return " -> ".join(chain.processes) + f"  ({chain.hours:f} h)" if chain.processes else "(none)"

    lines = ["Critical path (longest chain by cycle time):", f"  {chain_text(analysis.critical_path)}", "",
             "Most dependants (single points of failure):"]
    lines += [f"  {p}: {n} dependant processes" for p, n in analysis.most_dependants] or ["  (none)"]
    lines += ["", "Departments on the most cross-department edges:"]
    lines += [f"  {d}: {n}" for d, n in analysis.busiest_departments] or ["  (none)"]
    lines += ["", "Isolated processes:"]
    lines += [f"  {p}" for p in analysis.isolated] or ["  (none)"]
    lines += ["", "Longest dependency chain per goal:"]
    lines += [f"  {goal}: {chain_text(chain)}" for goal, chain in analysis.goal_chains] or ["  (none)"]
    return "\n".join(text(line) for line in lines) + "\n"
