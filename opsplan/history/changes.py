"""What history follows in a plan file, and how one commit's values compare with its parent's.

Each plan file is reduced to the commitments people negotiate: a goal's target, due date and
baseline, a budget's total and each department's cap, a KPI's target. A change is one of those
values moving, or an entity holding them appearing or disappearing (a renamed goal id is the old
one removed and the new one added: git does not know it is the same goal, and neither do we).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from opsplan.history.walk import Commit


class Subject(str, Enum):
    GOAL = "goal"
    BUDGET = "budget"
    CAP = "cap"  # a department's cap in a budget, id BUDGET/DEPARTMENT
    KPI = "kpi"  # id PROCESS.KPI
    PLAN = "plan"  # opsplan.yaml: only followed to judge goals, never reported


class ChangeKind(str, Enum):
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


# The fields a change is reported for, per subject, in the order they are shown.
REPORTED: Mapping[Subject, tuple[str, ...]] = {
    Subject.GOAL: ("target", "due", "baseline"),
    Subject.BUDGET: ("total",),
    Subject.CAP: ("cap",),
    Subject.KPI: ("target",),
}
# Followed but never reported: what judges a goal's change (which way is easier, where its path
# ran, its plan current) goes along as the goal's and its KPI's other fields.


@dataclass(frozen=True, slots=True)
class Value:
    """A value as written, with the number, currency or date it stands for when it has one."""

    text: str
    number: Decimal | None = None
    currency: str | None = None
    day: date | None = None
    points: tuple[tuple[date, Decimal], ...] = ()  # a goal's milestones

    def same_as(self, other: Value) -> bool:
        if self.number is not None and other.number is not None:
            return self.number == other.number and self.currency == other.currency
        return self.text == other.text


Key = tuple[Subject, str, str]  # subject, id, field


@dataclass(frozen=True, slots=True)
class Change:
    commit: Commit
    subject: Subject
    id: str
    kind: ChangeKind
    field: str | None  # None for an entity added or removed
    old: Value | None
    new: Value | None
    values: tuple[tuple[str, Value], ...] = ()  # an added or removed entity's fields
    eased: bool = False
    eased_while_off_track: bool = False


def value_of(raw: Any) -> Value | None:
    """A plan value as history compares it; None for what holds no comparable value."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, (int, Decimal)):
        return Value(_number_text(Decimal(raw)), Decimal(raw))
    if isinstance(raw, Mapping):  # money written {amount: ..., currency: ...}
        amount = value_of(raw.get("amount"))
        currency = raw.get("currency")
        if amount is None or amount.number is None or not isinstance(currency, str):
            return None
        return Value(f"{amount.text} {currency}", amount.number, currency)
    if isinstance(raw, str):
        try:
            number = Decimal(raw.replace("_", ""))
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            return Value(raw, number)
        try:
            day = date.fromisoformat(raw) if len(raw) == 10 else None
        except ValueError:
            day = None
        return Value(raw, day=day)
    return None


def _number_text(number: Decimal) -> str:
    return f"{number:,f}" if number.copy_abs() >= 10_000 else f"{number:f}"


def extract(document: Any) -> dict[Key, Value]:
    """The followed values of one parsed plan file (a marked mapping of kinds, or anything a
    hostile file may hold: what is not shaped as expected is simply not followed)."""
    found: dict[Key, Value] = {}
    if not isinstance(document, Mapping):
        return found

    def put(subject: Subject, id: str, field: str, raw: Any) -> None:
        value = value_of(raw)
        if value is not None:
            found[(subject, id, field)] = value

    for id, goal in _entities(document.get("goals")):
        measure = goal.get("measure")
        put(Subject.GOAL, id, "due", goal.get("due"))
        if isinstance(measure, Mapping):
            for field in ("target", "baseline", "kpi", "better", "current"):
                put(Subject.GOAL, id, field, measure.get(field))
        points = _milestones(goal.get("milestones"))
        if points:
            found[(Subject.GOAL, id, "milestones")] = Value("milestones", points=points)
    for id, budget in _entities(document.get("budgets")):
        put(Subject.BUDGET, id, "total", budget.get("total"))
        for department, allocation in _entities(budget.get("departments")):
            put(Subject.CAP, f"{id}/{department}", "cap", allocation.get("cap"))
    for id, process in _entities(document.get("processes")):
        for kpi, node in _entities(process.get("kpis")):
            for field in ("target", "baseline", "better", "current"):
                put(Subject.KPI, f"{id}.{kpi}", field, node.get(field))
    horizon = document.get("horizon")
    if isinstance(horizon, Mapping):
        put(Subject.PLAN, "", "horizon_start", horizon.get("start"))
    return found


def _milestones(raw: Any) -> tuple[tuple[date, Decimal], ...]:
    points: list[tuple[date, Decimal]] = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, Mapping):
            when, target = value_of(item.get("date")), value_of(item.get("target"))
            if when is not None and when.day is not None and target is not None and target.number is not None:
                points.append((when.day, target.number))
    return tuple(sorted(points))


def _entities(kind: Any) -> list[tuple[str, Mapping[str, Any]]]:
    if not isinstance(kind, Mapping):
        return []
    return [(id, node) for id, node in kind.items() if isinstance(id, str) and isinstance(node, Mapping)]


def eased_target(old: Value, new: Value, baseline: Value | None, better: Value | None) -> bool:
    """Whether a goal's target moved toward its baseline (or past it): the goal asks for less.
    Without a baseline on the far side of the old target, `better` says which way is easier."""
    if old.number is None or new.number is None:
        return False
    direction = 0
    if baseline is not None and baseline.number is not None:
        direction = (old.number > baseline.number) - (old.number < baseline.number)
    if direction == 0 and better is not None:
        direction = {"higher": 1, "lower": -1}.get(better.text, 0)
    return (new.number - old.number) * direction < 0


def eased_due(old: Value, new: Value) -> bool:
    return old.day is not None and new.day is not None and new.day > old.day
