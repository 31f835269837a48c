"""The report as one JSON document, described by schemas/report.schema.json: every figure, money
as decimal strings rounded to cents, percentages as decimal strings rounded to one decimal,
measured values as written."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from opsplan import __version__
from opsplan.figures import money, number, pct
from opsplan.render.escape import json_safe
from opsplan.report.model import Report
from opsplan.report.phasing import MonthRow
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
    for piece in _document_pieces(report_document(report)):
        yield json_safe(piece)
    yield "\n"


def _document_pieces(document: dict[str, Any]) -> Iterator[str]:
    """The document laid out as ``_layout`` lays it out, its sections' items a piece each."""
    peeked: dict[str, Any] = {}
    for key, value in document.items():
        if isinstance(value, Rows):
            value, nests = _peeked(value)
            if not nests:  # all made already, and plain: a list like any other
                value = list(value.items)
        peeked[key] = value
    if _nesting(peeked) < DEEP:  # a report of nothing: one line
        yield _encode(peeked)
        return
    separator = "{\n"
    for key, value in peeked.items():
        yield f"{separator}  {_string(key)}: "
        if isinstance(value, Rows):
            yield from _rows_pieces(value, 1)
        else:
            yield _layout(value, 1)[0]
        separator = ",\n"
    yield "\n}"


def _peeked(rows: Rows) -> tuple[Rows, bool]:
    """The same rows, and whether one of them is a container (whatever holds the list is then
    laid out an item a line), found by making the items up to the first container."""
    items = iter(rows.items)
    made = []
    for item in items:
        made.append(item)
        if isinstance(item, _CONTAINERS):
            return Rows(itertools.chain(made, items)), True
    return Rows(made), False


def _rows_pieces(rows: Rows, depth: int) -> Iterator[str]:
    """A section's list at ``depth``, an item a line as soon as one item nests two levels deep,
    else on one line (decided before any of it is written, by holding the items until then)."""
    items = iter(rows.items)
    held: list[str] = []
    pad = "  " * (depth + 1)
    for item in items:
        text, height = _item_layout(item, depth + 1)
        if height >= SHALLOW:  # the list nests deeper than two levels: an item a line
            yield "[\n" + "".join(f"{pad}{earlier},\n" for earlier in held) + pad + text
            for later in items:
                yield f",\n{pad}{_item_layout(later, depth + 1)[0]}"
            yield f"\n{'  ' * depth}]"
            return
        held.append(text)
    yield f"[{', '.join(held)}]"


def _item_layout(item: Any, depth: int) -> tuple[str, int]:
    return _layout(item, depth) if isinstance(item, _CONTAINERS) else (_plain(item), 0)


class Rows:
    """A list of a document whose items are made only as it is written (once: it is an
    iterator). It is written exactly as the list of the same items would be."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


class Encoded:
    """A list of flat records already written as json writes it on one line: it nests two levels
    deep, so whatever holds it is laid out an item a line."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _one_line_encoder() -> Callable[[Any], str]:
    """json's encoder of one line, made once: ``JSONEncoder.encode`` makes a new C encoder for
    every value, which cost more than encoding the report's small records."""
    standard = json.JSONEncoder(ensure_ascii=False).encode
    make = getattr(json.encoder, "c_make_encoder", None)  # not in the type stubs
    if make is None:  # a Python built without json's accelerator
        return standard
    try:
        encoder = make(None, _not_json, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    except TypeError:  # a Python whose accelerator takes other arguments
        return standard
    return lambda value: "".join(encoder(value, 0))


def _not_json(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON")


_encode = _one_line_encoder()
_string = json.encoder.encode_basestring  # what the encoder writes a string with, without ensure_ascii
_CONTAINERS = (dict, list, Rows, Encoded)
_CONTAINER_TYPES = frozenset(_CONTAINERS)  # the document is made of these exact types
FLAT, SHALLOW, DEEP = 1, 2, 3  # how deeply a container nests, as far as its layout cares
HOLDS_ROWS = 4  # not known until its rows are made


def _layout(value: Any, depth: int) -> tuple[str, int]:
    """The text of a value at ``depth`` and how deeply it nests (0 for a plain value). A
    container nesting at most two levels deep (a reading, a role, a burn) stays on one line,
    encoded whole by json's fast encoder; a deeper one has an item a line, each laid out the same
    way one level further in: easy to read and diff (indenting everything with ``indent=`` falls
    back to a pure-Python encoder, several times slower on large plans)."""
    keys: list[str] = []
    items: Iterable[Any]
    if isinstance(value, Encoded):
        return value.text, SHALLOW
    if isinstance(value, (dict, list)):
        height = _nesting(value)
        if height < DEEP:
            return _encode(value), height
        if height == DEEP:
            return _deep(value, depth), DEEP
        if isinstance(value, dict):  # it holds rows still to be made: how deep is known once they are
            keys, items = list(value), list(value.values())
        else:
            items = value
    elif isinstance(value, Rows):
        items = value.items  # made one at a time, as they are laid out
    else:
        return _encode(value), 0
    texts: list[str] = []
    height = FLAT
    for item in items:
        if isinstance(item, _CONTAINERS):
            text, child = _layout(item, depth + 1)
            height = max(height, min(DEEP, child + 1))
        else:
            text = _plain(item)
        texts.append(text)
    if height < DEEP:  # rows made as they were written turned out plain: one line after all
        if keys:
            return f"{{{', '.join(f'{_string(key)}: {text}' for key, text in zip(keys, texts, strict=True))}}}", height
        return f"[{', '.join(texts)}]", height
    start = f"\n{'  ' * (depth + 1)}"
    if keys:
        texts = [f"{start}{_string(key)}: {text}" for key, text in zip(keys, texts, strict=True)]
    else:
        texts = [start + text for text in texts]
    return f"{'{' if keys else '['}{','.join(texts)}\n{'  ' * depth}{'}' if keys else ']'}", DEEP


def _deep(value: dict[str, Any] | list[Any], depth: int) -> str:
    """A container known to nest deeper than two levels, an item a line (the report's KPIs,
    budget lines and goals: a ledger's report has tens of thousands)."""
    inner = depth + 1
    if isinstance(value, dict):
        starts = _key_starts.setdefault(inner, {})
        lines = []
        for key, item in value.items():
            start = starts.get(key)
            if start is None:
                start = f"\n{'  ' * inner}{_string(key)}: "
                if len(starts) < 1000:  # the document's own names, not data
                    starts[key] = start
            lines.append(start + _text(item, inner))
        return f"{{{','.join(lines)}\n{'  ' * depth}}}"
    start = f"\n{'  ' * inner}"
    return f"[{','.join([start + _text(item, inner) for item in value])}\n{'  ' * depth}]"


_key_starts: dict[int, dict[str, str]] = {}  # depth -> key -> its line's start


def _text(value: Any, depth: int) -> str:
    return _item_layout(value, depth)[0]


def _nesting(value: dict[str, Any] | list[Any]) -> int:
    """FLAT for a container of plain values, SHALLOW when it also holds flat containers, DEEP when
    deeper (as when it holds records already written), else HOLDS_ROWS when it holds rows still
    to be made, whose depth is known only once they are."""
    children = value.values() if isinstance(value, dict) else value
    containers = [child for child in children if type(child) in _CONTAINER_TYPES]  # most hold none
    if not containers:
        return FLAT
    rows = False
    for child in containers:
        if type(child) is Rows:
            rows = True
        elif type(child) is Encoded or any(type(inner) in _CONTAINER_TYPES
                                           for inner in (child.values() if type(child) is dict else child)):
            return DEEP
    return HOLDS_ROWS if rows else SHALLOW


def _plain(value: Any) -> str:
    """A plain value as json writes it; strings and nulls, most of them, without its encoder's
    set-up for each."""
    if isinstance(value, str):
        return _string(value)
    return "null" if value is None else _encode(value)
