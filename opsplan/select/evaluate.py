"""A parsed selector applied to a universe: the keys it selects, or its mistakes with columns."""

from __future__ import annotations

from collections.abc import Callable

from opsplan.diagnostics import did_you_mean
from opsplan.model import Plan
from opsplan.select.grammar import KINDS, PLURALS, Atom, Selector, SelectorError
from opsplan.select.universe import Universe, funded_keys, line_ref

# Every status the report gives an entity, by what it describes; `status:` takes one of these.
STATUSES: dict[str, str] = {
    "over": "budget, line", "on-plan": "budget, line", "under": "budget, line",
    "met": "KPI", "improving": "KPI", "worsening": "KPI", "no-data": "KPI, goal",
    "on-track": "goal", "at-risk": "goal", "off-track": "goal",
    "not-started": "program", "running": "program", "finished": "program", "overdue": "program",
    "behind": "program (hires or training behind plan)",
}


def evaluate(selector: Selector, universe: Universe, plan: Plan) -> tuple[frozenset[str], tuple[SelectorError, ...]]:
    """The union of the terms' intersections; every atom that names what the plan does not know is
    a mistake at its column (an atom that is valid but matches nothing is not)."""
    chosen: set[str] = set()
    errors: list[SelectorError] = []
    for term in selector.terms:
        found: set[str] | None = None
        for atom in term:
            keys, error = _atom(atom, universe, plan)
            if error is not None:
                errors.append(error)
                continue
            found = keys if found is None else found & keys
        chosen |= found or set()
    return frozenset(chosen), tuple(errors)


def _atom(atom: Atom, universe: Universe, plan: Plan) -> tuple[set[str], SelectorError | None]:
    method = _METHODS[atom.method]
    found, message = method(atom.value, universe, plan)
    if message is not None:
        return set(), SelectorError(message, atom.value_column)
    result = set(found)
    for key in found:
        if atom.upstream:
            result |= universe.reach(key, universe.depends_on)
        if atom.downstream:
            result |= universe.reach(key, universe.dependants)
    return result, None


Found = tuple[set[str], str | None]


def _hinted(message: str, word: str, candidates: set[str]) -> str:
    hint = did_you_mean(word, sorted(candidates))
    return message + (f"; {hint}" if hint else "")


def _by_id(value: str, universe: Universe, plan: Plan) -> Found:
    found = {key for key, entity in universe.entities.items() if entity.id == value or key == value}
    if found:
        return found, None
    ids = {entity.id for entity in universe.entities.values()}
    return set(), _hinted(f"no `{value}` in {universe.where}", value, ids)


def _of_kind(kind: str) -> Callable[[str, Universe, Plan], Found]:
    def by_kind_and_id(value: str, universe: Universe, plan: Plan) -> Found:
        found = {key for key, entity in universe.entities.items()
                 if entity.kind == kind and (entity.id == value
                                             or (kind == "line" and entity.id.rsplit("/", 1)[-1] == value))}
        if found:
            return found, None
        ids = {entity.id for entity in universe.entities.values() if entity.kind == kind}
        return set(), _hinted(f"no {kind} `{value}` in {universe.where}", value, ids)

    return by_kind_and_id


def _kind(value: str, universe: Universe, plan: Plan) -> Found:
    kind = PLURALS.get(value, value)
    if kind not in KINDS:
        return set(), _hinted(f"unknown kind `{value}` (kinds: {', '.join(KINDS)})", value, set(KINDS))
    return {key for key, entity in universe.entities.items() if entity.kind == kind}, None


def _owner(value: str, universe: Universe, plan: Plan) -> Found:
    if value not in plan.departments:
        return set(), _hinted(f"unknown department `{value}`", value, set(plan.departments))
    departments = subtree(plan, value)
    return {key for key, entity in universe.entities.items() if entity.owner in departments}, None


def subtree(plan: Plan, department_id: str) -> set[str]:
    """A department and all its sub-departments (a cycle, which OPS301 reports, stops the walk)."""
    children = plan.children()
    departments, pending = {department_id}, [department_id]
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in departments:
                departments.add(child)
                pending.append(child)
    return departments


def _tag(value: str, universe: Universe, plan: Plan) -> Found:
    found = {key for key, entity in universe.entities.items() if value in entity.tags}
    if found:
        return found, None
    tags = {tag for entity in universe.entities.values() for tag in entity.tags}
    return set(), _hinted(f"nothing is tagged `{value}` in {universe.where}", value, tags)


def _status(value: str, universe: Universe, plan: Plan) -> Found:
    if value not in STATUSES:
        return set(), _hinted(f"unknown status `{value}` (statuses: {', '.join(STATUSES)})", value, set(STATUSES))
    if universe.statuses is None:
        return set(), ("`status:` needs the report's figures: use it with `opsplan ls`, `opsplan report`, "
                       "`opsplan export` or `opsplan graph`")
    return {key for key, statuses in universe.statuses.items() if value in statuses and key in universe.entities}, None


def _funds(value: str, universe: Universe, plan: Plan) -> Found:
    """Lines funding a process or program, or the work supporting a goal (or its sub-goals)."""
    if value in plan.goals:
        targets = {f"{kind}:{supporter}" for goal_id in _goal_cascade(plan, value)
                   for supporter in plan.goals[goal_id].supported_by for kind in ("process", "program")}
    elif value in plan.processes or value in plan.programs:
        targets = {f"process:{value}", f"program:{value}"}
    else:
        known = set(plan.goals) | set(plan.processes) | set(plan.programs)
        return set(), _hinted(f"`funds:` takes a process, program or goal; `{value}` is none", value, known)
    return {f"line:{line_ref(line)}" for budget in plan.budgets.values() for line in budget.lines
            if targets & set(funded_keys(line))} & set(universe.entities), None


def _goal_cascade(plan: Plan, goal_id: str) -> set[str]:
    goals, pending = {goal_id}, [goal_id]
    while pending:
        parent = pending.pop()
        for goal in plan.goals.values():
            if goal.parent == parent and goal.id not in goals:
                goals.add(goal.id)
                pending.append(goal.id)
    return goals


def _funded_by(value: str, universe: Universe, plan: Plan) -> Found:
    """What a budget's lines, or one line (BUDGET/DEPARTMENT/LINE, or a line id), fund."""
    lines = [line for budget in plan.budgets.values() for line in budget.lines
             if value in (budget.id, line_ref(line), line.id)]
    if not lines:
        known = set(plan.budgets) | {line.id for budget in plan.budgets.values() for line in budget.lines}
        return set(), _hinted(f"`funded-by:` takes a budget or a budget line; `{value}` is neither", value, known)
    return {key for line in lines for key in funded_keys(line)} & set(universe.entities), None


_METHODS: dict[str, Callable[[str, Universe, Plan], Found]] = {
    "": _by_id,
    "kind": _kind,
    "owner": _owner,
    "department": _owner,
    "tag": _tag,
    "status": _status,
    "funds": _funds,
    "funded-by": _funded_by,
    **{kind: _of_kind(kind) for kind in ("process", "program", "goal", "kpi", "budget", "line")},
}
