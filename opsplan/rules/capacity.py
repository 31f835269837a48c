"""Capacity: a process is not planned to run above its utilisation target."""

from __future__ import annotations

from collections.abc import Iterator

from opsplan.diagnostics import Diagnostic, Severity
from opsplan.formulas.capacity import above_target, planned_utilisation, target_of
from opsplan.model import Plan, format_amount
from opsplan.rules.codes import rule


@rule("OPS607", "utilisation-above-target", Severity.WARNING, "a process's planned utilisation is above its target",
      rationale="A process planned to run near its capacity has no room for a peak, an absence or a "
      "breakdown: queues grow without bound as utilisation nears 100%. Planned utilisation is demand / "
      "capacity x 100 (per the same period, to one decimal); the target is the process's "
      "`utilisation_target`, else `report.utilisation_target` of opsplan.yaml, else 85.",
      bad="order-fulfillment:\n  ...\n  capacity: {unit: orders, per: month, value: 425_000}\n"
      "  demand: {per: month, value: 410_000}\n",
      good="order-fulfillment:\n  ...\n  capacity: {unit: orders, per: month, value: 500_000}\n"
      "  demand: {per: month, value: 410_000}\n")
def utilisation_above_target(plan: Plan) -> Iterator[Diagnostic]:
    plan_target = plan.settings.report.utilisation_target
    for process in plan.processes.values():
        capacity, demand = process.capacity, process.demand
        if capacity is None or demand is None:
            continue
        utilisation = planned_utilisation(capacity, demand)
        target = target_of(process, plan_target)
        if above_target(utilisation, target):
            yield utilisation_above_target.finding(
                f"process `{process.id}` is planned at {utilisation}% of its capacity (demand "
                f"{format_amount(demand.value)} {capacity.unit} a {demand.per.value} against "
                f"{format_amount(capacity.amount)} a {capacity.per.value}), above its target of "
                f"{format_amount(target)}%", process.origin.at("demand"),
                hint="add capacity (`fte`, `value`), plan less demand, or set `utilisation_target:` "
                "if the process may run hotter")
