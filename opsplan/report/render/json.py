"""The report as one JSON document, described by schemas/report.schema.json: every figure, money
as decimal strings rounded to cents, percentages as decimal strings rounded to one decimal,
measured values as written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from opsplan import __version__
from opsplan.figures import money, number, pct
from opsplan.render.escape import json_safe
from opsplan.report.model import Report
from opsplan.report.render.json_layout import Rows, document_pieces
from opsplan.report.render.json_records import RecordWriter
from opsplan.report.render.view import RenderOptions
from opsplan.report.sections.capacity import CapacityReport
from opsplan.report.sections.headcount import HeadcountReport, Staffing
from opsplan.report.sections.initiatives import InitiativeReport, index
from opsplan.report.sections.programs import ProgramReport, RoleReport

REPORT_FORMAT = 1


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _number(value: Decimal | None) -> str | None:
    return None if value is None else number(value)


def _pct(value: Decimal | None) -> str | None:
    return None if value is None else pct(value)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else money(value)


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


def report_document(report: Report) -> dict[str, Any]:
    """The JSON document of a report. Its long lists (budgets, KPIs, goals...) are `Rows`, made
    item by item while they are written: a plan of a ledger's size never holds all its items as
    dictionaries at once, only as the text they become. The largest records (KPIs, budgets, goals,
    gaps) are written as text straight away, without a dictionary."""
    earned = {item.program: item for item in report.initiatives}
    records = RecordWriter()
    return {
        "report_format": REPORT_FORMAT,
        "opsplan_version": __version__,
        "organization": report.organization,
        "currency": report.currency,
        "as_of": _date(report.as_of),
        "horizon": {"start": _date(report.horizon_start), "end": _date(report.horizon_end)},
        "actuals_files": list(report.actuals_files),
        "budgets": Rows(report.budgets, records.budget),
        "kpis": Rows(report.kpis, records.kpi),
        "goals": Rows(report.goals, records.goal),
        "headcount": Rows(_headcount(head) for head in report.headcount),
        "programs": Rows(_program(program, earned.get(program.id)) for program in report.programs),
        "capacity": Rows(_capacity(process) for process in report.capacity),
        "gaps": Rows(enumerate(report.gaps, start=1), records.gap),
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
