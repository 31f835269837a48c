"""Budgets: caps and totals hold, periods make sense, nothing is funded twice or out of time."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from opsplan.diagnostics import Diagnostic, Severity
from opsplan.model import Plan, format_amount
from opsplan.rules.codes import PERIOD_ORDER, checked_by, rule


@rule("OPS401", "over-cap", Severity.ERROR, "a department's lines exceed its cap",
      rationale="A cap is the most a department may be allocated in a budget; lines above it are "
      "money that was never approved.",
      bad="departments:\n  it:\n    cap: 100_000\n    lines:\n      laptops: {amount: 80_000, type: capex}\n"
      "      licences: {amount: 30_000, type: opex}\n",
      good="departments:\n  it:\n    cap: 110_000\n    lines:\n      laptops: {amount: 80_000, type: capex}\n"
      "      licences: {amount: 30_000, type: opex}\n")
def over_cap(plan: Plan) -> Iterator[Diagnostic]:
    currency = plan.currency
    for budget in plan.budgets.values():
        for allocation in budget.departments:
            if allocation.cap_allocated is None:
                continue
            allocated = sum((line.allocated for line in allocation.lines), Decimal(0))
            if allocated > allocation.cap_allocated:
                over = allocated - allocation.cap_allocated
                yield over_cap.finding(f"lines of department `{allocation.department}` in budget `{budget.id}` add up to "
                    f"{format_amount(allocated)} {currency}, over its cap of "
                    f"{format_amount(allocation.cap_allocated)} {currency} by {format_amount(over)}",
                    allocation.origin.at("cap"), hint="raise the cap or cut lines")


@rule("OPS402", "over-total", Severity.ERROR, "allocations exceed the budget's total",
      rationale="The total is the ceiling of the whole budget; allocating above it plans money "
      "the company does not have.",
      bad="fy2027:\n  total: 1_000_000\n  departments:\n    it: {lines: {servers: {amount: 1_200_000, type: capex}}}\n",
      good="fy2027:\n  total: 1_250_000\n  departments:\n    it: {lines: {servers: {amount: 1_200_000, type: capex}}}\n")
def over_total(plan: Plan) -> Iterator[Diagnostic]:
    currency = plan.currency
    for budget in plan.budgets.values():
        if budget.total_allocated is None:
            continue
        allocated = sum((line.allocated for line in budget.lines), Decimal(0))
        if allocated > budget.total_allocated:
            over = allocated - budget.total_allocated
            yield over_total.finding(f"lines of budget `{budget.id}` add up to {format_amount(allocated)} {currency}, over its "
                f"total of {format_amount(budget.total_allocated)} {currency} by {format_amount(over)}",
                budget.origin.at("total"), hint="raise the total or cut lines")


@checked_by(PERIOD_ORDER)
def period_order(plan: Plan) -> Iterator[Diagnostic]:
    periods = [("budget", b.id, b.start, b.end, b.origin) for b in plan.budgets.values()]
    periods += [("program", p.id, p.start, p.end, p.origin) for p in plan.programs.values()]
    for noun, id, start, end, origin in periods:
        if end < start:
            yield PERIOD_ORDER.finding(f"{noun} `{id}` ends ({end}) before it starts ({start})",
                                  origin.at("end"), hint="swap `start` and `end`")


@rule("OPS404", "double-funding", Severity.ERROR, "overlapping budgets fund the same department line",
      rationale="Two budgets that run at the same time and both hold a department's line fund the "
      "same thing twice; spend against it cannot be attributed.",
      bad="fy2027: {start: 2027-01-01, end: 2027-12-31, departments: {it: {lines: {laptops: ...}}}}\n"
      "h2-2027: {start: 2027-07-01, end: 2027-12-31, departments: {it: {lines: {laptops: ...}}}}\n",
      good="fy2027: {start: 2027-01-01, end: 2027-12-31, departments: {it: {lines: {laptops: ...}}}}\n"
      "fy2028: {start: 2028-01-01, end: 2028-12-31, departments: {it: {lines: {laptops: ...}}}}\n")
def double_funding(plan: Plan) -> Iterator[Diagnostic]:
    seen: dict[tuple[str, str], list[str]] = {}
    for budget in plan.budgets.values():
        for line in budget.lines:
            earlier = seen.setdefault((line.department, line.id), [])
            for other_id in earlier:
                other = plan.budgets[other_id]
                if other.start <= budget.end and budget.start <= other.end:
                    yield double_funding.finding(f"line `{line.id}` of department `{line.department}` is funded by budget `{budget.id}` "
                        f"and by budget `{other.id}`, which overlap in time",
                        line.origin.at(), hint="fund it in one budget, or make the budgets' periods not overlap")
                    break
            earlier.append(budget.id)


@rule("OPS405", "program-out-of-budget", Severity.WARNING, "a line funds a program that does not run during the budget",
      rationale="Money for a program in a budget whose period it does not touch cannot be spent on it.",
      bad="fy2028: {start: 2028-01-01, ..., lines: {robots: {amount: 90_000, type: capex, program: automation-2027}}}\n",
      good="fy2027: {start: 2027-01-01, ..., lines: {robots: {amount: 90_000, type: capex, program: automation-2027}}}\n")
def program_out_of_budget(plan: Plan) -> Iterator[Diagnostic]:
    for budget in plan.budgets.values():
        for line in budget.lines:
            program = plan.programs.get(line.program) if line.program else None
            if program is not None and (program.end < budget.start or program.start > budget.end):
                yield program_out_of_budget.finding(f"line `{line.id}` funds program `{program.id}` ({program.start} to {program.end}), "
                    f"which does not run during budget `{budget.id}` ({budget.start} to {budget.end})",
                    line.origin.at("program"), hint="move the line to the budget of the program's period")
