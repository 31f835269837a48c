"""Budgets: each budget's burn at the as-of date, per department (own lines and rolled up with
sub-departments) and per line; gaps where a department spends ahead of pace, or where money
funds nothing a goal needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from opsplan.figures import pct, signed_money
from opsplan.model import Budget, Plan
from opsplan.report import wording
from opsplan.report.sections.shared import (
    HUNDRED,
    Basis,
    BudgetStatus,
    EntityRef,
    Evidence,
    Gap,
    GapKind,
    GapSeverity,
    elapsed_days,
    line_ref,
    period_days,
    share,
    source_of,
)

# A budget is over (under) pace when its variance is more than this share of expected spend.
PACE_TOLERANCE = Decimal("0.05")
# Over pace by more than this share of expected spend (or past the allocation) is a high gap.
SEVERE_OVERSPEND = Decimal("0.25")


@dataclass(frozen=True, slots=True)
class Burn:
    """Money figures of a line, a department or a whole budget at as_of (plan currency, exact).

    ``expected`` = allocated x elapsed days / period days; ``variance`` = actual - expected;
    ``used_pct`` = actual / allocated x 100 (None when nothing is allocated).
    """

    allocated: Decimal
    actual: Decimal
    expected: Decimal
    variance: Decimal
    used_pct: Decimal | None
    status: BudgetStatus


@dataclass(frozen=True, slots=True)
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


def budget_status(actual: Decimal, expected: Decimal) -> BudgetStatus:
    """Over or under pace by more than 5% of expected spend. Before a period starts nothing is
    expected: any spend then is over, none is on plan."""
    if expected == 0:
        return BudgetStatus.OVER if actual > 0 else BudgetStatus.ON_PLAN
    variance = actual - expected
    tolerance = expected.copy_abs() * PACE_TOLERANCE
    if variance > tolerance:
        return BudgetStatus.OVER
    if variance < -tolerance:
        return BudgetStatus.UNDER
    return BudgetStatus.ON_PLAN


def burn(allocated: Decimal, actual: Decimal, elapsed: int, days: int) -> Burn:
    expected = allocated * elapsed / days if elapsed < days else allocated
    return Burn(
        allocated=allocated,
        actual=actual,
        expected=expected,
        variance=actual - expected,
        used_pct=actual / allocated * HUNDRED if allocated else None,
        status=budget_status(actual, expected),
    )


def build(basis: Basis) -> tuple[BudgetReport, ...]:
    return tuple(_budget_report(basis, budget) for budget in basis.plan.budgets.values())


def _budget_report(basis: Basis, budget: Budget) -> BudgetReport:
    plan = basis.plan
    days = period_days(budget.start, budget.end)
    elapsed = elapsed_days(budget.start, budget.end, basis.as_of)
    spent: dict[tuple[str, str], Decimal] = {}
    for row in basis.actuals.spend:
        if row.budget == budget.id and budget.start <= row.date <= budget.end:
            key = (row.department, row.line)
            spent[key] = spent.get(key, Decimal(0)) + row.amount

    own_lines: dict[str, list[LineReport]] = {}
    for allocation in budget.departments:
        for line in allocation.lines:
            actual = spent.get((line.department, line.id), Decimal(0))
            own_lines.setdefault(allocation.department, []).append(LineReport(
                id=line.id, department=line.department, type=line.type.value, category=line.category,
                process=line.process, program=line.program, account=line.account,
                burn=burn(line.allocated, actual, elapsed, days), supports_goals=basis.links.line_goals(line),
                source=source_of(line.origin.location)))

    def totals(lines: list[LineReport]) -> tuple[Decimal, Decimal]:
        return (sum((line.burn.allocated for line in lines), Decimal(0)),
                sum((line.burn.actual for line in lines), Decimal(0)))

    own_totals = {department: totals(lines) for department, lines in own_lines.items()}
    rolled: dict[str, tuple[Decimal, Decimal]] = {}
    for department_id, (allocated, actual) in own_totals.items():
        # Each department's lines count for it and for every ancestor, once.
        for target in (department_id, *plan.ancestors(department_id)):
            before = rolled.get(target, (Decimal(0), Decimal(0)))
            rolled[target] = (before[0] + allocated, before[1] + actual)

    departments: list[DepartmentBurn] = []
    for department_id, department in plan.departments.items():
        if department_id not in rolled:
            continue
        own = own_totals.get(department_id, (Decimal(0), Decimal(0)))
        departments.append(DepartmentBurn(
            department=department_id, name=department.name, parent=department.parent,
            own=burn(own[0], own[1], elapsed, days),
            rolled_up=burn(*rolled[department_id], elapsed, days),
            lines=tuple(own_lines.get(department_id, ())), depth=len(plan.ancestors(department_id))))
    allocated, actual = totals([line for lines in own_lines.values() for line in lines])
    return BudgetReport(
        id=budget.id, name=budget.name, start=budget.start, end=budget.end, elapsed_days=elapsed,
        period_days=days, burn=burn(allocated, actual, elapsed, days), departments=tuple(departments),
        source=source_of(budget.origin.location))


# --- gaps ------------------------------------------------------------------------------------


def gaps(plan: Plan, as_of: date, currency: str, budgets: tuple[BudgetReport, ...]) -> list[Gap]:
    return [*_overspending_departments(plan, as_of, currency, budgets), *_unfocused_spend(as_of, currency, budgets)]


def _overspending_departments(plan: Plan, as_of: date, currency: str,
                              budgets: tuple[BudgetReport, ...]) -> list[Gap]:
    found = []
    for budget in budgets:
        for department in budget.departments:
            own = department.own
            if own.status is not BudgetStatus.OVER or not department.lines:
                continue
            over = sorted((line for line in department.lines if line.burn.status is BudgetStatus.OVER),
                          key=lambda line: (-line.burn.variance, line.id))
            under = sorted((line for line in department.lines if line.burn.status is BudgetStatus.UNDER),
                           key=lambda line: (line.burn.variance, line.id))
            size = share(own.variance, own.expected)
            severe = own.actual > own.allocated or size > SEVERE_OVERSPEND
            evidence = [
                Evidence("allocated", wording.money(own.allocated, currency)),
                Evidence(f"expected by {as_of} ({budget.elapsed_days} of {budget.period_days} days)",
                         wording.money(own.expected, currency)),
                Evidence("actual", wording.money(own.actual, currency)),
                Evidence("variance", f"{signed_money(own.variance)} {currency}"
                         + (f" ({pct(size * HUNDRED)}% of expected)" if own.expected else "")),
                Evidence("lines over pace",
                         wording.names(f"{line.id} {signed_money(line.burn.variance)}" for line in over)),
            ]
            if under:
                evidence.append(Evidence("lines under pace", wording.names(
                    f"{line.id} {signed_money(line.burn.variance)}" for line in under)))
            recommendation = (
                f"Review {wording.names(line.id for line in over[:3])} with "
                f"{wording.head(plan, department.department)}: "
                f"find the cause (price, volume or timing), forecast the year-end of {budget.id}, and "
                + (f"cut spend or move money from lines under pace ({wording.names(line.id for line in under[:3])})"
                   if under else "cut spend or ask for a reallocation")
                + " before the department runs out of allocation.")
            found.append(Gap(
                kind=GapKind.BUDGET_OVER_PACE, severity=GapSeverity.HIGH if severe else GapSeverity.MEDIUM,
                size=size,
                title=f"{department.name} is over budget pace in {budget.id}: "
                      f"{signed_money(own.variance)} {currency}",
                entities=(EntityRef("department", department.department), EntityRef("budget", budget.id),
                          *(EntityRef("line", line_ref(budget.id, department.department, line.id))
                            for line in over)),
                evidence=tuple(evidence), recommendation=recommendation))
    return found


def _unfocused_spend(as_of: date, currency: str, budgets: tuple[BudgetReport, ...]) -> list[Gap]:
    """Lines of running budgets that fund nothing a goal needs, one gap per budget."""
    found = []
    for budget in (budget for budget in budgets if budget.start <= as_of <= budget.end):
        per_department: list[tuple[DepartmentBurn, list[str], Decimal]] = []
        entities = []
        total = Decimal(0)
        for department in budget.departments:
            lines = [line for line in department.lines if not line.supports_goals]
            if not lines:
                continue
            amount = sum((line.burn.allocated for line in lines), Decimal(0))
            total += amount
            per_department.append((department, [line.id for line in lines], amount))
            entities += [EntityRef("line", line_ref(budget.id, department.department, line.id)) for line in lines]
        if not per_department:
            continue
        part = share(total, budget.burn.allocated)
        evidence = [Evidence("lines funding no goal", f"{len(entities)} lines, {wording.money(total, currency)} "
                             f"({pct(part * HUNDRED)}% of {budget.id})")]
        evidence += [Evidence(department.department, f"{wording.money(amount, currency)}: {wording.names(lines)}")
                     for department, lines, amount in sorted(per_department,
                                                             key=lambda item: (-item[2], item[0].department))]
        found.append(Gap(
            kind=GapKind.UNFOCUSED_SPEND, severity=GapSeverity.LOW, size=part,
            title=f"{pct(part * HUNDRED)}% of {budget.id} funds nothing a goal needs",
            entities=tuple(entities), evidence=tuple(evidence),
            recommendation=(
                "For each line, write the process or program it pays for (`process:` or `program:`) "
                "if a goal relies on that work; lines left are overhead: check they are still needed "
                "at this size when the next budget is drawn up.")))
    return found
