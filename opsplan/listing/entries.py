"""One row per entity of the plan, in a fixed order of kinds and then plan order, with the key
figures of its kind: what `opsplan ls` lists and filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from opsplan.figures import measured, money_grouped
from opsplan.model import Origin, Plan
from opsplan.select import line_ref

KIND_ORDER = ("department", "process", "kpi", "budget", "line", "goal", "program")
# Every field of an entry, in the order CSV and JSON carry them.
FIELDS = ("kind", "id", "name", "owner", "file", "line", "status", "type", "headcount", "kpis", "cycle_time",
          "allocated", "currency", "baseline", "target", "unit", "due", "start", "end")
# Two fields people read rather than sort by: `where` (file:line) and `figures` (a summary).
TEXT_FIELDS = ("kind", "id", "name", "owner", "where", "figures")


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    kind: str
    id: str
    name: str
    owner: str | None
    file: str
    line: int
    status: str | None = None
    type: str | None = None
    headcount: int | None = None
    kpis: int | None = None
    cycle_time: str | None = None
    allocated: Decimal | None = None  # in the plan currency
    currency: str | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    unit: str | None = None
    due: date | None = None
    start: date | None = None
    end: date | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def figures(self) -> str:
        """The key figures of the entry's kind in a few words."""
        currency = self.currency or ""
        if self.kind == "department":
            return "" if self.headcount is None else f"headcount {self.headcount}"
        if self.kind == "process":
            kpis = f"{self.kpis} KPI" + ("" if self.kpis == 1 else "s")
            return kpis + (f", cycle {self.cycle_time}" if self.cycle_time else "")
        if self.kind in ("kpi", "goal"):
            target = "" if self.target is None else f"target {measured(self.target, self.unit, currency)}"
            return ", ".join(part for part in (f"due {self.due}" if self.due else "", target) if part)
        if self.kind in ("budget", "line"):
            amount = "" if self.allocated is None else f"{money_grouped(self.allocated)} {currency}"
            return amount + (f" {self.type}" if self.type else "") + (
                f", {self.start} to {self.end}" if self.start else "")
        return f"{self.type}, {self.start} to {self.end}"


def _at(origin: Origin) -> tuple[str, int]:
    location = origin.location
    return location.file, location.line


def plan_entries(plan: Plan, statuses: Mapping[str, frozenset[str]] | None = None) -> list[Entry]:
    """Every entity of the plan as an entry; with ``statuses`` (from a report), each one's."""
    currency = plan.currency
    entries: list[Entry] = []
    for department in plan.departments.values():
        entries.append(Entry(f"department:{department.id}", "department", department.id, department.name,
                             department.parent, *_at(department.origin), headcount=department.headcount))
    for process in plan.processes.values():
        entries.append(Entry(f"process:{process.id}", "process", process.id, process.name, process.owner,
                             *_at(process.origin), type=process.type.value, kpis=len(process.kpis),
                             cycle_time=str(process.cycle_time) if process.cycle_time else None))
    for process in plan.processes.values():
        for kpi in process.kpis:
            entries.append(Entry(f"kpi:{kpi.ref}", "kpi", kpi.ref, kpi.name, process.owner, *_at(kpi.origin),
                                 baseline=kpi.baseline, target=kpi.target, unit=kpi.unit, currency=currency))
    for budget in plan.budgets.values():
        allocated = budget.total_allocated if budget.total_allocated is not None else sum(
            (line.allocated for line in budget.lines), Decimal(0))
        entries.append(Entry(f"budget:{budget.id}", "budget", budget.id, budget.name, None, *_at(budget.origin),
                             allocated=allocated, currency=currency, start=budget.start, end=budget.end))
    for budget in plan.budgets.values():
        for line in budget.lines:
            entries.append(Entry(f"line:{line_ref(line)}", "line", line_ref(line), line.category or line.id,
                                 line.department, *_at(line.origin), type=line.type.value,
                                 allocated=line.allocated, currency=currency))
    for goal in plan.goals.values():
        entries.append(Entry(f"goal:{goal.id}", "goal", goal.id, goal.title, goal.owner, *_at(goal.origin),
                             baseline=goal.measure.baseline, target=goal.measure.target, unit=goal.measure.unit,
                             currency=currency, due=goal.due))
    for program in plan.programs.values():
        entries.append(Entry(f"program:{program.id}", "program", program.id, program.name, program.owner,
                             *_at(program.origin), type=program.type.value, start=program.start, end=program.end))
    if statuses is not None:
        from dataclasses import replace

        entries = [replace(entry, status=", ".join(sorted(statuses.get(entry.key, ()))) or None)
                   for entry in entries]
    return entries
