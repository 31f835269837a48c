"""The plan's waivers (format 1.1, `waivers:` in any plan file), built after its entities so that
the entity and the owner a waiver names can be looked up.

Whether a waiver's rule may be waived, whether it has expired and whether it matches a finding
are judged later, by the check stage that applies waivers (:mod:`opsplan.check.waivers`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from opsplan.diagnostics import Diagnostic, Location, did_you_mean
from opsplan.load.source import Document
from opsplan.marks import MarkedMap
from opsplan.model import WAIVED_FILE, Kind, Origin, Plan, Waiver
from opsplan.rules.codes import DUPLICATE_ID, INVALID_VALUE, UNKNOWN_REFERENCE

WAIVERS = "waivers"
# `process/payroll`: the kinds a waiver names, in the singular people write them.
WAIVABLE_KINDS = {kind.singular: kind for kind in Kind}


def build_waivers(documents: Iterable[Document], plan: Plan,
                  invalid: Iterable[tuple[str | int, ...]]) -> tuple[dict[str, Waiver], list[Diagnostic]]:
    """Every waiver of the plan by id; a waiver with a shape error is left out (its shape error
    is the finding), one naming an unknown entity or owner is reported and left out too."""
    misshapen = {str(path[1]) for path in invalid if len(path) >= 2 and path[0] == WAIVERS}
    waivers: dict[str, Waiver] = {}
    first_seen: dict[str, Location] = {}
    found: list[Diagnostic] = []
    for document in documents:
        entries = document.root.get(WAIVERS) if isinstance(document.root, MarkedMap) else None
        if not isinstance(entries, MarkedMap):
            continue
        for id, node in entries.items():
            origin = Origin(document.file, document.root, (WAIVERS, id))
            if id in first_seen:
                found.append(DUPLICATE_ID.finding(f"waiver `{id}` is declared twice; the other is at {first_seen[id]}",
                                                  origin.at(), hint="ids are unique per kind across the plan: rename or remove one"))
                continue
            first_seen[id] = origin.at()
            if id in misshapen or not isinstance(node, Mapping):
                continue
            waiver = _waiver(str(id), node, origin, plan, found)
            if waiver is not None:
                waivers[waiver.id] = waiver
    return waivers, found


def _waiver(id: str, node: Mapping[str, Any], origin: Origin, plan: Plan, found: list[Diagnostic]) -> Waiver | None:
    entity = _entity(node["entity"], origin, plan, found)
    owner = str(node["owner"])
    if owner not in plan.departments:
        if owner not in plan.invalid_ids.get(Kind.DEPARTMENT, frozenset()):
            found.append(UNKNOWN_REFERENCE.finding(f"waiver `{id}` is owned by unknown department `{owner}`",
                                                   origin.at("owner"), hint=did_you_mean(owner, plan.departments)
                                                   or "a waiver is owned by a department of the plan"))
        return None
    try:
        expires = date.fromisoformat(str(node["expires"]))
    except ValueError:
        found.append(INVALID_VALUE.finding(f"`{node['expires']}` is not a calendar date", origin.at("expires"),
                                           hint="check the month and the day"))
        return None
    if entity is None:
        return None
    return Waiver(id, str(node["rule"]), entity, owner, str(node["reason"]), expires, origin)


def _entity(raw: Any, origin: Origin, plan: Plan, found: list[Diagnostic]) -> str | None:
    """The entity as kept in the model: `process/payroll`, or `file:actuals/payroll.csv`."""
    if isinstance(raw, Mapping):
        return WAIVED_FILE + normalised_file(str(raw["file"]))
    kind_name, _, entity_id = str(raw).partition("/")
    kind = WAIVABLE_KINDS[kind_name]  # the schema allows only these kinds
    entities: Mapping[str, object] = {
        Kind.DEPARTMENT: plan.departments, Kind.PROCESS: plan.processes, Kind.BUDGET: plan.budgets,
        Kind.GOAL: plan.goals, Kind.PROGRAM: plan.programs}[kind]
    if entity_id in entities:
        return f"{kind_name}/{entity_id}"
    if entity_id not in plan.invalid_ids.get(kind, frozenset()):
        found.append(UNKNOWN_REFERENCE.finding(f"waiver names unknown {kind_name} `{entity_id}`", origin.at("entity"),
                                               hint=did_you_mean(entity_id, entities) or f"name a {kind_name} of the plan"))
    return None


def normalised_file(path: str) -> str:
    """A file of actuals as findings name it: relative to the plan root, with forward slashes."""
    return str(PurePosixPath(path.replace("\\", "/"))).removeprefix("./")
