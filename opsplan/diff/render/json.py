"""A plan diff as one JSON document, for scripts (money and percentages as exact decimal strings)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from opsplan.check.render.json import diagnostic_record
from opsplan.diff.compare import Change, CriticalPath, PlanDiff
from opsplan.render.escape import json_document


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _path(path: CriticalPath) -> dict[str, Any]:
    return {"hours": _decimal(path.hours), "processes": list(path.processes)}


def render_diff(diff: PlanDiff) -> str:
    document = {
        "base": diff.base,
        "head": diff.head,
        "root": diff.root,
        "changed": diff.changed,
        "currency": diff.currency,
        "summary": {"added": diff.count(Change.ADDED), "changed": diff.count(Change.CHANGED),
                    "removed": diff.count(Change.REMOVED),
                    "findings_introduced": len(diff.introduced), "findings_fixed": len(diff.fixed)},
        "settings": [{"field": f.field, "before": f.before, "after": f.after} for f in diff.settings],
        "entities": [{"kind": e.kind.value, "id": e.id, "change": e.change.value, "file": e.file,
                      "fields": [{"field": f.field, "before": f.before, "after": f.after} for f in e.fields]}
                     for e in diff.entities],
        "budgets": [{"budget": c.budget, "department": c.department, "before": _decimal(c.before),
                     "after": _decimal(c.after), "delta": _decimal(c.delta), "percent": _decimal(c.percent)}
                    for c in diff.budget_totals],
        "headcount": [{"department": h.department, "current_before": h.current_before,
                       "current_after": h.current_after, "planned_before": h.planned_before,
                       "planned_after": h.planned_after} for h in diff.headcount],
        "goals": [{"goal": g.goal, "target_before": _decimal(g.target_before), "target_after": _decimal(g.target_after),
                   "due_before": g.due_before.isoformat(), "due_after": g.due_after.isoformat()} for g in diff.goals],
        "dependencies": [{"kind": d.kind.value, "dependent": d.dependent, "dependency": d.dependency,
                          "change": d.change.value} for d in diff.dependencies],
        "critical_path": {"before": _path(diff.critical_path_before), "after": _path(diff.critical_path_after),
                          "longer": diff.critical_path_longer},
        "waivers": [{"id": w.id, "change": w.change.value, "rule": w.rule, "entity": w.entity, "owner": w.owner,
                     "expires_before": w.expires_before.isoformat() if w.expires_before else None,
                     "expires_after": w.expires_after.isoformat() if w.expires_after else None}
                    for w in diff.waivers],
        "findings": {"introduced": [diagnostic_record(d) for d in diff.introduced],
                     "fixed": [diagnostic_record(d) for d in diff.fixed]},
    }
    return json_document(document)
