"""Budget gaps: departments spending ahead of pace (as a whole, or on one line that matters),
departments forecast to end above their allocation, and money that funds nothing a goal needs.

Recommendations name only money that can really move: lines of the same type (opex with opex,
capex with capex) whose forecast is below their allocation. A line that is under pace only
because its phasing has not reached it has no forecast yet (too early) and is never named."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from opsplan.figures import pct, signed_money
from opsplan.model import Plan
from opsplan.report import wording
from opsplan.report.sections.budgets import BudgetReport, DepartmentBurn, LineReport
from opsplan.report.sections.shared import (
    HUNDRED,
    BudgetStatus,
    EntityRef,
    Evidence,
    Gap,
    GapKind,
    GapSeverity,
    line_ref,
    share,
)

# Over pace by more than this share of expected spend (or past the allocation) is a high gap.
SEVERE_OVERSPEND = Decimal("0.25")
# A department forecast to run out of money within this many days must act now.
RUN_OUT_SOON = timedelta(days=90)


def gaps(plan: Plan, as_of: date, currency: str, budgets: tuple[BudgetReport, ...]) -> list[Gap]:
    materiality = plan.settings.report.materiality
    waiting = frozenset(program.id for program in plan.programs.values() if program.start > as_of)
    return [*_overspending_departments(plan, as_of, currency, budgets, materiality, waiting),
            *_forecast_over_allocation(plan, as_of, currency, budgets, materiality, waiting),
            *_unfocused_spend(as_of, currency, budgets)]


def spare_lines(department: DepartmentBurn, types: set[str], waiting: frozenset[str] = frozenset()) -> list[LineReport]:
    """Lines whose money can cover an overspend of ``types``: same type, forecast below their
    allocation, most to spare first. A line funding a program in ``waiting`` (not started yet)
    is under pace only because its work has not begun: never named."""
    spare = [line for line in department.lines
             if line.type in types and line.burn.forecast_variance is not None and line.burn.forecast_variance < 0
             and line.burn.status is not BudgetStatus.OVER and line.program not in waiting]
    return sorted(spare, key=lambda line: (line.burn.forecast_variance or Decimal(0), line.id))


def _material_over_lines(department: DepartmentBurn, materiality: Decimal) -> list[LineReport]:
    over = [line for line in department.lines
            if line.burn.status is BudgetStatus.OVER and line.burn.variance >= materiality]
    return sorted(over, key=lambda line: (-line.burn.variance, line.id))


def _overspending_departments(plan: Plan, as_of: date, currency: str, budgets: tuple[BudgetReport, ...],
                              materiality: Decimal, waiting: frozenset[str]) -> list[Gap]:
    found = []
    for budget in budgets:
        for department in budget.departments:
            own = department.own
            over = _material_over_lines(department, materiality)
            whole_over = own.status is BudgetStatus.OVER and own.variance >= materiality
            if not department.lines or not (whole_over or over):
                continue
            if not over:  # over as a whole, on no single line that matters: name every line over
                over = sorted((line for line in department.lines if line.burn.status is BudgetStatus.OVER),
                              key=lambda line: (-line.burn.variance, line.id))
            over_ids = {line.id for line in over}
            under = sorted((line for line in department.lines
                            if line.burn.status is BudgetStatus.UNDER and line.id not in over_ids),
                           key=lambda line: (line.burn.variance, line.id))
            spare = spare_lines(department, {line.type for line in over}, waiting)
            size = share(own.variance, own.expected) if whole_over else max(
                (share(line.burn.variance, line.burn.expected) for line in over), default=Decimal(0))
            severe = own.actual > own.allocated or size > SEVERE_OVERSPEND
            evidence = [
                Evidence("allocated", wording.money(own.allocated, currency)),
                Evidence(f"expected by {as_of} (day {budget.elapsed_days} of {budget.period_days}, as phased)",
                         wording.money(own.expected, currency)),
                Evidence("actual", wording.money(own.actual, currency)),
                Evidence("variance", f"{signed_money(own.variance)} {currency}"
                         + (f" ({pct(share(own.variance, own.expected) * HUNDRED)}% of expected)"
                            if own.expected else "")),
                Evidence("lines over pace", wording.names(
                    f"{line.id} {signed_money(line.burn.variance)}"
                    + (f" ({pct(share(line.burn.variance, line.burn.expected) * HUNDRED)}%)"
                       if line.burn.expected else "") for line in over)),
            ]
            if under:
                evidence.append(Evidence("lines under pace", wording.names(
                    f"{line.id} {signed_money(line.burn.variance)}" for line in under)))
            if own.forecast is not None:
                evidence.append(Evidence(f"forecast at the end of {budget.id}",
                                         f"{wording.money(own.forecast, currency)} "
                                         f"({signed_money(own.forecast_variance or Decimal(0))} {currency})"))
            forecast = ("the year-end forecast is not known yet (too early)" if own.forecast is None else
                        f"at this pace the department ends {budget.id} at "
                        f"{wording.money(own.forecast, currency)}")
            recommendation = (
                f"Review {wording.names(line.id for line in over[:3])} with "
                f"{wording.head(plan, department.department)}: "
                f"find the cause (price, volume or timing); {forecast}; "
                + (f"cut spend or move money from lines of the same type forecast below their allocation "
                   f"({wording.names(line.id for line in spare[:3])})"
                   if spare else "cut spend or ask for a reallocation")
                + " before the department runs out of allocation.")
            title = (f"{department.name} is over budget pace in {budget.id}: {signed_money(own.variance)} {currency}"
                     if whole_over else
                     f"{department.name} has lines over budget pace in {budget.id}: "
                     f"{wording.names(f'{line.id} {signed_money(line.burn.variance)}' for line in over)} {currency}")
            found.append(Gap(
                kind=GapKind.BUDGET_OVER_PACE, severity=GapSeverity.HIGH if severe else GapSeverity.MEDIUM,
                size=size, title=title,
                entities=(EntityRef("department", department.department), EntityRef("budget", budget.id),
                          *(EntityRef("line", line_ref(budget.id, department.department, line.id))
                            for line in over)),
                evidence=tuple(evidence), recommendation=recommendation))
    return found


def _forecast_over_allocation(plan: Plan, as_of: date, currency: str, budgets: tuple[BudgetReport, ...],
                              materiality: Decimal, waiting: frozenset[str]) -> list[Gap]:
    """Departments whose own lines are forecast past their allocation by more than their
    tolerance and by at least the materiality."""
    found = []
    for budget in budgets:
        if as_of > budget.end:
            continue  # a period that has ended has no forecast left to act on: its overspend is actual
        for department in budget.departments:
            own = department.own
            if own.forecast is None or own.forecast_variance is None or not department.lines:
                continue
            if own.forecast_variance <= own.allocated * own.tolerance / HUNDRED or own.forecast_variance < materiality:
                continue
            drivers = sorted((line for line in department.lines
                              if line.burn.forecast_variance is not None and line.burn.forecast_variance > 0),
                             key=lambda line: (-(line.burn.forecast_variance or Decimal(0)), line.id))
            soon = own.run_out is not None and own.run_out - as_of <= RUN_OUT_SOON
            spare = spare_lines(department, {line.type for line in drivers}, waiting)
            evidence = [
                Evidence("allocated", wording.money(own.allocated, currency)),
                Evidence("actual", wording.money(own.actual, currency)),
                Evidence(f"expected by {as_of}", wording.money(own.expected, currency)),
                Evidence("forecast", f"{wording.money(own.forecast, currency)} "
                         f"({signed_money(own.forecast_variance)} {currency})"),
                Evidence("runs out", own.run_out.isoformat() if own.run_out is not None else "not before the end"),
                Evidence("lines driving it", wording.names(
                    f"{line.id} {signed_money(line.burn.forecast_variance or Decimal(0))}" for line in drivers)),
            ]
            found.append(Gap(
                kind=GapKind.FORECAST_OVER_ALLOCATION,
                severity=GapSeverity.HIGH if soon else GapSeverity.MEDIUM,
                size=share(own.forecast_variance, own.allocated),
                title=f"{department.name} is forecast to end {budget.id} {signed_money(own.forecast_variance)} "
                      f"{currency} over its allocation"
                      + (f", running out on {own.run_out}" if own.run_out is not None else ""),
                entities=(EntityRef("department", department.department), EntityRef("budget", budget.id),
                          *(EntityRef("line", line_ref(budget.id, department.department, line.id))
                            for line in drivers)),
                evidence=tuple(evidence),
                recommendation=(
                    f"With {wording.head(plan, department.department)}, bring the forecast of "
                    f"{wording.names(line.id for line in drivers[:3]) or 'its lines'} back within the allocation "
                    + (f"or move money from lines of the same type forecast below theirs "
                       f"({wording.names(line.id for line in spare[:3])})" if spare
                       else "or ask for a reallocation")
                    + (f" before {own.run_out}." if own.run_out is not None else ".")),
            ))
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
