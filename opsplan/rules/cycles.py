"""Cycles: department parents, process and program dependencies, and goal parents must not loop.

One linear pass per graph (Tarjan's strongly connected components, iteratively), so a plan of
tens of thousands of processes costs no more than reading it; each loop is reported once,
printed in full, at the reference that closes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from opsplan.diagnostics import Diagnostic, Severity
from opsplan.model import Origin, Plan
from opsplan.rules.codes import Rule, rule


def strongly_connected(successors: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion; returns the components that contain a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cyclic: list[list[str]] = []
    counter = 0
    for start in successors:
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(successors.get(start, ())))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in successors:
                    continue  # unknown ids are OPS202's business
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in successors.get(node, ()):
                    cyclic.append(component)
    return cyclic


def one_cycle(component: list[str], successors: Mapping[str, Iterable[str]]) -> list[str]:
    """A concrete loop through the component, starting at its smallest id: a -> ... -> a."""
    members = set(component)
    start = min(component)
    # Breadth-first from start back to start, inside the component: the shortest loop.
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        next_frontier = []
        for node in frontier:
            for child in successors.get(node, ()):
                if child not in members:
                    continue
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if child not in previous:
                    previous[child] = node
                    next_frontier.append(child)
        frontier = next_frontier
    return [start, start]  # pragma: no cover - a cyclic component always has a loop


def _cycles(
    rule: Rule, noun: str, successors: Mapping[str, Iterable[str]],
    locate: Callable[[str, str], tuple[Origin, tuple[str | int, ...]]], arrow: str,
) -> Iterator[Diagnostic]:
    for component in strongly_connected(successors):
        loop = one_cycle(component, successors)
        origin, path = locate(loop[-2], loop[-1])
        printed = f" {arrow} ".join(loop)
        yield rule.finding(f"{noun} form a cycle: {printed}", origin.at(*path),
                              hint="break the loop by removing one of these links")


def _position(values: tuple[str, ...], wanted: str) -> int:
    return values.index(wanted) if wanted in values else 0


@rule("OPS301", "department-cycle", Severity.ERROR, "cycle in department parents",
      rationale="Departments form a tree; a loop of parents has no top, so nothing rolls up.",
      bad="departments:\n  ops: {name: Operations, parent: warehouse}\n  warehouse: {name: Warehouse, parent: ops}\n",
      good="departments:\n  ops: {name: Operations}\n  warehouse: {name: Warehouse, parent: ops}\n",
      configurable=False)
def department_cycles(plan: Plan) -> Iterator[Diagnostic]:
    successors = {id: ([d.parent] if d.parent else []) for id, d in plan.departments.items()}
    yield from _cycles(department_cycles, "department parents", successors,
                       lambda child, _parent: (plan.departments[child].origin, ("parent",)), "->")


@rule("OPS302", "process-cycle", Severity.ERROR, "cycle in process dependencies (prints the cycle)",
      rationale="Process dependencies say whose output each process needs; a loop means no process "
      "in it can ever start, and the critical path is undefined.",
      bad="processes:\n  picking: {name: Picking, owner: warehouse, depends_on: [packing]}\n"
      "  packing: {name: Packing, owner: warehouse, depends_on: [picking]}\n",
      good="processes:\n  picking: {name: Picking, owner: warehouse}\n"
      "  packing: {name: Packing, owner: warehouse, depends_on: [picking]}\n",
      configurable=False)
def process_cycles(plan: Plan) -> Iterator[Diagnostic]:
    successors = {id: p.depends_on for id, p in plan.processes.items()}
    yield from _cycles(
        process_cycles, "process dependencies", successors,
        lambda a, b: (plan.processes[a].origin, ("depends_on", _position(plan.processes[a].depends_on, b))),
        "->")


@rule("OPS303", "program-cycle", Severity.ERROR, "cycle in program dependencies",
      rationale="A program that (indirectly) waits for itself can never start.",
      bad="programs:\n  wms-upgrade: {..., depends_on: [automation]}\n  automation: {..., depends_on: [wms-upgrade]}\n",
      good="programs:\n  wms-upgrade: {...}\n  automation: {..., depends_on: [wms-upgrade]}\n",
      configurable=False)
def program_cycles(plan: Plan) -> Iterator[Diagnostic]:
    successors = {id: p.depends_on for id, p in plan.programs.items()}
    yield from _cycles(
        program_cycles, "program dependencies", successors,
        lambda a, b: (plan.programs[a].origin, ("depends_on", _position(plan.programs[a].depends_on, b))),
        "->")


@rule("OPS304", "goal-cycle", Severity.ERROR, "cycle in goal parents",
      rationale="Goals cascade from the top down; a loop of parents has no top goal to cascade from.",
      bad="goals:\n  margin: {..., parent: cost}\n  cost: {..., parent: margin}\n",
      good="goals:\n  margin: {...}\n  cost: {..., parent: margin}\n",
      configurable=False)
def goal_cycles(plan: Plan) -> Iterator[Diagnostic]:
    successors = {id: ([g.parent] if g.parent else []) for id, g in plan.goals.items()}
    yield from _cycles(goal_cycles, "goal parents", successors,
                       lambda child, _parent: (plan.goals[child].origin, ("parent",)), "->")
