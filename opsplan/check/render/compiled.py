"""The resolved plan as one JSON document (`opsplan compile`), described by
schemas/compiled.schema.json. Money is an exact decimal string; every entity says where it was
written."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from opsplan import __version__
from opsplan.model import (
    Budget,
    BudgetLine,
    Capacity,
    Demand,
    Department,
    Goal,
    Kpi,
    Money,
    Origin,
    Phasing,
    Plan,
    Process,
    Program,
)
from opsplan.render.escape import json_document

COMPILED_FORMAT = 1


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _money(money: Money | None, allocated: Decimal | None) -> dict[str, Any] | None:
    if money is None:
        return None
    return {"amount": _decimal(money.amount), "currency": money.currency, "in_plan_currency": _decimal(allocated)}


def _source(origin: Origin) -> str:
    location = origin.location
    return f"{location.file}:{location.line}"


def _common(entity: Department | Process | Budget | Goal | Program) -> dict[str, Any]:
    return {"description": entity.description, "tags": list(entity.tags), "links": dict(entity.links),
            "source": _source(entity.origin)}


def _kpi(kpi: Kpi) -> dict[str, Any]:
    return {"ref": kpi.ref, "name": kpi.name, "unit": kpi.unit, "better": kpi.better.value,
            "baseline": _decimal(kpi.baseline), "target": _decimal(kpi.target), "current": _decimal(kpi.current),
            "cadence": kpi.cadence.value if kpi.cadence else None,
            "description": kpi.description, "source": _source(kpi.origin)}


def _phasing(phasing: Phasing) -> str | dict[str, Any]:
    """`even`, a profile id, or the schedule's months with their amounts."""
    if phasing.schedule is not None:
        return {month.month: _money(month.amount, month.allocated) for month in phasing.schedule}
    return phasing.profile or "even"


def _line(line: BudgetLine) -> dict[str, Any]:
    return {"amount": _money(line.amount, line.allocated), "type": line.type.value, "category": line.category,
            "process": line.process, "program": line.program, "account": line.account,
            "phasing": _phasing(line.phasing), "tolerance": _decimal(line.tolerance),
            "description": line.description, "source": _source(line.origin)}


def _capacity(capacity: Capacity | None) -> dict[str, Any] | None:
    if capacity is None:
        return None
    return {"unit": capacity.unit, "per": capacity.per.value, "value": _decimal(capacity.value),
            "per_fte": _decimal(capacity.per_fte), "fte": _decimal(capacity.fte), "amount": _decimal(capacity.amount)}


def _demand(demand: Demand | None) -> dict[str, Any] | None:
    return None if demand is None else {"per": demand.per.value, "value": _decimal(demand.value)}


def compile_document(plan: Plan, children: Mapping[str, list[str]]) -> dict[str, Any]:
    settings = plan.settings
    return {
        "opsplan": settings.version,
        "compiled": {"format": COMPILED_FORMAT, "by": f"opsplan {__version__}"},
        "organization": {"name": settings.organization.name, "currency": settings.organization.currency,
                         "fiscal_year_start": settings.organization.fiscal_year_start},
        "horizon": {"start": _date(settings.horizon.start), "end": _date(settings.horizon.end)},
        "fx": {currency: _decimal(rate) for currency, rate in sorted(settings.fx.items())},
        "rules": {code: severity.value for code, severity in sorted(settings.rules.items())},
        "report": {"tolerance": _decimal(settings.report.tolerance),
                   "pace_tolerance": _decimal(settings.report.pace_tolerance),
                   "at_risk": _decimal(settings.report.at_risk), "materiality": _decimal(settings.report.materiality),
                   "utilisation_target": _decimal(settings.report.utilisation_target)},
        "profiles": {profile.id: [_decimal(weight) for weight in profile.weights]
                     for profile in settings.profiles.values()},
        "finance_reviewers": list(settings.finance_reviewers),
        "files": list(plan.files),
        "departments": {
            d.id: {"name": d.name, "parent": d.parent, "children": children.get(d.id, []), "head": d.head,
                   "cost_center": d.cost_center, "headcount": d.headcount, "attrition": _decimal(d.attrition),
                   "reviewers": list(d.reviewers), **_common(d)}
            for d in plan.departments.values()},
        "processes": {
            p.id: {"name": p.name, "owner": p.owner, "type": p.type.value, "depends_on": list(p.depends_on),
                   "serves": list(p.serves), "cycle_time": str(p.cycle_time) if p.cycle_time else None,
                   "cycle_time_hours": _decimal(p.cycle_time.hours) if p.cycle_time else None,
                   "kpis": {k.id: _kpi(k) for k in p.kpis}, "capacity": _capacity(p.capacity),
                   "demand": _demand(p.demand), "utilisation_target": _decimal(p.utilisation_target), **_common(p)}
            for p in plan.processes.values()},
        "budgets": {
            b.id: {"name": b.name, "start": _date(b.start), "end": _date(b.end),
                   "total": _money(b.total, b.total_allocated),
                   "departments": {
                       a.department: {"cap": _money(a.cap, a.cap_allocated), "tolerance": _decimal(a.tolerance),
                                      "lines": {line.id: _line(line) for line in a.lines},
                                      "source": _source(a.origin)}
                       for a in b.departments},
                   **_common(b)}
            for b in plan.budgets.values()},
        "goals": {
            g.id: {"title": g.title, "owner": g.owner, "parent": g.parent, "due": _date(g.due),
                   "perspective": g.perspective.value if g.perspective else None,
                   "measure": {"kpi": g.measure.kpi, "metric": g.measure.metric, "unit": g.measure.unit,
                               "better": g.measure.better.value, "baseline": _decimal(g.measure.baseline),
                               "target": _decimal(g.measure.target), "current": _decimal(g.measure.current),
                               "cadence": g.measure.cadence.value if g.measure.cadence else None},
                   "tolerance": _decimal(g.tolerance),
                   "milestones": [{"date": _date(m.date), "target": _decimal(m.target), "source": _source(m.origin)}
                                  for m in g.milestones],
                   "supported_by": list(g.supported_by), **_common(g)}
            for g in plan.goals.values()},
        "programs": {
            p.id: {"type": p.type.value, "name": p.name, "owner": p.owner, "start": _date(p.start),
                   "end": _date(p.end), "depends_on": list(p.depends_on), "improves": list(p.improves),
                   "roles": {r.id: {"count": r.count, "start": _date(r.start), "department": r.department,
                                    "by": _date(r.by),
                                    "time_to_fill": str(r.time_to_fill) if r.time_to_fill else None,
                                    "annual_cost": _money(r.annual_cost, r.annual_cost_allocated),
                                    "source": _source(r.origin)} for r in p.roles},
                   "audience": list(p.audience), "participants": p.participants,
                   "completion_target": _decimal(p.completion_target), **_common(p)}
            for p in plan.programs.values()},
        "waivers": {
            w.id: {"rule": w.rule, "entity": w.entity, "owner": w.owner, "reason": w.reason,
                   "expires": _date(w.expires), "source": _source(w.origin)}
            for w in plan.waivers.values()},
    }


def render_compiled(plan: Plan) -> str:
    document = compile_document(plan, plan.children())
    return json_document(document)
