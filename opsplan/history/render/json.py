"""History as one JSON document, for scripts (numbers as exact decimal strings)."""

from __future__ import annotations

from typing import Any

from opsplan.history.build import History
from opsplan.history.changes import Change, Value
from opsplan.render.escape import json_document


def _value(value: Value | None) -> str | None:
    if value is None:
        return None
    if value.number is None:
        return value.text
    return format(value.number, "f") + (f" {value.currency}" if value.currency else "")


def _change(change: Change) -> dict[str, Any]:
    commit = change.commit
    return {
        "commit": commit.id, "date": commit.date.isoformat(), "author": commit.author, "subject": commit.subject,
        "entity": change.subject.value, "id": change.id, "change": change.kind.value, "field": change.field,
        "old": _value(change.old), "new": _value(change.new),
        "values": {field: _value(value) for field, value in change.values},
        "eased": change.eased, "eased_while_off_track": change.eased_while_off_track,
    }


def render_history(history: History) -> str:
    return json_document({
        "root": history.root, "head": history.head, "since": history.since, "commits": history.commits,
        "actuals": history.actuals,
        "changes": [_change(change) for change in history.changes],
        "unreadable": [{"commit": item.commit.id, "file": item.file} for item in history.unreadable],
    })
