"""Workforce: what a hiring program's roles cost in a budget is funded by the lines naming it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from opsplan.diagnostics import Diagnostic, Severity
from opsplan.figures import money_grouped
from opsplan.formulas.workforce import role_cost
from opsplan.model import Plan, ProgramType
from opsplan.rules.codes import rule


def _shown(value: Fraction) -> str:
    return money_grouped(Decimal(value.numerator) / Decimal(value.denominator))


@rule("OPS409", "role-cost-over-funding", Severity.WARNING,
      "a hiring program's role cost in a budget exceeds the lines that fund it",
      rationale="Every planned hire is paid from the day they start to the end of the budget: "
      "annual_cost x days in seat / 365, with hires spread from the role's start to its `by` date. "
      "When the lines naming the program hold less than that, the people are planned but not "
      "paid for. Budgets with no line naming the program are not judged: their lines fund other things.",
      bad="programs:\n  driver-hiring:\n    type: hiring\n    ...\n    roles:\n"
      "      cdl-driver: {count: 18, start: 2027-02-01, by: 2027-03-31, annual_cost: 72_000}\n"
      "budgets:\n  fy2027:\n    ...\n          new-hires: {amount: 1_000_000, type: opex, program: driver-hiring}\n",
      good="programs:\n  driver-hiring:\n    type: hiring\n    ...\n    roles:\n"
      "      cdl-driver: {count: 18, start: 2027-02-01, by: 2027-03-31, annual_cost: 72_000}\n"
      "budgets:\n  fy2027:\n    ...\n          new-hires: {amount: 1_140_000, type: opex, program: driver-hiring}\n")
def role_cost_over_funding(plan: Plan) -> Iterator[Diagnostic]:
    currency = plan.currency
    for budget in plan.budgets.values():
        funding: dict[str, Decimal] = {}
        for line in budget.lines:
            if line.program is not None:
                funding[line.program] = funding.get(line.program, Decimal(0)) + line.allocated
        for program_id, funded in funding.items():
            program = plan.programs.get(program_id)
            if program is None or program.type is not ProgramType.HIRING:
                continue
            cost = sum((role_cost(role, budget.start, budget.end) for role in program.roles), Fraction(0))
            if cost > funded:
                yield role_cost_over_funding.finding(
                    f"the roles of hiring program `{program.id}` cost {_shown(cost)} {currency} in budget "
                    f"`{budget.id}` ({budget.start} to {budget.end}), but the lines that fund it hold "
                    f"{money_grouped(funded)} {currency}: {_shown(cost - Fraction(funded))} {currency} short",
                    program.origin.at(),
                    hint="raise the lines naming the program, or plan fewer or later hires (`count`, `start`, `by`)")
