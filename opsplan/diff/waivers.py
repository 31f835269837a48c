"""Waivers between two revisions: added, removed, extended (a later expiry date), or otherwise
changed (rule, entity, owner, reason, or an earlier expiry). A reviewer sees at once which
findings the change accepts, and for how much longer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from opsplan.model import Plan, Waiver


class WaiverChangeKind(str, Enum):
    ADDED = "added"
    REMOVED = "removed"
    EXTENDED = "extended"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class WaiverChange:
    id: str
    change: WaiverChangeKind
    rule: str  # as at head (as at base for a removed waiver)
    entity: str
    owner: str
    expires_before: date | None  # None: the waiver did not exist at base
    expires_after: date | None  # None: it no longer exists at head


def waiver_changes(base: Plan | None, head: Plan | None) -> list[WaiverChange]:
    """Every waiver added, removed, extended or changed, by id."""
    before = dict(base.waivers) if base is not None else {}
    after = dict(head.waivers) if head is not None else {}
    changes = []
    for id in sorted(before.keys() | after.keys()):
        old, new = before.get(id), after.get(id)
        if old == new:
            continue
        shown = new if new is not None else old
        if shown is None:  # not reached: the id is in one of them
            continue
        if old is None:
            change = WaiverChangeKind.ADDED
        elif new is None:
            change = WaiverChangeKind.REMOVED
        elif new.expires > old.expires and _same_but_expiry(old, new):
            change = WaiverChangeKind.EXTENDED
        else:
            change = WaiverChangeKind.CHANGED
        changes.append(WaiverChange(id, change, shown.rule, shown.entity, shown.owner,
                                    old.expires if old is not None else None, new.expires if new is not None else None))
    return changes


def _same_but_expiry(old: Waiver, new: Waiver) -> bool:
    return (old.rule, old.entity, old.owner) == (new.rule, new.entity, new.owner)


def waiver_line(change: WaiverChange) -> str:
    """One change in words: `extended payroll-kpis (OPS602, process/payroll, owner finance): until 2027-06-30 -> 2027-09-30`."""
    what = f"{change.change.value} {change.id} ({change.rule}, {change.entity}, owner {change.owner})"
    if change.expires_before is None:
        return f"{what}: until {change.expires_after}"
    if change.expires_after is None:
        return f"{what}: was until {change.expires_before}"
    if change.expires_before == change.expires_after:
        return f"{what}: until {change.expires_after}"
    return f"{what}: until {change.expires_before} -> {change.expires_after}"
