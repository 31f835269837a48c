"""The plan's graphs, one per view: what each node and edge is; renderers decide how it looks.

Every graph is a networkx ``DiGraph`` built from :mod:`opsplan.graph.nodes`. Edges point the
way work flows: from a dependency to what depends on it. How a view is laid out lives in
:mod:`opsplan.graph.layout`, the analyses of the process graph in :mod:`opsplan.graph.analyze`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from opsplan.figures import pct

# The layout and chain names are importable from here too: a view is built, then drawn or walked,
# and callers (the report's goal pictures and gaps) ask one module for all of it.
from opsplan.graph.analyze import cross_department_counts, goal_chain, longest_chains
from opsplan.graph.layout import LARGE_GRAPH, Layout, choose_layout, collapse_clusters
from opsplan.graph.nodes import add_node, cluster_members, new_graph, node_key
from opsplan.graph.utilisation import bottleneck_ids, planned_utilisations
from opsplan.model import Plan, Process

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["LARGE_GRAPH", "VIEWS", "Layout", "build_graph", "choose_layout", "cluster_members",
           "collapse_clusters", "department_graph", "goal_chain", "goal_graph", "longest_chains", "node_key",
           "org_graph", "process_graph", "program_graph", "rolled_up_headcount", "unsupported_goals"]

VIEWS = ("org", "processes", "departments", "goals", "programs")


def build_graph(plan: Plan, view: str) -> nx.DiGraph:
    """The graph of one view (see ``VIEWS``)."""
    builders = {"org": org_graph, "processes": process_graph, "departments": department_graph,
                "goals": goal_graph, "programs": program_graph}
    return builders[view](plan)


def _add_department(graph: nx.DiGraph, plan: Plan, department_id: str) -> str:
    department = plan.departments[department_id]
    return add_node(graph, "department", department_id, department.name, owner=department_id,
                    tags=department.tags)


def rolled_up_headcount(plan: Plan) -> dict[str, int]:
    """Each department's headcount plus that of all its sub-departments."""
    children = plan.children()
    totals: dict[str, int] = {}
    for department_id in plan.departments:
        _total_headcount(plan, children, totals, department_id, frozenset({department_id}))
    return totals


def _total_headcount(plan: Plan, children: Mapping[str, list[str]], totals: dict[str, int], department_id: str,
                     seen: frozenset[str]) -> int:
    # A function of its own: a closure calling itself is a reference cycle, and the command line
    # runs without the cyclic collector.
    if department_id in totals:
        return totals[department_id]
    own = plan.departments[department_id].headcount or 0
    value = own + sum(_total_headcount(plan, children, totals, child, seen | {child})
                      for child in children[department_id] if child not in seen)
    totals[department_id] = value
    return value


def org_graph(plan: Plan) -> nx.DiGraph:
    """The department tree: parent -> sub-department."""
    graph = new_graph(plan, "org")
    rolled_up = rolled_up_headcount(plan)
    for department in plan.departments.values():
        lines = [department.name]
        if department.head:
            lines.append(f"head: {department.head}")
        own = department.headcount if department.headcount is not None else "-"
        lines.append(f"headcount: {own} (total {rolled_up[department.id]})")
        add_node(graph, "department", department.id, "\n".join(lines), owner=department.id,
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
    """Processes clustered by owning department, ``depends_on`` edges, dashed ``serves`` edges;
    with capacity and demand, each process's planned utilisation and the bottlenecks."""
    graph = new_graph(plan, "processes")
    utilisation = planned_utilisations(plan)
    worst = bottleneck_ids(plan, utilisation) if utilisation else set()
    graph.graph["utilisation"] = bool(utilisation)
    for process in plan.processes.values():
        if process.owner in plan.departments:
            graph.graph["clusters"][process.owner] = plan.departments[process.owner].name
        label = _process_label(process)
        if process.id in utilisation:
            label += f"\nutilisation: {pct(utilisation[process.id])}%" + (" (bottleneck)" if process.id in worst else "")
        add_node(graph, "process", process.id, label, owner=process.owner,
                 cluster=process.owner if process.owner in plan.departments else None,
                 tags=process.tags, role=process.type.value,
                 cycle_hours=process.cycle_time.hours if process.cycle_time else None,
                 utilisation=utilisation.get(process.id), bottleneck=process.id in worst)
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
    graph = new_graph(plan, "departments")
    for department_id in plan.departments:
        _add_department(graph, plan, department_id)
    for (source, target), count in sorted(cross_department_counts(plan).items()):
        graph.add_edge(node_key("department", source), node_key("department", target),
                       relation="depends_on", weight=count)
    return graph


def unsupported_goals(plan: Plan) -> list[str]:
    """Goals that nothing supports, neither directly nor through a sub-goal: OPS601's definition."""
    from opsplan.rules.hygiene import supported_goals

    supported = supported_goals(plan)
    return [goal_id for goal_id in plan.goals if goal_id not in supported]


def goal_graph(plan: Plan) -> nx.DiGraph:
    """The strategy map: goal cascade, the work supporting each goal, the KPI it measures."""
    graph = new_graph(plan, "goals")
    flagged = set(unsupported_goals(plan))
    for goal in plan.goals.values():
        label = goal.title if goal.id not in flagged else f"{goal.title}\n(no support)"
        add_node(graph, "goal", goal.id, label, owner=goal.owner, tags=goal.tags,
                 role="unsupported-goal" if goal.id in flagged else "goal", flagged=goal.id in flagged)
    kpis = plan.kpis
    for goal in plan.goals.values():
        target = node_key("goal", goal.id)
        if goal.parent is not None and goal.parent in plan.goals:
            graph.add_edge(node_key("goal", goal.parent), target, relation="parent")
        for supporter in goal.supported_by:
            if supporter in plan.processes:
                process = plan.processes[supporter]
                source = add_node(graph, "process", supporter, process.name, owner=process.owner,
                                  tags=process.tags, role=process.type.value)
            elif supporter in plan.programs:
                program = plan.programs[supporter]
                source = add_node(graph, "program", supporter, program.name, owner=program.owner,
                                  tags=program.tags, role="program")
            else:
                continue
            graph.add_edge(source, target, relation="supported_by")
        kpi = kpis.get(goal.measure.kpi or "")
        if kpi is not None:
            owner = plan.processes[kpi.process].owner
            source = add_node(graph, "kpi", kpi.ref, f"{kpi.name}\n({kpi.ref})", owner=owner, role="kpi")
            graph.add_edge(source, target, relation="measures")
    return graph


def program_graph(plan: Plan) -> nx.DiGraph:
    """Programs on their dependencies, with the processes each one improves."""
    graph = new_graph(plan, "programs")
    for program in plan.programs.values():
        label = f"{program.name}\n{program.type.value}, {program.start} to {program.end}"
        add_node(graph, "program", program.id, label, owner=program.owner, tags=program.tags,
                 role=f"program-{program.type.value}")
    for program in plan.programs.values():
        for dependency in program.depends_on:
            if dependency in plan.programs:
                graph.add_edge(node_key("program", dependency), node_key("program", program.id),
                               relation="depends_on")
        for improved in program.improves:
            if improved in plan.processes:
                process = plan.processes[improved]
                target = add_node(graph, "process", improved, process.name, owner=process.owner,
                                  tags=process.tags, role=process.type.value)
                graph.add_edge(node_key("program", program.id), target, relation="improves")
    return graph
