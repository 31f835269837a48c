"""What a history change says, in the words every format shares (escaped by each renderer)."""

from __future__ import annotations

from opsplan.history.changes import Change, ChangeKind, Subject

SUBJECT_WORDS = {Subject.GOAL: "goal", Subject.BUDGET: "budget", Subject.CAP: "department cap",
                 Subject.KPI: "KPI"}


def flags(change: Change) -> list[str]:
    if change.eased_while_off_track:
        return ["eased", "eased-while-off-track"]
    return ["eased"] if change.eased else []


def what(change: Change) -> str:
    """``target 10.50 -> 11.00``, ``added (target 5, due 2028-12-31)``."""
    if change.kind is ChangeKind.CHANGED:
        old = change.old.text if change.old is not None else "none"
        new = change.new.text if change.new is not None else "none"
        return f"{change.field} {old} -> {new}"
    fields = ", ".join(f"{field} {value.text}" for field, value in change.values)
    return f"{change.kind.value} ({fields})"
