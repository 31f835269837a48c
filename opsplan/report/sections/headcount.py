"""Headcount: each department's people in the plan, planned by the as-of date (its headcount,
plus the hires of the roles landing on it spread from each role's start to its `by`, net of the
department's attrition) and last counted, own and rolled up with sub-departments; the people who
left since the horizon started and that rate over a year; planned against counted on each date a
headcount row was counted, for the HTML page's chart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from opsplan.formulas.workforce import actual_attrition, planned_headcount, planned_hires
from opsplan.model import HiringRole, Plan, Program, ProgramType
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
class CountedAt:
    """One headcount row against the plan on its date: the chart's two lines."""

    date: date
    planned: int
    actual: int


@dataclass(frozen=True, slots=True)
class HeadcountReport:
    department: str
    name: str
    parent: str | None
    own: Staffing
    rolled_up: Staffing  # a sub-department without headcount rows counts with its plan figure
    actual_date: date | None
    actual_origin: str | None  # file:line of the row
    at_program_ends: tuple[PlannedAt, ...]  # hiring programs with roles landing on it
    depth: int = 0  # how many departments above it: the HTML page indents by it
    leavers: int | None = None  # since the horizon started, by the latest headcount row
    attrition_pct: Decimal | None = None  # leavers a year as a share of the plan's headcount
    history: tuple[CountedAt, ...] = ()  # every headcount row on or before as_of, in date order


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


def _pct(value: Fraction) -> Decimal:
    """A percentage to one decimal, half away from zero (more people than planned may be counted,
    which makes the leavers negative)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


class Workforce:
    """The roles landing on each department, indexed once: planned headcount on any date."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.roles: dict[str, list[tuple[Program, HiringRole]]] = {}
        for program in plan.programs.values():
            if program.type is ProgramType.HIRING:
                for role in program.roles:
                    self.roles.setdefault(role.department or program.owner, []).append((program, role))

    def hires(self, department_id: str, when: date) -> int:
        return sum(planned_hires(role, when) for _, role in self.roles.get(department_id, ()))

    def planned(self, department_id: str, when: date) -> int:
        department = self.plan.departments[department_id]
        # Attrition cannot take away people who are not there: a long horizon at a high rate ends at 0.
        return max(0, planned_headcount(department.headcount or 0, self.hires(department_id, when),
                                        department.attrition, self.plan.settings.horizon.start, when))

    def programs(self, department_id: str) -> list[Program]:
        """The hiring programs with roles landing on the department, once each, in plan order."""
        return list({program.id: program for program, _ in self.roles.get(department_id, ())}.values())


def _rolled_up(department_id: str, seen: frozenset[str], own: Mapping[str, Staffing],
               children: Mapping[str, list[str]]) -> tuple[Staffing, int, bool]:
    """Rolled-up figures, the subtree's headcount as last counted, and whether any department
    in the subtree has headcount rows. (A function of its own, not a closure over the build's
    figures: a closure that calls itself is a reference cycle, and the command line runs
    without the cyclic collector.)"""
    mine = own[department_id]
    current, planned_total = mine.current, mine.planned
    counted = mine.actual if mine.actual is not None else mine.current
    rows = mine.actual is not None
    for child in children[department_id]:
        if child in seen:  # a cycle, which OPS301 reports
            continue
        below, below_counted, below_rows = _rolled_up(child, seen | {child}, own, children)
        current += below.current
        planned_total += below.planned
        counted += below_counted
        rows = rows or below_rows
    return Staffing(current, planned_total, counted if rows else None), counted, rows


def build(basis: Basis) -> tuple[HeadcountReport, ...]:
    plan, as_of = basis.plan, basis.as_of
    workforce = Workforce(plan)
    landing: dict[tuple[str, str], str] = {
        (program.id, role.id): lands_on
        for lands_on, roles in workforce.roles.items() for program, role in roles}
    hire_rows: dict[str, list[tuple[date, int]]] = {}
    for hire in basis.actuals.hires:
        lands_on = landing.get((hire.program, hire.role))
        if lands_on is not None:
            hire_rows.setdefault(lands_on, []).append((hire.date, hire.hired))
    counted_rows: dict[str, dict[date, int]] = {}  # on one date, the row read last counts
    for count in sorted(basis.actuals.headcount, key=lambda row: row.date):
        counted_rows.setdefault(count.department, {})[count.date] = count.headcount

    latest = basis.actuals.latest_headcount()
    own: dict[str, Staffing] = {}
    for department_id, department in plan.departments.items():
        row = latest.get(department_id)
        own[department_id] = Staffing(department.headcount or 0, workforce.planned(department_id, as_of),
                                      row.headcount if row is not None else None)

    children = plan.children()
    rolled: dict[str, Staffing] = {}

    for department_id in plan.departments:
        rolled[department_id] = _rolled_up(department_id, frozenset({department_id}), own, children)[0]

    horizon_start = plan.settings.horizon.start
    reports: list[HeadcountReport] = []
    for department_id, department in plan.departments.items():
        row = latest.get(department_id)
        leavers: int | None = None
        attrition_pct: Decimal | None = None
        if row is not None:
            hired = sum(count for when, count in hire_rows.get(department_id, ()) if when <= row.date)
            found = actual_attrition(department.headcount or 0, hired, row.headcount, (row.date - horizon_start).days)
            leavers = found.leavers
            attrition_pct = None if found.annualised_pct is None else _pct(found.annualised_pct)
        reports.append(HeadcountReport(
            department=department_id, name=department.name, parent=department.parent,
            own=own[department_id], rolled_up=rolled[department_id],
            actual_date=row.date if row is not None else None,
            actual_origin=str(row.origin) if row is not None else None,
            at_program_ends=tuple(PlannedAt(program.id, program.end, workforce.planned(department_id, program.end))
                                  for program in workforce.programs(department_id)),
            depth=len(plan.ancestors(department_id)), leavers=leavers, attrition_pct=attrition_pct,
            history=tuple(CountedAt(when, workforce.planned(department_id, when), count)
                          for when, count in counted_rows.get(department_id, {}).items())))
    return tuple(reports)
