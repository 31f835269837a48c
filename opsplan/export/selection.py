"""Which rows of the plan tables an `export --select` keeps: the selected entities, and what
belongs to them unless `--exclude` takes it out."""

from __future__ import annotations

from opsplan.model import Plan
from opsplan.select import line_ref


def with_belongings(plan: Plan, chosen: frozenset[str], allowed: frozenset[str]) -> frozenset[str]:
    """``chosen`` (entity keys) and the KPIs of its processes and the lines of its budgets that
    ``allowed`` (everything less what ``--exclude`` selects) holds: a process's row is read with
    its KPIs, a budget with its lines. Milestones, roles and line months have no key of their own
    and follow their goal, program and line in :func:`opsplan.export.tables.plan_tables`."""
    kept = set(chosen)
    for process in plan.processes.values():
        if f"process:{process.id}" in chosen:
            kept |= {f"kpi:{kpi.ref}" for kpi in process.kpis} & allowed
    for budget in plan.budgets.values():
        if f"budget:{budget.id}" in chosen:
            kept |= {f"line:{line_ref(line)}" for line in budget.lines} & allowed
    return frozenset(kept)
