"""What is left of an entity whose shape is wrong, and the kinds a misspelt top-level key was
meant to be: the builder drops the bad parts and builds the rest, so that one mistake in a plan
gives one finding, not a cascade of follow-on ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from opsplan.diagnostics import closest
from opsplan.model import Kind, Origin

T = TypeVar("T")


def misspelt_kind(key: object) -> Kind | None:
    """The kind a top-level key that is no kind was meant to be (`proceses` -> processes)."""
    if not isinstance(key, str) or key.startswith("x-") or key in {kind.value for kind in Kind}:
        return None
    meant = closest(key, [kind.value for kind in Kind])
    return Kind(meant) if meant is not None else None


def what_is_left(make: Callable[[str, Mapping[str, Any], Origin], T | None], id: str,
                  node: Mapping[str, Any], origin: Origin) -> T | None:
    """Build an entity whose bad fields were dropped; None when a field it cannot do without was
    among them (its shape error is the finding)."""
    try:
        return make(id, node, origin)
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError):
        return None


def _dropped_part(field_path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """What goes with a shape error inside an entity: a bad KPI, role or budget line goes
    whole, anything else the top-level field it is in (a whole list: its items' positions
    locate findings). An error at the entity itself (a missing field) drops nothing."""
    if not field_path:
        return ()
    head = field_path[0]
    if head in ("kpis", "roles", "measure"):
        return field_path[:2]
    if head == "departments":
        return field_path[:4] if len(field_path) >= 4 and field_path[2] == "lines" else field_path[:3]
    return field_path[:1]


def without(node: Mapping[str, Any], errors: list[tuple[str | int, ...]]) -> dict[str, Any]:
    """A copy of an entity's node without the parts its shape errors are in. Locations still
    come from the document, which is left as it is."""
    pruned: dict[str, Any] = _plain(node)
    for error in errors:
        part = _dropped_part(error)
        container: Any = pruned
        for step in part[:-1]:
            container = container.get(step) if isinstance(container, dict) else None
        if part and isinstance(container, dict):
            container.pop(part[-1], None)
    return pruned


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
