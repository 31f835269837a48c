"""What every view's graph is made of: node keys, the attributes each node carries, clusters.

Node keys are ``kind:id`` (ids are unique only within a kind); attributes say what a node or
edge *is*, and renderers decide how it looks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opsplan.model import Plan

if TYPE_CHECKING:
    import networkx as nx

# Node attributes every view sets: kind, id, label, cluster (a department id or None),
# owner (a department id or None), tags (sorted tuple), role (a styling class), flagged (bool).


def node_key(kind: str, entity_id: str) -> str:
    return f"{kind}:{entity_id}"


def new_graph(plan: Plan, view: str) -> nx.DiGraph:
    import networkx as nx

    graph = nx.DiGraph(view=view)
    graph.graph["clusters"] = {}
    graph.graph["title"] = f"{plan.settings.organization.name}: {view}"
    return graph


def add_node(graph: nx.DiGraph, kind: str, entity_id: str, label: str, *, owner: str | None = None,
             cluster: str | None = None, tags: tuple[str, ...] = (), role: str = "",
             flagged: bool = False, **extra: Any) -> str:
    key = node_key(kind, entity_id)
    graph.add_node(key, kind=kind, id=entity_id, label=label, owner=owner, cluster=cluster,
                   tags=tuple(sorted(tags)), role=role or kind, flagged=flagged, **extra)
    return key


def cluster_members(graph: nx.DiGraph) -> tuple[dict[str, list[str]], list[str]]:
    """The nodes of each cluster the view declares, and the nodes in none, all in sorted order
    (so that pictures and their sources are the same from run to run)."""
    clusters: dict[str, str] = graph.graph.get("clusters", {})
    members: dict[str, list[str]] = {}
    loose: list[str] = []
    for node in sorted(graph.nodes):
        cluster = graph.nodes[node].get("cluster")
        (members.setdefault(cluster, []) if cluster in clusters else loose).append(node)
    return members, loose
