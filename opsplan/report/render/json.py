"""The report as one JSON document, described by schemas/report.schema.json: every figure, money
as decimal strings rounded to cents, percentages as decimal strings rounded to one decimal,
measured values as written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from opsplan import __version__
from opsplan.figures import money, number, pct
from opsplan.render.escape import json_safe
from opsplan.report.model import Report
from opsplan.report.phasing import MonthRow
from opsplan.report.render.json_layout import Encoded, Rows, document_pieces
from opsplan.report.render.view import RenderOptions
from opsplan.report.sections.budgets import BudgetReport, Burn, DepartmentBurn, LineReport
from opsplan.report.sections.capacity import CapacityReport
from opsplan.report.sections.goals import GoalReport
from opsplan.report.sections.headcount import HeadcountReport, Staffing
from opsplan.report.sections.initiatives import InitiativeReport, index
from opsplan.report.sections.kpis import HistoryPoint, KpiReport, MeasureFigures, Observation
from opsplan.report.sections.programs import ProgramReport, RoleReport
from opsplan.report.sections.shared import Gap

REPORT_FORMAT = 1


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _number(value: Decimal | None) -> str | None:
    return None if value is None else number(value)


def _pct(value: Decimal | None) -> str | None:
    return None if value is None else pct(value)


def _burn(figures: Burn) -> dict[str, Any]:
    return {"allocated": money(figures.allocated), "actual": money(figures.actual),
            "expected": money(figures.expected), "variance": money(figures.variance),
            "used_pct": _pct(figures.used_pct), "status": figures.status.value,
            "forecast": _money(figures.forecast), "forecast_variance": _money(figures.forecast_variance),
            "run_out": _date(figures.run_out)}


def _money(value: Decimal | None) -> str | None:
    return None if value is None else money(value)


def _month(row: MonthRow) -> dict[str, Any]:
    return {"month": row.month, "planned": money(row.planned), "actual": _money(row.actual),
            "variance": _money(row.variance), "cumulative_planned": money(row.cumulative_planned),
            "cumulative_actual": _money(row.cumulative_actual)}


def _earned_value(item: InitiativeReport | None) -> dict[str, Any]:
    """A program's earned value figures, all null for a program no line funds."""
    if item is None:
        return dict.fromkeys(EARNED_VALUE_NAMES)
    ev = item.figures
    return {"bac": money(ev.bac), "ac": money(ev.ac), "planned_pct": pct(ev.planned_pct),
            "percent_complete": _pct(ev.percent_complete), "pv": money(ev.pv), "ev": _money(ev.ev),
            "cpi": None if ev.cpi is None else index(ev.cpi), "spi": None if ev.spi is None else index(ev.spi),
            "eac": money(ev.eac), "vac": money(ev.vac), "forecast_end": _date(ev.forecast_end)}


EARNED_VALUE_NAMES = ("bac", "ac", "planned_pct", "percent_complete", "pv", "ev", "cpi", "spi", "eac", "vac",
                      "forecast_end")


def _line(line: LineReport) -> dict[str, Any]:
    return {"id": line.id, "type": line.type, "category": line.category, "process": line.process,
            "program": line.program, "account": line.account, "phasing": line.phasing, **_burn(line.burn),
            "supports_goals": list(line.supports_goals), "source": line.source}


def _department(department: DepartmentBurn) -> dict[str, Any]:
    return {"department": department.department, "name": department.name, "parent": department.parent,
            "own": _burn(department.own), "rolled_up": _burn(department.rolled_up),
            "lines": [_line(line) for line in department.lines]}


def _budget(budget: BudgetReport) -> dict[str, Any]:
    return {"id": budget.id, "name": budget.name, "start": _date(budget.start), "end": _date(budget.end),
            "elapsed_days": budget.elapsed_days, "period_days": budget.period_days, **_burn(budget.burn),
            "departments": [_department(department) for department in budget.departments],
            "months": [_month(row) for row in budget.months], "source": budget.source}


def _current(current: Observation | None) -> dict[str, Any] | None:
    if current is None:
        return None
    return {"value": number(current.value), "date": _date(current.date), "source": current.source.value,
            "origin": current.origin}


def _figures(figures: MeasureFigures) -> dict[str, Any]:
    return {"unit": figures.unit, "better": figures.better.value, "baseline": _number(figures.baseline),
            "target": number(figures.target), "current": _current(figures.current), "gap": _number(figures.gap),
            "attainment_pct": _pct(figures.attainment_pct), "status": figures.status.value,
            "readings": _readings(figures.history)}


def _readings(history: Sequence[HistoryPoint]) -> Encoded | list[Any]:
    """A measure's history, the longest list of a report (a reading a month for years): written
    straight as the text json would make of its dates and values (neither of which ever needs
    escaping), without a dictionary a reading."""
    if not history:
        return []
    return Encoded("[" + ", ".join([f'{{"date": "{point.date.isoformat()}", "value": "{number(point.value)}"}}'
                                    for point in history]) + "]")


def _kpi(kpi: KpiReport) -> dict[str, Any]:
    return {"ref": kpi.ref, "process": kpi.process, "owner": kpi.owner, "name": kpi.name, **_figures(kpi.figures),
            "cadence": kpi.cadence, "improved_by": list(kpi.improved_by), "measures_goals": list(kpi.measures_goals),
            "source": kpi.source}


def _goal(goal: GoalReport) -> dict[str, Any]:
    figures = _figures(goal.figures)
    status = figures.pop("status")
    return {"id": goal.id, "title": goal.title, "owner": goal.owner, "parent": goal.parent,
            "due": _date(goal.due), "perspective": goal.perspective, "measure": goal.measure, **figures,
            "measure_status": status, "path": [{"date": _date(point.date), "value": number(point.value),
                                                "kind": point.kind} for point in goal.path],
            "expected": _number(goal.expected), "behind": _number(goal.behind), "status": goal.status.value,
            "supporters": [{"kind": s.kind, "id": s.id, "name": s.name, "funded_by": list(s.funded_by)}
                           for s in goal.supporters],
            "supported": goal.supported, "supported_through": list(goal.supported_through),
            "funded": goal.funded, "source": goal.source}


def _staffing(staffing: Staffing) -> dict[str, Any]:
    return {"current": staffing.current, "planned": staffing.planned, "actual": staffing.actual}


def _headcount(head: HeadcountReport) -> dict[str, Any]:
    return {"department": head.department, "name": head.name, "parent": head.parent, "own": _staffing(head.own),
            "rolled_up": _staffing(head.rolled_up), "actual_date": _date(head.actual_date),
            "actual_origin": head.actual_origin,
            "at_program_ends": [{"program": end.program, "date": _date(end.date), "planned": end.planned}
                                for end in head.at_program_ends],
            "planned": head.own.planned, "attrition_pct": _pct(head.attrition_pct), "leavers": head.leavers}


def _role(role: RoleReport) -> dict[str, Any]:
    openings = role.requisitions
    return {"id": role.id, "count": role.count, "start": _date(role.start), "planned": role.planned,
            "hired": role.hired, "short": role.short, "department": role.department, "by": _date(role.by),
            "requisitions": None if openings is None else {
                "open_by_now": openings.open_by_now, "due_next_30_days": openings.due_next_30_days,
                "next_open_date": _date(openings.next_open_date)}}


def _capacity(process: CapacityReport) -> dict[str, Any]:
    return {"process": process.process, "name": process.name, "owner": process.owner, "unit": process.unit,
            "per": process.per, "capacity": _number(process.capacity), "demand": _number(process.demand),
            "planned_utilisation": _pct(process.planned_utilisation),
            "actual_utilisation": _pct(process.actual_utilisation),
            "utilisation_target": _number(process.utilisation_target), "wip": _number(process.wip),
            "bottleneck": process.bottleneck, "fte_needed": _number(process.fte_needed), "source": process.source}


def _program(program: ProgramReport, earned: InitiativeReport | None) -> dict[str, Any]:
    training = program.training
    return {
        "id": program.id, "name": program.name, "type": program.type, "owner": program.owner,
        "start": _date(program.start), "end": _date(program.end), "schedule": program.schedule.value,
        "elapsed_days": program.elapsed_days, "period_days": program.period_days,
        "improves": list(program.improves), "supports_goals": list(program.supports_goals),
        "funded_by": list(program.funded_by),
        "roles": [_role(role) for role in program.roles],
        "planned_hires": program.planned_hires, "hired": program.hired,
        "training": None if training is None else {
            "participants": training.participants, "completed": training.completed,
            "completion_pct": _pct(training.completion_pct),
            "completion_target": _number(training.completion_target),
            "expected_pct": _pct(training.expected_pct)},
        "behind": program.behind, **_earned_value(earned), "source": program.source}


def _gap(rank: int, gap: Gap) -> dict[str, Any]:
    return {"rank": rank, "kind": gap.kind.value, "severity": gap.severity.value, "size_pct": pct(gap.size * 100),
            "title": gap.title, "entities": [{"kind": entity.kind, "id": entity.id} for entity in gap.entities],
            "evidence": [{"label": item.label, "value": item.value} for item in gap.evidence],
            "recommendation": gap.recommendation}


def report_document(report: Report) -> dict[str, Any]:
    """The JSON document of a report. Its long lists (budgets, KPIs, goals...) are `Rows`, made
    item by item while they are written: a plan of a ledger's size never holds all its items as
    dictionaries at once, only as the text they become."""
    earned = {item.program: item for item in report.initiatives}
    return {
        "report_format": REPORT_FORMAT,
        "opsplan_version": __version__,
        "organization": report.organization,
        "currency": report.currency,
        "as_of": _date(report.as_of),
        "horizon": {"start": _date(report.horizon_start), "end": _date(report.horizon_end)},
        "actuals_files": list(report.actuals_files),
        "budgets": Rows(_budget(budget) for budget in report.budgets),
        "kpis": Rows(_kpi(kpi) for kpi in report.kpis),
        "goals": Rows(_goal(goal) for goal in report.goals),
        "headcount": Rows(_headcount(head) for head in report.headcount),
        "programs": Rows(_program(program, earned.get(program.id)) for program in report.programs),
        "capacity": Rows(_capacity(process) for process in report.capacity),
        "gaps": Rows(_gap(rank, gap) for rank, gap in enumerate(report.gaps, start=1)),
        "waivers": [{"id": w.id, "rule": w.rule, "entity": w.entity, "owner": w.owner, "reason": w.reason,
                     "expires": _date(w.expires), "days_left": w.days_left, "expiring": w.expiring}
                    for w in report.waivers],
    }


def render(report: Report, options: RenderOptions) -> Iterator[str]:
    return report_json_pieces(report)


def render_report_json(report: Report) -> str:
    return "".join(report_json_pieces(report))


def report_json_pieces(report: Report) -> Iterator[str]:
    """The document in pieces of about an item of a section each, written while the rest is still
    being made: the text of a ledger's report is never held whole."""
    for piece in document_pieces(report_document(report)):
        yield json_safe(piece)
    yield "\n"
