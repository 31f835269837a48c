"""How gaps are worded: figures with their units, money with grouping, lists cut short, and
who to talk to. Every gap's title, evidence and recommendation is written with these, so all
formats of the report read the same sentences."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from opsplan.figures import measured, money_grouped, number
from opsplan.model import Plan

# The sections write `wording.plural` beside the other gap words; it is the one every output uses.
from opsplan.render.words import plural as plural

# At most this many items are named in one piece of evidence; the rest are counted.
NAMED = 5


def value(figure: Decimal, unit: str | None, currency: str) -> str:
    return measured(figure, unit, currency)


def difference(figure: Decimal, unit: str | None, currency: str) -> str:
    """How far apart two measured values are: between two percentages that is percentage points
    (8.6% is 1.06 points, not 1.06%, behind 9.66%)."""
    if unit == "percent":
        return f"{number(figure)} percentage points"
    return value(figure, unit, currency)


def money(amount: Decimal, currency: str) -> str:
    return f"{money_grouped(amount)} {currency}"


def names(items: Iterable[str], limit: int = NAMED) -> str:
    listed = list(items)
    shown = ", ".join(listed[:limit])
    return shown if len(listed) <= limit else f"{shown} and {len(listed) - limit} more"


def head(plan: Plan, department_id: str) -> str:
    """Who to talk to about a department: its name and head."""
    department = plan.departments.get(department_id)
    if department is None:
        return department_id
    return f"{department.name} ({department.head})" if department.head else department.name


def department_name(plan: Plan, department_id: str) -> str:
    department = plan.departments.get(department_id)
    return department.name if department is not None else department_id
