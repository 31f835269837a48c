"""Entities and settings compared field by field: what was added, removed or changed, each
field as text before and after. Ids are identities; where an entity is written is no part of it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from opsplan.model import Kind, Money, Plan, format_amount


class Change(str, Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of an entity, as text before and after (None: the field was not set)."""

    field: str  # a dotted path: `kpis.on-time.target`, `departments.warehouse.lines.salaries.amount`
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class EntityChange:
    kind: Kind
    id: str
    change: Change
    fields: tuple[FieldChange, ...]  # for a changed entity
    file: str  # where it is written now (where it was, for a removed one)


KINDS = (Kind.DEPARTMENT, Kind.PROCESS, Kind.BUDGET, Kind.GOAL, Kind.PROGRAM)

# Fields that only repeat the entity's place (its id, its parent's id) or are derived from
# other fields (amounts converted to the plan currency) would double every change shown.
_SKIPPED = frozenset({"origin", "id", "allocated", "cap_allocated", "total_allocated", "annual_cost_allocated"})
_SKIPPED_BY_TYPE = {"Kpi": frozenset({"process"}), "BudgetLine": frozenset({"budget", "department"}),
                    "DepartmentAllocation": frozenset({"department"})}
_LEAF_TYPES = ("Money", "Duration")


def _text(value: Any) -> str:
    if isinstance(value, Money):  # grouped like every other amount people read: 9,800,000 USD
        return f"{format_amount(value.amount)} {value.currency}"
    if isinstance(value, Decimal):
        return format(value.normalize() if value == value.to_integral_value() else value, "f")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    """Leaves of an entity by dotted path; entities nested by id are keyed by their id."""
    def join(name: str) -> str:
        return f"{path}.{name}" if path else name

    type_name = type(value).__name__
    if type_name == "ScheduledMonth":
        # A schedule month is its amount, keyed by the month: moving money from March to April
        # reads as March's amount gone and April's come, not as the same amount renamed.
        out[path] = value.amount
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and type_name not in _LEAF_TYPES:
        skipped = _SKIPPED | _SKIPPED_BY_TYPE.get(type_name, frozenset())
        for field in dataclasses.fields(value):
            if field.name not in skipped:
                _flatten(getattr(value, field.name), join(field.name), out)
        return
    if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
        for index, item in enumerate(value):
            key = getattr(item, "id", None) or getattr(item, "department", None) or getattr(item, "month", None)
            if key is None:  # milestones have no id: their date is what a reader knows them by
                key = _text(getattr(item, "date", index))
            _flatten(item, join(str(key)), out)
        return
    if isinstance(value, Mapping):
        for key in value:
            out[join(str(key))] = value[key]
        return
    out[path] = value


def _flat(value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _flatten(value, "", out)
    return out


def _display(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, tuple):
        return "[" + ", ".join(_text(item) for item in value) + "]"
    return _text(value)


def field_changes(before: Any, after: Any) -> tuple[FieldChange, ...]:
    old, new = _flat(before), _flat(after)
    changes = []
    for name in [*old, *(name for name in new if name not in old)]:
        if old.get(name) != new.get(name):
            changes.append(FieldChange(name, _display(old.get(name)), _display(new.get(name))))
    return tuple(changes)


def entities_of(kind: Kind, plan: Plan | None) -> Mapping[str, Any]:
    return getattr(plan, kind.value) if plan is not None else {}


def entity_changes(base: Plan | None, head: Plan | None) -> list[EntityChange]:
    result: list[EntityChange] = []
    for kind in KINDS:
        old, new = entities_of(kind, base), entities_of(kind, head)
        for entity_id in sorted(old.keys() | new.keys()):
            before, after = old.get(entity_id), new.get(entity_id)
            if before is None:
                assert after is not None  # the id came from one of the two plans
                result.append(EntityChange(kind, entity_id, Change.ADDED, (), after.origin.file))
            elif after is None:
                result.append(EntityChange(kind, entity_id, Change.REMOVED, (), before.origin.file))
            elif before != after:  # origins do not take part in equality: a move is no change
                fields = field_changes(before, after)
                if fields:
                    result.append(EntityChange(kind, entity_id, Change.CHANGED, fields, after.origin.file))
    return result


def settings_changes(base: Plan | None, head: Plan | None) -> tuple[FieldChange, ...]:
    if base is None or head is None or base.settings == head.settings:
        return ()
    return field_changes(base.settings, head.settings)
