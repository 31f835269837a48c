"""What a selector chooses from: the entities of a plan (or of one graph view), each with its
kind, id, owner and tags, and the links that ``+x`` and ``x+`` follow.

Keys are ``kind:id`` as in the graph views. A KPI's id is ``PROCESS.KPI`` and a budget line's
``BUDGET/DEPARTMENT/LINE``. Links point the way work flows, from what a thing depends on to it:
a process from the processes it depends on, a goal from the work supporting it and the KPI that
measures it, a sub-goal from its parent goal, a KPI from its process, a line from its budget,
and a funded process or program from the lines funding it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from opsplan.model import BudgetLine, Plan

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True, slots=True)
class Entity:
    key: str
    kind: str
    id: str
    owner: str | None
    tags: tuple[str, ...] = ()


@dataclass(slots=True)
class Universe:
    """The entities a selector may choose and how they depend on each other; ``statuses`` (entity
    key -> the statuses the report gives it) only where a report was built."""

    where: str  # for messages: "the plan", "the processes view"
    entities: dict[str, Entity] = field(default_factory=dict)
    depends_on: dict[str, set[str]] = field(default_factory=dict)
    dependants: dict[str, set[str]] = field(default_factory=dict)
    statuses: Mapping[str, frozenset[str]] | None = None

    def add(self, entity: Entity) -> None:
        self.entities.setdefault(entity.key, entity)

    def link(self, source: str, target: str) -> None:
        """``target`` depends on ``source``; links to entities not in the universe are dropped."""
        if source in self.entities and target in self.entities and source != target:
            self.dependants.setdefault(source, set()).add(target)
            self.depends_on.setdefault(target, set()).add(source)

    def reach(self, start: str, links: dict[str, set[str]]) -> set[str]:
        found: set[str] = set()
        pending = [start]
        while pending:
            for neighbour in links.get(pending.pop(), ()):
                if neighbour not in found:
                    found.add(neighbour)
                    pending.append(neighbour)
        return found


def line_ref(line: BudgetLine) -> str:
    """A budget line's plan-wide id, as the report writes it."""
    return f"{line.budget}/{line.department}/{line.id}"


def plan_universe(plan: Plan) -> Universe:
    """Every entity of the plan, KPIs and budget lines included."""
    universe = Universe("the plan")
    for department in plan.departments.values():
        universe.add(Entity(f"department:{department.id}", "department", department.id, department.id,
                            department.tags))
    for process in plan.processes.values():
        universe.add(Entity(f"process:{process.id}", "process", process.id, process.owner, process.tags))
        for kpi in process.kpis:
            universe.add(Entity(f"kpi:{kpi.ref}", "kpi", kpi.ref, process.owner))
    for budget in plan.budgets.values():
        universe.add(Entity(f"budget:{budget.id}", "budget", budget.id, None, budget.tags))
        for line in budget.lines:
            universe.add(Entity(f"line:{line_ref(line)}", "line", line_ref(line), line.department))
    for goal in plan.goals.values():
        universe.add(Entity(f"goal:{goal.id}", "goal", goal.id, goal.owner, goal.tags))
    for program in plan.programs.values():
        universe.add(Entity(f"program:{program.id}", "program", program.id, program.owner, program.tags))

    for process in plan.processes.values():
        for dependency in process.depends_on:
            universe.link(f"process:{dependency}", f"process:{process.id}")
        for kpi in process.kpis:
            universe.link(f"process:{process.id}", f"kpi:{kpi.ref}")
    for program in plan.programs.values():
        for dependency in program.depends_on:
            universe.link(f"program:{dependency}", f"program:{program.id}")
        for improved in program.improves:
            universe.link(f"program:{program.id}", f"process:{improved}")
    for goal in plan.goals.values():
        if goal.parent is not None:
            universe.link(f"goal:{goal.parent}", f"goal:{goal.id}")
        for supporter in goal.supported_by:
            universe.link(f"process:{supporter}", f"goal:{goal.id}")
            universe.link(f"program:{supporter}", f"goal:{goal.id}")
        if goal.measure.kpi:
            universe.link(f"kpi:{goal.measure.kpi}", f"goal:{goal.id}")
    for budget in plan.budgets.values():
        for line in budget.lines:
            key = f"line:{line_ref(line)}"
            universe.link(f"budget:{budget.id}", key)
            for funded in funded_keys(line):
                universe.link(key, funded)
    return universe


def funded_keys(line: BudgetLine) -> list[str]:
    """The process and program a budget line names as what it funds."""
    return ([f"process:{line.process}"] if line.process else []) + (
        [f"program:{line.program}"] if line.program else [])


def graph_universe(graph: nx.DiGraph) -> Universe:
    """The nodes and edges of one graph view (its node attributes: kind, id, owner, tags)."""
    universe = Universe(f"the {graph.graph.get('view', 'this')} view")
    for node, data in graph.nodes(data=True):
        universe.add(Entity(node, data["kind"], data["id"], data.get("owner"), tuple(data.get("tags", ()))))
    for source, target in graph.edges():
        universe.link(source, target)
    return universe
