"""Phasing schedules (format 1.1): a line's months add up to its amount and lie in its budget."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from opsplan.diagnostics import Diagnostic, Severity
from opsplan.load.timing import month_has_days_in
from opsplan.model import Plan, format_amount
from opsplan.rules.codes import rule


@rule("OPS406", "schedule-sum", Severity.ERROR, "a line's phasing schedule does not add up to its amount",
      rationale="A schedule says in which months a line's money is spent; months that plan more or less "
      "than the line holds make every expected figure of the budget wrong from that month on.",
      bad="trucks: {amount: 1_200_000, type: capex, phasing: {2027-03: 800_000, 2027-09: 300_000}}\n",
      good="trucks: {amount: 1_200_000, type: capex, phasing: {2027-03: 800_000, 2027-09: 400_000}}\n")
def schedule_sum(plan: Plan) -> Iterator[Diagnostic]:
    for budget in plan.budgets.values():
        for line in budget.lines:
            schedule = line.phasing.schedule
            if schedule is None:
                continue
            planned = sum((month.amount.amount for month in schedule), Decimal(0))
            if planned != line.amount.amount:
                gap = line.amount.amount - planned
                currency = line.amount.currency
                yield schedule_sum.finding(
                    f"the phasing schedule of line `{line.id}` adds up to {format_amount(planned)} {currency}, "
                    f"but the line's amount is {format_amount(line.amount.amount)} {currency}",
                    line.origin.at("phasing", key=True),
                    hint=f"{'add' if gap > 0 else 'take off'} {format_amount(abs(gap))} {currency} "
                    "in the months, or change the amount")


@rule("OPS407", "schedule-outside-period", Severity.ERROR,
      "a phasing schedule month has no day inside the budget period",
      rationale="Money planned for a month the budget does not cover can never be spent against it; "
      "usually a typo in the year.",
      bad="fy2027: {start: 2027-01-01, end: 2027-12-31, ... phasing: {2027-03: 800_000, 2028-09: 400_000}}\n",
      good="fy2027: {start: 2027-01-01, end: 2027-12-31, ... phasing: {2027-03: 800_000, 2027-09: 400_000}}\n")
def schedule_outside_period(plan: Plan) -> Iterator[Diagnostic]:
    for budget in plan.budgets.values():
        for line in budget.lines:
            for month in line.phasing.schedule or ():
                if not month_has_days_in(month.month, budget.start, budget.end):
                    yield schedule_outside_period.finding(
                        f"month {month.month} in the phasing schedule of line `{line.id}` has no day inside "
                        f"budget `{budget.id}` ({budget.start} to {budget.end})",
                        line.origin.at("phasing", month.month, key=True),
                        hint="move the amount to a month of the budget's period")
