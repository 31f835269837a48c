"""The plan, and optionally a report, as typed tables: every cell knows whether it is text, money,
a count, a percentage or a date, so that writers give it the right number format and never turn
text into a formula."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from opsplan import __version__
from opsplan.figures import number, round_money, round_pct
from opsplan.model import Plan
from opsplan.report.model import Report
from opsplan.report.sections.budgets import Burn
from opsplan.select import line_ref


class CellType(str, Enum):
    TEXT = "text"
    MONEY = "money"  # in the plan currency, to cents
    NUMBER = "number"  # a measured value or a target, as written
    COUNT = "count"
    PERCENT = "percent"  # held as written (12.5 means 12.5%); writers scale it as they need
    DATE = "date"


Cell = str | int | Decimal | date | None


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: CellType


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # a sheet name or file stem: short, lower case
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _columns(*spec: str) -> tuple[Column, ...]:
    """``"name:type"`` pairs; a bare name is text."""
    columns = []
    for item in spec:
        name, _, kind = item.partition(":")
        columns.append(Column(name, CellType(kind or "text")))
    return tuple(columns)


def about_table(plan: Plan, as_of: date | None, selection: Sequence[tuple[str, str]] = ()) -> Table:
    """``selection``: what the tables were cut down by (``select``, ``exclude``, the date of the
    statuses), so a reader of the workbook knows it is not the whole plan."""
    rows: list[tuple[Cell, ...]] = [
        ("plan", plan.settings.organization.name),
        ("currency", plan.currency),
        ("horizon", f"{plan.settings.horizon.start} to {plan.settings.horizon.end}"),
        ("as of", as_of.isoformat() if as_of else "plan only (no report)"),
        *selection,
        ("opsplan version", __version__),
    ]
    return Table("about", _columns("item", "value"), tuple(rows))


def plan_tables(plan: Plan, keys: frozenset[str] | None = None) -> list[Table]:
    """Departments, processes, KPIs, budget lines, goals, milestones, programs and roles; with
    ``keys`` (entity keys, as a selector names them) only those entities' rows, and the milestones
    of their goals, the roles of their programs and the months of their lines."""
    def joined(ids: Sequence[str]) -> str:
        return " ".join(ids)

    def kept(key: str) -> bool:
        return keys is None or key in keys

    departments = tuple((d.id, d.name, d.parent, d.head, d.cost_center, d.headcount, d.origin.file)
                        for d in plan.departments.values() if kept(f"department:{d.id}"))
    processes = tuple((p.id, p.name, p.owner, p.type.value, joined(p.depends_on), joined(p.serves),
                       str(p.cycle_time) if p.cycle_time else None,
                       p.cycle_time.hours if p.cycle_time else None, len(p.kpis), p.origin.file)
                      for p in plan.processes.values() if kept(f"process:{p.id}"))
    kpis = tuple((k.ref, k.process, k.name, k.unit, k.better.value, k.baseline, k.target, k.current)
                 for p in plan.processes.values() for k in p.kpis if kept(f"kpi:{k.ref}"))
    lines = tuple((line.budget, line.department, line.id, line_ref(line), line.type.value, line.category,
                   line.process, line.program, line.account, line.amount.amount, line.amount.currency,
                   line.allocated)
                  for budget in plan.budgets.values() for line in budget.lines if kept(f"line:{line_ref(line)}"))
    goals = tuple((g.id, g.title, g.owner, g.parent, g.due, g.perspective.value if g.perspective else None,
                   g.measure.kpi or g.measure.metric, g.measure.unit, g.measure.baseline, g.measure.target,
                   joined(g.supported_by))
                  for g in plan.goals.values() if kept(f"goal:{g.id}"))
    milestones = tuple((g.id, m.date, m.target) for g in plan.goals.values() if kept(f"goal:{g.id}")
                       for m in g.milestones)
    months = tuple(row for row in _line_months(plan) if kept(f"line:{row[0]}/{row[1]}/{row[2]}"))
    programs = tuple((p.id, p.name, p.type.value, p.owner, p.start, p.end, joined(p.improves), p.participants,
                      p.completion_target)
                     for p in plan.programs.values() if kept(f"program:{p.id}"))
    roles = tuple((p.id, r.id, r.count, r.start, r.annual_cost_allocated)
                  for p in plan.programs.values() if kept(f"program:{p.id}") for r in p.roles)
    return [
        Table("departments", _columns("id", "name", "parent", "head", "cost_center", "headcount:count", "file"),
              departments),
        Table("processes", _columns("id", "name", "owner", "type", "depends_on", "serves", "cycle_time",
                                    "cycle_hours:number", "kpis:count", "file"), processes),
        Table("kpis", _columns("kpi", "process", "name", "unit", "better", "baseline:number", "target:number",
                               "current:number"), kpis),
        Table("budget_lines", _columns("budget", "department", "line", "ref", "type", "category", "process",
                                       "program", "account", "amount:number", "amount_currency",
                                       "allocated:money"), lines),
        Table("line_months", _columns("budget", "department", "line", "month", "phasing", "planned:money"),
              months),
        Table("goals", _columns("id", "title", "owner", "parent", "due:date", "perspective", "measure", "unit",
                                "baseline:number", "target:number", "supported_by"), goals),
        Table("milestones", _columns("goal", "date:date", "target:number"), milestones),
        Table("programs", _columns("id", "name", "type", "owner", "start:date", "end:date", "improves",
                                   "participants:count", "completion_target:percent"), programs),
        Table("roles", _columns("program", "role", "count:count", "start:date", "annual_cost:money"), roles),
    ]


def _line_months(plan: Plan) -> Iterator[tuple[Cell, ...]]:
    """Each budget line's planned amount per calendar month of its budget, following its phasing
    (even, a profile or a schedule), in the plan currency, rounded to cents for the sheet."""
    from opsplan.report.phasing import line_plan, to_decimal

    for budget in plan.budgets.values():
        for line in budget.lines:
            profile = plan.settings.profiles.get(line.phasing.profile) if line.phasing.profile else None
            month_plan = line_plan(line.allocated, line.phasing, profile.weights if profile else None,
                                   budget.start, budget.end)
            phasing = ("schedule" if line.phasing.schedule is not None
                       else line.phasing.profile if profile is not None else "even")
            for span, amount in zip(month_plan.spans, month_plan.amounts, strict=True):
                yield (budget.id, line.department, line.id, span.month, phasing, round_money(to_decimal(amount)))


_BURN = ("allocated:money", "expected:money", "actual:money", "variance:money", "used_pct:percent", "status")


def _burn(burn: Burn) -> tuple[Cell, ...]:
    return (round_money(burn.allocated), round_money(burn.expected), round_money(burn.actual),
            round_money(burn.variance), None if burn.used_pct is None else round_pct(burn.used_pct),
            burn.status.value)


def report_tables(report: Report) -> list[Table]:
    """The report's figures: budget burn per department, line and month, KPIs, goals, programs with
    their earned value and roles, capacity, gaps and the waivers in force."""
    budget_rows = tuple((b.id, None, b.name, *_burn(b.burn)) for b in report.budgets)
    department_rows = tuple((b.id, d.department, d.name, *_burn(d.own))
                            for b in report.budgets for d in b.departments)
    line_rows = tuple((b.id, d.department, line.id, line.type, *_burn(line.burn))
                      for b in report.budgets for d in b.departments for line in d.lines)
    kpi_rows = tuple((k.ref, k.owner, k.name, k.figures.unit, k.figures.baseline, k.figures.target,
                      k.figures.current.value if k.figures.current else None,
                      k.figures.current.date if k.figures.current else None,
                      None if k.figures.attainment_pct is None else round_pct(k.figures.attainment_pct),
                      k.figures.status.value) for k in report.kpis)
    goal_rows = tuple((g.id, g.owner, g.title, g.due, g.figures.unit, g.figures.baseline, g.figures.target,
                       g.figures.current.value if g.figures.current else None, g.expected, g.status.value,
                       "yes" if g.funded else "no") for g in report.goals)
    program_rows = tuple((p.id, p.owner, p.type, p.start, p.end, p.schedule.value, p.planned_hires, p.hired,
                          "yes" if p.behind else "no") for p in report.programs)
    gap_rows = tuple((rank, g.severity.value, g.kind.value, g.title,
                      " ".join(f"{e.kind}:{e.id}" for e in g.entities),
                      "; ".join(f"{e.label}: {e.value}" for e in g.evidence), g.recommendation)
                     for rank, g in enumerate(report.gaps, start=1))
    return [
        Table("report_gaps", _columns("rank:count", "severity", "kind", "title", "entities", "evidence",
                                      "recommendation"), gap_rows),
        Table("report_budgets", _columns("budget", "department", "name", *_BURN), budget_rows),
        Table("report_departments", _columns("budget", "department", "name", *_BURN), department_rows),
        Table("report_lines", _columns("budget", "department", "line", "type", *_BURN), line_rows),
        Table("report_kpis", _columns("kpi", "owner", "name", "unit", "baseline:number", "target:number",
                                      "current:number", "current_date:date", "attainment_pct:percent",
                                      "status"), kpi_rows),
        Table("report_goals", _columns("goal", "owner", "title", "due:date", "unit", "baseline:number",
                                       "target:number", "current:number", "expected:number", "status",
                                       "funded"), goal_rows),
        Table("report_programs", _columns("program", "owner", "type", "start:date", "end:date", "schedule",
                                          "planned_hires:count", "hired:count", "behind"), program_rows),
        *newer_report_tables(report),
    ]


def newer_report_tables(report: Report) -> list[Table]:
    """Format 1.1 figures: each budget's months, earned value per funded program, each role's
    hires and requisitions, capacity per process, and the waivers that hold on the report's date."""
    month_rows = tuple((b.id, m.month, round_money(m.planned), _money(m.actual), _money(m.variance),
                        round_money(m.cumulative_planned), _money(m.cumulative_actual))
                       for b in report.budgets for m in b.months)
    earned_rows = tuple((i.program, i.name, i.owner, i.start, i.end, " ".join(i.lines), i.progress_date,
                         round_money(i.figures.bac), round_money(i.figures.ac), round_pct(i.figures.planned_pct),
                         _pct(i.figures.percent_complete), round_money(i.figures.pv), _money(i.figures.ev),
                         _money(i.figures.cpi), _money(i.figures.spi), round_money(i.figures.eac),
                         round_money(i.figures.vac), i.figures.forecast_end)
                        for i in report.initiatives)
    role_rows = tuple((p.id, r.id, r.department, r.count, r.start, r.by, r.planned, r.hired, r.short,
                       *((r.requisitions.open_by_now, r.requisitions.due_next_30_days,
                          r.requisitions.next_open_date) if r.requisitions else (None, None, None)))
                      for p in report.programs for r in p.roles)
    capacity_rows = tuple((c.process, c.name, c.owner, c.unit, c.per, _number(c.capacity), _number(c.demand),
                           _pct(c.planned_utilisation), _pct(c.actual_utilisation), _number(c.utilisation_target),
                           _number(c.wip), "yes" if c.bottleneck else "no", _number(c.fte_needed))
                          for c in report.capacity)
    waiver_rows = tuple((w.id, w.rule, w.entity, w.owner, w.reason, w.expires, w.days_left,
                         "yes" if w.expiring else "no") for w in report.waivers)
    return [
        Table("report_budget_months", _columns("budget", "month", "planned:money", "actual:money", "variance:money",
                                               "cumulative_planned:money", "cumulative_actual:money"), month_rows),
        Table("report_earned_value", _columns("program", "name", "owner", "start:date", "end:date", "lines",
                                              "progress_date:date", "bac:money", "ac:money", "planned_pct:percent",
                                              "percent_complete:percent", "pv:money", "ev:money", "cpi:number",
                                              "spi:number", "eac:money", "vac:money", "forecast_end:date"),
              earned_rows),
        Table("report_roles", _columns("program", "role", "department", "count:count", "start:date", "by:date",
                                       "planned:count", "hired:count", "short:count", "open_by_now:count",
                                       "due_next_30_days:count", "next_open_date:date"), role_rows),
        Table("report_capacity", _columns("process", "name", "owner", "unit", "per", "capacity:number",
                                          "demand:number", "planned_utilisation:percent",
                                          "actual_utilisation:percent", "utilisation_target:number", "wip:number",
                                          "bottleneck", "fte_needed:number"), capacity_rows),
        Table("report_waivers", _columns("waiver", "rule", "entity", "owner", "reason", "expires:date",
                                         "days_left:count", "expiring"), waiver_rows),
    ]


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_money(value)


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_pct(value)


def _number(value: Decimal | None) -> Decimal | None:
    """A measured or computed value as the JSON report writes it (at most 4 decimals as written,
    else 2)."""
    return None if value is None else Decimal(number(value))
