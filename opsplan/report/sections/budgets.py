"""Budgets: each budget's burn at the as-of date, per department (own lines and rolled up with
sub-departments) and per line, following each line's phasing; the forecast at completion; the
month-by-month table. The gaps are in :mod:`opsplan.report.sections.budget_gaps`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from opsplan.load.actuals import Spend
from opsplan.model import Budget, BudgetLine, DepartmentAllocation, ReportSettings
from opsplan.report.forecast import forecast_figures
from opsplan.report.phasing import (
    MonthPlan,
    MonthRow,
    combined,
    line_plan,
    month_rows,
    month_spans,
)
from opsplan.report.sections.shared import (
    HUNDRED,
    Basis,
    BudgetStatus,
    elapsed_days,
    entity_source,
    period_days,
)
from opsplan.report.tolerance import band, department_tolerance, line_tolerance

# v1's fixed band, kept for callers that have no plan settings at hand.
PACE_TOLERANCE = Decimal(5)
ZERO = Decimal(0)
STATUSES = {status.value: status for status in BudgetStatus}


# Burns and lines are never changed once built, but not frozen: a frozen dataclass is built field
# by field through object.__setattr__, several times slower, and a plan has tens of thousands of
# lines. They hash like frozen ones.
@dataclass(slots=True, unsafe_hash=True)
class Burn:
    """Money figures of a line, a department or a whole budget at as_of (plan currency, exact).

    ``expected`` = what the phased plan spends up to as_of (allocated x elapsed days / period
    days for even lines); ``variance`` = actual - expected; ``used_pct`` = actual / allocated x
    100 (None when nothing is allocated); ``forecast`` = allocated x actual / expected once 10%
    of the allocation is expected (None before: too early), the actual once the period ended.
    """

    allocated: Decimal
    actual: Decimal
    expected: Decimal
    variance: Decimal
    used_pct: Decimal | None
    status: BudgetStatus
    forecast: Decimal | None = None
    forecast_variance: Decimal | None = None
    run_out: date | None = None
    tolerance: Decimal = PACE_TOLERANCE  # percent: the band the status was judged by
    # The month plan the figures follow; kept so a narrowed report can add plans up again.
    plan: MonthPlan | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True, unsafe_hash=True)
class LineReport:
    id: str
    department: str
    type: str  # opex | capex
    category: str | None
    process: str | None
    program: str | None
    account: str | None
    burn: Burn
    supports_goals: tuple[str, ...]  # goals whose supporting work this line funds
    source: str  # file:line of the line in the plan
    phasing: str = "even"  # even | a profile id | schedule


@dataclass(frozen=True, slots=True)
class DepartmentBurn:
    """One department's part of one budget: its own lines, and rolled up with its sub-departments'."""

    department: str
    name: str
    parent: str | None
    own: Burn
    rolled_up: Burn
    lines: tuple[LineReport, ...]  # own lines only
    depth: int = 0  # how many departments above it: the HTML page indents by it
    # Its own lines month by month: a report narrowed to some departments adds these up.
    months: tuple[MonthRow, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BudgetReport:
    id: str
    name: str
    start: date
    end: date
    elapsed_days: int  # inclusive, capped to the period: 0 before start, period_days after end
    period_days: int  # inclusive
    burn: Burn
    departments: tuple[DepartmentBurn, ...]  # plan order; every department with lines in its subtree
    source: str
    months: tuple[MonthRow, ...] = ()  # the budget's month-by-month table


def budget_status(actual: Decimal, expected: Decimal, tolerance: Decimal = PACE_TOLERANCE) -> BudgetStatus:
    """Over or under pace by more than tolerance% of expected spend. Before a period starts
    nothing is expected: any spend then is over, none is on plan."""
    return STATUSES[band(actual, expected, tolerance)]


def phased_burn(plan: MonthPlan, actual: Decimal, as_of: date, tolerance: Decimal) -> Burn:
    """Every money figure of a line, department or budget following its month plan."""
    allocated = plan.allocated
    expected = plan.expected(as_of)
    # The forecast at completion from the expected spend worked out here, not again.
    forecast, forecast_variance, run_out = forecast_figures(plan, actual, as_of, expected)
    # Fields in order, not by name: a plan has tens of thousands of lines, and a call by keywords
    # takes twice as long to build one.
    return Burn(allocated, actual, expected, actual - expected, actual / allocated * HUNDRED if allocated else None,
                budget_status(actual, expected, tolerance), forecast, forecast_variance, run_out, tolerance, plan)


def summed_burn(burns: Sequence[Burn], start: date, end: date, as_of: date, tolerance: Decimal) -> Burn:
    """The burn of several parts of one budget, their month plans added up."""
    plans = [part.plan for part in burns if part.plan is not None]
    plan = combined(plans, start, end)
    return phased_burn(plan, sum((part.actual for part in burns), Decimal(0)), as_of, tolerance)


def phasing_name(line: BudgetLine) -> str:
    if line.phasing.schedule is not None:
        return "schedule"
    return line.phasing.profile or "even"


def build(basis: Basis) -> tuple[BudgetReport, ...]:
    budgets = basis.plan.budgets.values()
    spent = _spent(basis.actuals.spend, budgets)
    return tuple(_budget_report(basis, budget, spent[budget.id]) for budget in budgets)


def _line_burn(basis: Basis, budget: Budget, allocation: DepartmentAllocation, line: BudgetLine,
               actual: Decimal, settings: ReportSettings) -> Burn:
    profile = basis.plan.settings.profiles.get(line.phasing.profile) if line.phasing.profile else None
    plan = line_plan(line.allocated, line.phasing, None if profile is None else profile.weights,
                     budget.start, budget.end)
    return phased_burn(plan, actual, basis.as_of, line_tolerance(line, allocation, settings))


# What a department spent in a budget's period: by line id, and in each month of the period.
DepartmentSpend = tuple[dict[str, Decimal], list[Decimal]]


def _spent(rows: Sequence[Spend], budgets: Iterable[Budget]) -> dict[str, dict[str, DepartmentSpend]]:
    """What each department spent in each budget's period, by line and by month, added up in one
    pass over the rows for every budget, in their order; by budget id, then by department in the
    order they were first spent by."""
    # Each budget's period, the calendar month it starts in (a row's month of the period is its
    # calendar month less that one, worked out inline: a ledger has a spend row per line and day),
    # its number of months, and what was spent in it.
    periods: dict[str, tuple[date, date, int, int, dict[str, DepartmentSpend]]] = {
        budget.id: (budget.start, budget.end, budget.start.year * 12 + budget.start.month,
                    len(month_spans(budget.start, budget.end)), {}) for budget in budgets}
    # A ledger lists a department's rows of one budget and date together: where a row adds to
    # is worked out for the first row of such a run and kept for the next ones (the same budget
    # and department objects, an equal date); None for a run outside every budget's period.
    last_budget: str | None = None
    last_department: str | None = None
    last_date: date | None = None
    into: tuple[dict[str, Decimal], list[Decimal], int] | None = None
    for row in rows:
        if row.budget is not last_budget or row.department is not last_department or row.date != last_date:
            last_budget, last_department, last_date, into = row.budget, row.department, row.date, None
            period = periods.get(row.budget)
            if period is not None:
                start, end, first_month, count, spent = period
                when = row.date
                if start <= when <= end:
                    department = spent.get(row.department)
                    if department is None:
                        department = spent[row.department] = ({}, [ZERO] * count)
                    into = (*department, when.year * 12 + when.month - first_month)
        if into is None:
            continue
        by_line, by_month, position = into
        amount = row.amount
        by_line[row.line] = by_line.get(row.line, ZERO) + amount
        by_month[position] += amount
    return {budget_id: period[4] for budget_id, period in periods.items()}


def _budget_report(basis: Basis, budget: Budget, spent: dict[str, DepartmentSpend]) -> BudgetReport:
    plan = basis.plan
    settings = plan.settings.report
    as_of = basis.as_of
    days = period_days(budget.start, budget.end)
    elapsed = elapsed_days(budget.start, budget.end, as_of)
    count = len(month_spans(budget.start, budget.end))
    nothing: DepartmentSpend = ({}, [ZERO] * count)

    own_lines: dict[str, list[LineReport]] = {}
    tolerances: dict[str, Decimal] = {}
    # Taken once, not per line: a plan has tens of thousands of lines.
    line_goals = basis.links.line_goals
    for allocation in budget.departments:
        tolerances[allocation.department] = department_tolerance(allocation, settings)
        if not allocation.lines:
            continue
        reports = own_lines.setdefault(allocation.department, [])
        for line in allocation.lines:
            actual = spent.get(line.department, nothing)[0].get(line.id, ZERO)
            reports.append(LineReport(
                line.id, line.department, line.type.value, line.category, line.process, line.program,
                line.account, _line_burn(basis, budget, allocation, line, actual, settings),
                line_goals(line), entity_source(line.origin), phasing_name(line)))

    own_burns = {department_id: summed_burn([line.burn for line in lines], budget.start, budget.end, as_of,
                                            tolerances.get(department_id, settings.tolerance))
                 for department_id, lines in own_lines.items()}
    rolled: dict[str, list[Burn]] = {}
    for department_id, own in own_burns.items():
        # Each department's lines count for it and for every ancestor, once; added up by
        # department, not by line, so a deep tree adds twelve months per department.
        for target in (department_id, *plan.ancestors(department_id)):
            rolled.setdefault(target, []).append(own)

    departments: list[DepartmentBurn] = []
    for department_id, department in plan.departments.items():
        if department_id not in rolled:
            continue
        own = own_burns.get(department_id) or summed_burn([], budget.start, budget.end, as_of,
                                                          tolerances.get(department_id, settings.tolerance))
        departments.append(DepartmentBurn(
            department=department_id, name=department.name, parent=department.parent, own=own,
            rolled_up=summed_burn(rolled[department_id], budget.start, budget.end, as_of, settings.tolerance),
            lines=tuple(own_lines.get(department_id, ())), depth=len(plan.ancestors(department_id)),
            months=month_rows(own.plan, spent.get(department_id, nothing)[1], as_of)
            if own.plan is not None else ()))
    whole = summed_burn(list(own_burns.values()), budget.start, budget.end, as_of, settings.tolerance)
    every_month = [Decimal(0)] * count
    for _, spent_in in spent.values():
        for position, amount in enumerate(spent_in):
            every_month[position] += amount
    months = month_rows(whole.plan, every_month, as_of) if whole.plan is not None else ()
    return BudgetReport(
        id=budget.id, name=budget.name, start=budget.start, end=budget.end, elapsed_days=elapsed,
        period_days=days, burn=whole, departments=tuple(departments),
        source=entity_source(budget.origin), months=months)


def added_months(tables: Sequence[tuple[MonthRow, ...]]) -> tuple[MonthRow, ...]:
    """Month tables of parts of one budget added up: every figure of a month row adds."""
    def add(values: Sequence[Decimal | None]) -> Decimal | None:
        known = [value for value in values if value is not None]
        return sum(known, Decimal(0)) if len(known) == len(values) else None

    tables = [table for table in tables if table]
    if not tables:
        return ()
    return tuple(MonthRow(rows[0].month, sum((row.planned for row in rows), Decimal(0)),
                          add([row.actual for row in rows]), add([row.variance for row in rows]),
                          sum((row.cumulative_planned for row in rows), Decimal(0)),
                          add([row.cumulative_actual for row in rows]))
                 for rows in zip(*tables, strict=True))
