"""How a view is drawn: node by node, or, when it is too large for that, as an overview of one
box per department; and which Graphviz layout engine lays it out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from opsplan.graph.nodes import add_node, node_key
from opsplan.render.words import plural

if TYPE_CHECKING:
    import networkx as nx

# Above this many nodes a picture drawn node by node is slow to make and too dense to read.
LARGE_GRAPH = 500
OVERVIEW_RELATIONS = frozenset({"depends_on", "parent", "supported_by", "measures", "improves"})
# An overview with more links per box than this is a web that `dot`'s layers cannot order (it
# takes seconds to draw a tall tangle); `sfdp` draws it at once.
DENSE_OVERVIEW = 4


@dataclass(frozen=True, slots=True)
class Layout:
    """How a picture gets drawn: which graph (the view, or its overview) with which engine."""

    graph: nx.DiGraph
    engine: str
    notes: tuple[str, ...] = ()  # said on standard error: why opsplan chose this


def choose_layout(graph: nx.DiGraph, engine: str | None) -> Layout:
    """The engine asked for; else `dot`, or, above ``LARGE_GRAPH`` nodes, one box per department
    (when the view groups nodes by department), laid out by `sfdp` when too many or too tangled
    for `dot`'s layers."""
    if engine is not None:
        return Layout(graph, engine)
    nodes = graph.number_of_nodes()
    if nodes <= LARGE_GRAPH:
        return Layout(graph, "dot")
    if graph.graph.get("clusters"):
        # The overview shows how work flows between departments; the many `serves` links
        # would make it a tangle (and `dot` slow), so it leaves them out.
        overview = collapse_clusters(graph, OVERVIEW_RELATIONS)
        boxes, links = overview.number_of_nodes(), overview.number_of_edges()
        layered = boxes <= LARGE_GRAPH and links <= DENSE_OVERVIEW * boxes
        how = "" if layered else f" ({links:,} links: sfdp layout)"
        return Layout(overview, "dot" if layered else "sfdp", (
            f"{nodes:,} nodes: drew one box per department ({boxes:,} boxes) with the dependencies "
            f"between them{how}; pass --engine dot (or sfdp) to draw every node",))
    return Layout(graph, "sfdp", (f"{nodes:,} nodes: using the sfdp layout (faster on large graphs); "
                                  "pass --engine dot to override",))




def collapse_clusters(graph: nx.DiGraph, relations: frozenset[str] | None = None) -> nx.DiGraph:
    """The view with each cluster (a department) drawn as one node that counts its members: the
    overview of a graph too large to draw node by node.

    A cluster's node is its department's node (``department:ID``), so a department that loose
    nodes point at (a process ``serves`` it) is the same box. Edges between two boxes become one
    edge whose ``weight`` says how many edges it stands for; edges inside a box are dropped, and
    so are edges whose relation is not in ``relations`` (when given), with the loose nodes that
    only they reached.
    """
    import networkx as nx

    clusters: dict[str, str] = graph.graph.get("clusters", {})
    collapsed = nx.DiGraph(**{key: value for key, value in graph.graph.items() if key != "clusters"})
    collapsed.graph["clusters"] = {}
    collapsed.graph["collapsed"] = True
    collapsed.graph["title"] = f"{graph.graph.get('title', 'plan')} (one box per department)"
    kept = [(source, target, data) for source, target, data in graph.edges(data=True)
            if relations is None or data.get("relation") in relations]
    reached = {node for source, target, _ in kept for node in (source, target)}
    box: dict[str, str] = {}
    members: dict[str, dict[str, int]] = {}
    for node, data in graph.nodes(data=True):
        cluster = data.get("cluster")
        if cluster in clusters:
            box[node] = node_key("department", cluster)
            kinds = members.setdefault(cluster, {})
            kinds[data["kind"]] = kinds.get(data["kind"], 0) + 1
        elif node in reached or graph.degree(node) == 0:
            box[node] = node
            collapsed.add_node(node, **data)
    for cluster, kinds in members.items():
        counts = ", ".join(plural(count, kind, kind + "es" if kind.endswith("s") else None) for kind, count in sorted(kinds.items()))
        served = collapsed.nodes.get(node_key("department", cluster), {})
        add_node(collapsed, "department", cluster, f"{clusters[cluster]}\n{counts}", owner=cluster,
                 tags=served.get("tags", ()), members=sum(kinds.values()))
    links: dict[tuple[str, str], list[str]] = {}
    for source, target, data in kept:
        pair = (box[source], box[target])
        if pair[0] != pair[1]:
            links.setdefault(pair, []).append(str(data.get("relation", "")))
    for (source, target), relation_names in links.items():
        # One edge per pair: drawn as a dependency when any edge it stands for is one.
        relation = "depends_on" if "depends_on" in relation_names else sorted(relation_names)[0]
        collapsed.add_edge(source, target, relation=relation, weight=len(relation_names))
    return collapsed
