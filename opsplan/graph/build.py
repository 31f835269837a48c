"""The plan's graphs (one per view) and the analyses run on the process dependency graph.

Every graph is a networkx ``DiGraph`` whose node keys are ``kind:id`` (ids are unique only
within a kind) and whose attributes say what a node or edge *is*; renderers decide how it
looks. Edges point the way work flows: from a dependency to what depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from opsplan.model import Goal, Plan, Process

if TYPE_CHECKING:
    import networkx as nx

VIEWS = ("org", "processes", "departments", "goals", "programs")

# Node attributes every view sets: kind, id, label, cluster (a department id or None),
# owner (a department id or None), tags (sorted tuple), role (a styling class), flagged (bool).


def node_key(kind: str, entity_id: str) -> str:
    return f"{kind}:{entity_id}"


def build_graph(plan: Plan, view: str) -> nx.DiGraph:
    """The graph of one view (see ``VIEWS``)."""
    builders = {"org": org_graph, "processes": process_graph, "departments": department_graph,
                "goals": goal_graph, "programs": program_graph}
    return builders[view](plan)


def _new_graph(plan: Plan, view: str) -> nx.DiGraph:
    import networkx as nx

    graph = nx.DiGraph(view=view)
    graph.graph["clusters"] = {}
    graph.graph["title"] = f"{plan.settings.organization.name}: {view}"
    return graph


def _add_node(graph: nx.DiGraph, kind: str, entity_id: str, label: str, *, owner: str | None = None,
              cluster: str | None = None, tags: tuple[str, ...] = (), role: str = "",
              flagged: bool = False, **extra: Any) -> str:
    key = node_key(kind, entity_id)
    graph.add_node(key, kind=kind, id=entity_id, label=label, owner=owner, cluster=cluster,
                   tags=tuple(sorted(tags)), role=role or kind, flagged=flagged, **extra)
    return key


def _add_department(graph: nx.DiGraph, plan: Plan, department_id: str) -> str:
    department = plan.departments[department_id]
    return _add_node(graph, "department", department_id, department.name, owner=department_id,
                     tags=department.tags)


def rolled_up_headcount(plan: Plan) -> dict[str, int]:
    """Each department's headcount plus that of all its sub-departments."""
    children = plan.children()
    totals: dict[str, int] = {}

    def total(department_id: str, seen: frozenset[str]) -> int:
        if department_id in totals:
            return totals[department_id]
        own = plan.departments[department_id].headcount or 0
        value = own + sum(total(child, seen | {child}) for child in children[department_id]
                          if child not in seen)
        totals[department_id] = value
        return value

    for department_id in plan.departments:
        total(department_id, frozenset({department_id}))
    return totals


def org_graph(plan: Plan) -> nx.DiGraph:
    """The department tree: parent -> sub-department."""
    graph = _new_graph(plan, "org")
    rolled_up = rolled_up_headcount(plan)
    for department in plan.departments.values():
        lines = [department.name]
        if department.head:
            lines.append(f"head: {department.head}")
        own = department.headcount if department.headcount is not None else "-"
        lines.append(f"headcount: {own} (total {rolled_up[department.id]})")
        _add_node(graph, "department", department.id, "\n".join(lines), owner=department.id,
                  tags=department.tags, headcount=department.headcount,
                  headcount_total=rolled_up[department.id])
    for department in plan.departments.values():
        if department.parent is not None and department.parent in plan.departments:
            graph.add_edge(node_key("department", department.parent), node_key("department", department.id),
                           relation="parent")
    return graph


def _process_label(process: Process) -> str:
    if process.cycle_time is None:
        return process.name
    return f"{process.name}\ncycle time: {process.cycle_time}"


def process_graph(plan: Plan) -> nx.DiGraph:
    """Processes clustered by owning department, ``depends_on`` edges, dashed ``serves`` edges."""
    graph = _new_graph(plan, "processes")
    for process in plan.processes.values():
        if process.owner in plan.departments:
            graph.graph["clusters"][process.owner] = plan.departments[process.owner].name
        _add_node(graph, "process", process.id, _process_label(process), owner=process.owner,
                  cluster=process.owner if process.owner in plan.departments else None,
                  tags=process.tags, role=process.type.value,
                  cycle_hours=process.cycle_time.hours if process.cycle_time else None)
    for process in plan.processes.values():
        for dependency in process.depends_on:
            if dependency in plan.processes:
                graph.add_edge(node_key("process", dependency), node_key("process", process.id),
                               relation="depends_on")
        for served in process.serves:
            if served in plan.departments:
                target = _add_department(graph, plan, served)
                graph.add_edge(node_key("process", process.id), target, relation="serves")
    return graph


def department_graph(plan: Plan) -> nx.DiGraph:
    """Departments linked where one's processes feed another's; weight = how many such links."""
    graph = _new_graph(plan, "departments")
    for department_id in plan.departments:
        _add_department(graph, plan, department_id)
    for (source, target), count in sorted(_cross_department_counts(plan).items()):
        graph.add_edge(node_key("department", source), node_key("department", target),
                       relation="depends_on", weight=count)
    return graph


def _cross_department_counts(plan: Plan) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for process in plan.processes.values():
        for dependency_id in process.depends_on:
            dependency = plan.processes.get(dependency_id)
            if dependency is None or dependency.owner == process.owner:
                continue
            if dependency.owner in plan.departments and process.owner in plan.departments:
                pair = (dependency.owner, process.owner)
                counts[pair] = counts.get(pair, 0) + 1
    return counts


def unsupported_goals(plan: Plan) -> list[str]:
    """Goals that nothing supports, neither directly nor through a sub-goal: OPS601's definition."""
    from opsplan.rules.hygiene import supported_goals

    supported = supported_goals(plan)
    return [goal_id for goal_id in plan.goals if goal_id not in supported]


def goal_graph(plan: Plan) -> nx.DiGraph:
    """The strategy map: goal cascade, the work supporting each goal, the KPI it measures."""
    graph = _new_graph(plan, "goals")
    flagged = set(unsupported_goals(plan))
    for goal in plan.goals.values():
        label = goal.title if goal.id not in flagged else f"{goal.title}\n(no support)"
        _add_node(graph, "goal", goal.id, label, owner=goal.owner, tags=goal.tags,
                  role="unsupported-goal" if goal.id in flagged else "goal", flagged=goal.id in flagged)
    kpis = plan.kpis
    for goal in plan.goals.values():
        target = node_key("goal", goal.id)
        if goal.parent is not None and goal.parent in plan.goals:
            graph.add_edge(node_key("goal", goal.parent), target, relation="parent")
        for supporter in goal.supported_by:
            if supporter in plan.processes:
                process = plan.processes[supporter]
                source = _add_node(graph, "process", supporter, process.name, owner=process.owner,
                                   tags=process.tags, role=process.type.value)
            elif supporter in plan.programs:
                program = plan.programs[supporter]
                source = _add_node(graph, "program", supporter, program.name, owner=program.owner,
                                   tags=program.tags, role="program")
            else:
                continue
            graph.add_edge(source, target, relation="supported_by")
        kpi = kpis.get(goal.measure.kpi or "")
        if kpi is not None:
            owner = plan.processes[kpi.process].owner
            source = _add_node(graph, "kpi", kpi.ref, f"{kpi.name}\n({kpi.ref})", owner=owner, role="kpi")
            graph.add_edge(source, target, relation="measures")
    return graph


def program_graph(plan: Plan) -> nx.DiGraph:
    """Programs on their dependencies, with the processes each one improves."""
    graph = _new_graph(plan, "programs")
    for program in plan.programs.values():
        label = f"{program.name}\n{program.type.value}, {program.start} to {program.end}"
        _add_node(graph, "program", program.id, label, owner=program.owner, tags=program.tags,
                  role=f"program-{program.type.value}")
    for program in plan.programs.values():
        for dependency in program.depends_on:
            if dependency in plan.programs:
                graph.add_edge(node_key("program", dependency), node_key("program", program.id),
                               relation="depends_on")
        for improved in program.improves:
            if improved in plan.processes:
                process = plan.processes[improved]
                target = _add_node(graph, "process", improved, process.name, owner=process.owner,
                                   tags=process.tags, role=process.type.value)
                graph.add_edge(node_key("program", program.id), target, relation="improves")
    return graph


def _plural(kind: str, count: int) -> str:
    if count == 1:
        return f"1 {kind}"
    return f"{count} {kind}es" if kind.endswith("s") else f"{count} {kind}s"


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
        counts = ", ".join(_plural(kind, count) for kind, count in sorted(kinds.items()))
        served = collapsed.nodes.get(node_key("department", cluster), {})
        _add_node(collapsed, "department", cluster, f"{clusters[cluster]}\n{counts}", owner=cluster,
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


# --- how a view is drawn: node by node, or as an overview ----------------------------------

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


# --- analyses on the process dependency graph ------------------------------------------------

@dataclass(frozen=True, slots=True)
class Chain:
    """A chain of processes, each depending on the one before, and its summed cycle time."""

    processes: tuple[str, ...]
    hours: Decimal


@dataclass(frozen=True, slots=True)
class ProcessAnalysis:
    critical_path: Chain
    most_dependants: tuple[tuple[str, int], ...]  # process id, transitive dependants
    busiest_departments: tuple[tuple[str, int], ...]  # department id, cross-department edges
    isolated: tuple[str, ...]
    goal_chains: tuple[tuple[str, Chain], ...]  # goal id, longest chain ending at its work


def _dependencies(plan: Plan) -> nx.DiGraph:
    """Processes only, dependency -> dependant."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(plan.processes))
    for process in plan.processes.values():
        graph.add_edges_from((dependency, process.id) for dependency in process.depends_on
                             if dependency in plan.processes)
    return graph


def _cycle_hours(plan: Plan, process_id: str) -> Decimal:
    cycle_time = plan.processes[process_id].cycle_time
    return cycle_time.hours if cycle_time is not None else Decimal(0)


def longest_chains(plan: Plan) -> dict[str, Chain]:
    """For each process, the longest chain (by cycle time) that ends at it.

    Ties go to the chain whose previous process id sorts first, so results are stable.
    """
    import networkx as nx

    graph = _dependencies(plan)
    if not nx.is_directed_acyclic_graph(graph):
        return {}  # OPS rules report the cycle; there is no longest path to speak of
    best: dict[str, Chain] = {}
    for process_id in nx.lexicographical_topological_sort(graph):
        own = _cycle_hours(plan, process_id)
        before = max((best[p] for p in sorted(graph.predecessors(process_id))),
                     key=lambda chain: chain.hours, default=Chain((), Decimal(0)))
        best[process_id] = Chain((*before.processes, process_id), before.hours + own)
    return best


def goal_work(plan: Plan, goal: Goal) -> set[str]:
    """The processes a goal's work runs through: those supporting it, and those its supporting
    programs improve."""
    work = set(goal.supported_by) & set(plan.processes)
    for supporter in goal.supported_by:
        if supporter in plan.programs:
            work.update(p for p in plan.programs[supporter].improves if p in plan.processes)
    return work


def goal_chain(plan: Plan, goal: Goal, chains: dict[str, Chain]) -> Chain:
    """The longest chain of processes (by cycle time) ending at the goal's work; ``chains`` is
    ``longest_chains(plan)``, computed once for all goals."""
    candidates = sorted((chains[p] for p in goal_work(plan, goal) if p in chains), key=lambda chain: chain.processes)
    return max(candidates, key=lambda chain: chain.hours, default=Chain((), Decimal(0)))


def critical_path(plan: Plan) -> tuple[list[str], Decimal]:
    """The longest chain of dependent processes by summed ``cycle_time`` (hours)."""
    chains = longest_chains(plan)
    if not chains:
        return [], Decimal(0)
    longest = max(sorted(chains.values(), key=lambda chain: chain.processes),
                  key=lambda chain: chain.hours)
    return list(longest.processes), longest.hours


def analyse_processes(plan: Plan, top: int = 5) -> ProcessAnalysis:
    """Every figure ``opsplan graph --analyze`` reports."""
    import networkx as nx

    graph = _dependencies(plan)
    path, hours = critical_path(plan)
    dependants = sorted(((process_id, len(nx.descendants(graph, process_id))) for process_id in graph),
                        key=lambda item: (-item[1], item[0]))
    department_edges: dict[str, int] = {}
    for (source, target), count in _cross_department_counts(plan).items():
        for department_id in (source, target):
            department_edges[department_id] = department_edges.get(department_id, 0) + count
    busiest = sorted(department_edges.items(), key=lambda item: (-item[1], item[0]))
    isolated = tuple(sorted(process_id for process_id in graph if graph.degree(process_id) == 0))
    chains = longest_chains(plan)
    goal_chains = [(goal.id, goal_chain(plan, goal, chains)) for goal in plan.goals.values()]
    return ProcessAnalysis(
        critical_path=Chain(tuple(path), hours),
        most_dependants=tuple(item for item in dependants[:top] if item[1] > 0),
        busiest_departments=tuple(busiest[:top]),
        isolated=isolated,
        goal_chains=tuple(sorted(goal_chains, key=lambda item: item[0])),
    )
