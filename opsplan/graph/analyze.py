"""The analyses of `opsplan graph --analyze`, on the process dependency graph: the critical path,
single points of failure, the busiest departments, isolated processes, each goal's longest chain,
and the bottleneck of each connected part (the highest planned utilisation; the plan has no
actuals here, the report judges on actual volume when it has some)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from opsplan.formulas.chains import chain_to, longest_finishes
from opsplan.graph.utilisation import bottleneck_ids, planned_utilisations
from opsplan.model import Goal, Plan

if TYPE_CHECKING:
    import networkx as nx


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
    # process id and planned utilisation (percent), one per connected part, in plan order
    bottlenecks: tuple[tuple[str, Decimal], ...] = ()


def _dependencies(plan: Plan) -> nx.DiGraph:
    """Processes only, dependency -> dependant."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(plan.processes))
    for process in plan.processes.values():
        graph.add_edges_from((dependency, process.id) for dependency in process.depends_on
                             if dependency in plan.processes)
    return graph


def cross_department_counts(plan: Plan) -> dict[tuple[str, str], int]:
    """How many process dependencies link each (supplying, depending) pair of departments."""
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


def longest_chains(plan: Plan) -> Mapping[str, Chain]:
    """For each process, the longest chain (by cycle time) that ends at it; empty when the
    dependencies have a cycle (OPS302 reports it: there is no longest path to speak of).

    Ties go to the chain whose previous process id sorts first, so results are stable. Each
    chain's processes are listed only when asked for: a report asks for a few goals' chains of a
    plan of thousands of processes.
    """
    predecessors = {process_id: sorted({dependency for dependency in process.depends_on
                                        if dependency in plan.processes})
                    for process_id, process in plan.processes.items()}
    if any(process_id in before for process_id, before in predecessors.items()):
        return {}  # a process depending on itself
    hours, previous = longest_finishes(plan.processes, predecessors)
    if len(hours) < len(predecessors):
        return {}
    return Chains(hours, previous)


class Chains(Mapping[str, Chain]):
    """The longest chain ending at each process, followed back through each one's predecessor
    on it when asked for."""

    def __init__(self, hours: dict[str, Decimal], previous: dict[str, str | None]) -> None:
        self.hours, self.previous = hours, previous

    def __getitem__(self, process_id: str) -> Chain:
        return Chain(chain_to(process_id, self.previous), self.hours[process_id])

    def __contains__(self, process_id: object) -> bool:
        # Mapping's own would follow the chain back (through __getitem__) only to answer yes.
        return process_id in self.hours

    def __iter__(self) -> Iterator[str]:
        return iter(self.hours)

    def __len__(self) -> int:
        return len(self.hours)


def goal_work(plan: Plan, goal: Goal) -> set[str]:
    """The processes a goal's work runs through: those supporting it, and those its supporting
    programs improve."""
    work = {supporter for supporter in goal.supported_by if supporter in plan.processes}
    for supporter in goal.supported_by:
        if supporter in plan.programs:
            work.update(p for p in plan.programs[supporter].improves if p in plan.processes)
    return work


def goal_chain(plan: Plan, goal: Goal, chains: Mapping[str, Chain]) -> Chain:
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
    for (source, target), count in cross_department_counts(plan).items():
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
        bottlenecks=_bottlenecks(plan),
    )


def _bottlenecks(plan: Plan) -> tuple[tuple[str, Decimal], ...]:
    utilisation = planned_utilisations(plan)
    worst = bottleneck_ids(plan, utilisation)
    return tuple((process_id, utilisation[process_id]) for process_id in plan.processes if process_id in worst)
