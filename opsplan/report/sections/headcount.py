"""Headcount: each department's people in the plan, planned by the as-of date (with the hiring
roles started by then) and last counted, own and rolled up with sub-departments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from opsplan.model import HiringRole, Program, ProgramType
from opsplan.report.sections.shared import Basis


@dataclass(frozen=True, slots=True)
class PlannedAt:
    program: str
    date: date  # the hiring program's end
    planned: int


@dataclass(frozen=True, slots=True)
class Staffing:
    current: int  # YAML headcount (0 when not given)
    planned: int  # at as_of
    actual: int | None  # latest headcount row on or before as_of


@dataclass(frozen=True, slots=True)
class HeadcountReport:
    department: str
    name: str
    parent: str | None
    own: Staffing
    rolled_up: Staffing  # a sub-department without headcount rows counts with its plan figure
    actual_date: date | None
    actual_origin: str | None  # file:line of the row
    at_program_ends: tuple[PlannedAt, ...]  # own hiring programs
    depth: int = 0  # how many departments above it: the HTML page indents by it


def headcount_total(headcount: tuple[HeadcountReport, ...]) -> Staffing | None:
    """The organisation's figures: its top-level departments' rolled-up ones added up. The actual
    counts a tree without headcount rows as in the plan, as a department's total does, and is None
    when no department has rows."""
    tops = [department.rolled_up for department in headcount if department.parent is None]
    if not tops:
        return None
    counted = any(staffing.actual is not None for staffing in tops)
    return Staffing(
        current=sum(staffing.current for staffing in tops),
        planned=sum(staffing.planned for staffing in tops),
        actual=sum(staffing.current if staffing.actual is None else staffing.actual for staffing in tops)
        if counted else None)


def build(basis: Basis) -> tuple[HeadcountReport, ...]:
    plan, as_of = basis.plan, basis.as_of
    roles_by_owner: dict[str, list[HiringRole]] = {}
    hiring_by_owner: dict[str, list[Program]] = {}
    for program in plan.programs.values():
        if program.type is ProgramType.HIRING:
            roles_by_owner.setdefault(program.owner, []).extend(program.roles)
            hiring_by_owner.setdefault(program.owner, []).append(program)

    def planned(department_id: str, when: date) -> int:
        base = plan.departments[department_id].headcount or 0
        return base + sum(role.count for role in roles_by_owner.get(department_id, ()) if role.start <= when)

    latest = basis.actuals.latest_headcount()
    own: dict[str, Staffing] = {}
    for department_id, department in plan.departments.items():
        row = latest.get(department_id)
        own[department_id] = Staffing(department.headcount or 0, planned(department_id, as_of),
                                      row.headcount if row is not None else None)

    children = plan.children()
    rolled: dict[str, Staffing] = {}

    def roll(department_id: str, seen: frozenset[str]) -> tuple[Staffing, int, bool]:
        """Rolled-up figures, the subtree's headcount as last counted, and whether any
        department in the subtree has headcount rows."""
        mine = own[department_id]
        current, planned_total = mine.current, mine.planned
        counted = mine.actual if mine.actual is not None else mine.current
        rows = mine.actual is not None
        for child in children[department_id]:
            if child in seen:  # a cycle, which OPS301 reports
                continue
            below, below_counted, below_rows = roll(child, seen | {child})
            current += below.current
            planned_total += below.planned
            counted += below_counted
            rows = rows or below_rows
        return Staffing(current, planned_total, counted if rows else None), counted, rows

    for department_id in plan.departments:
        rolled[department_id] = roll(department_id, frozenset({department_id}))[0]

    reports: list[HeadcountReport] = []
    for department_id, department in plan.departments.items():
        row = latest.get(department_id)
        reports.append(HeadcountReport(
            department=department_id, name=department.name, parent=department.parent,
            own=own[department_id], rolled_up=rolled[department_id],
            actual_date=row.date if row is not None else None,
            actual_origin=str(row.origin) if row is not None else None,
            at_program_ends=tuple(PlannedAt(program.id, program.end, planned(department_id, program.end))
                                  for program in hiring_by_owner.get(department_id, ())),
            depth=len(plan.ancestors(department_id))))
    return tuple(reports)
