"""Status bands with the plan's tolerances (format 1.1, section 1); the defaults are format 1's."""

from __future__ import annotations

from decimal import Decimal

from opsplan.model import BudgetLine, DepartmentAllocation, Goal, ReportSettings

HUNDRED = Decimal(100)


def line_tolerance(line: BudgetLine, allocation: DepartmentAllocation, settings: ReportSettings) -> Decimal:
    """A line's own `tolerance:`, else its department's, else the plan's (percent)."""
    if line.tolerance is not None:
        return line.tolerance
    return department_tolerance(allocation, settings)


def department_tolerance(allocation: DepartmentAllocation, settings: ReportSettings) -> Decimal:
    return allocation.tolerance if allocation.tolerance is not None else settings.tolerance


def goal_pace_tolerance(goal: Goal, settings: ReportSettings) -> Decimal:
    return goal.tolerance if goal.tolerance is not None else settings.pace_tolerance


def band(actual: Decimal, expected: Decimal, tolerance_pct: Decimal) -> str:
    """`over` when actual - expected is more than tolerance% of expected, `under` below minus
    that, else `on-plan`; with nothing expected, any spend is over."""
    if expected == 0:
        return "over" if actual > 0 else "on-plan"
    variance = actual - expected
    allowed = expected.copy_abs() * tolerance_pct / HUNDRED
    if variance > allowed:
        return "over"
    if variance < -allowed:
        return "under"
    return "on-plan"


def pace(behind: Decimal, span: Decimal, pace_tolerance_pct: Decimal, at_risk_pct: Decimal) -> str:
    """A goal behind its path by ``behind`` (in its unit) over a span of |target - baseline|."""
    if behind <= span * pace_tolerance_pct / HUNDRED:
        return "on-track"
    if behind <= span * at_risk_pct / HUNDRED:
        return "at-risk"
    return "off-track"
