"""Property of adding up a ledger's spend rows by budget, department, line and month: the sums
worked out once per run of rows of one budget, department and date are the ones a look-up of
every row's own budget, department and month gives, in any order of rows, ids equal but not
the same objects included."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from opsplan.load.actuals import Spend
from opsplan.load.actuals_records import RowOrigin
from opsplan.marks import Origin
from opsplan.model import Budget
from opsplan.report.phasing import month_spans
from opsplan.report.sections.budgets import DepartmentSpend, _spent

ORIGIN = Origin("budgets.yaml", None)
BUDGETS = (
    Budget("fy1", "One", date(2027, 1, 1), date(2027, 12, 31), None, None, (), None, (), {}, ORIGIN),
    Budget("h2", "Two", date(2027, 7, 15), date(2028, 2, 10), None, None, (), None, (), {}, ORIGIN),
)


def fresh(text: str) -> str:
    """An equal string that is another object, as two rows of a ledger may hold."""
    return "".join(list(text))


@st.composite
def ledgers(draw: st.DrawFn) -> list[Spend]:
    rows: list[Spend] = []
    for number in range(draw(st.integers(0, 40))):
        budget = draw(st.sampled_from(("fy1", "h2", "none")))
        department = draw(st.sampled_from(("ops", "it")))
        when = date(2026, 12, 1) + timedelta(days=draw(st.integers(0, 470)))
        # Runs: a row often repeats the previous one's budget, department and date.
        if rows and draw(st.booleans()):
            budget, department, when = rows[-1].budget, rows[-1].department, rows[-1].date
        if draw(st.booleans()):
            budget, department, when = fresh(budget), fresh(department), date(when.year, when.month, when.day)
        amount = Decimal(draw(st.integers(-10**6, 10**9))).scaleb(-draw(st.integers(0, 4)))
        rows.append(Spend(when, budget, department, draw(st.sampled_from(("a", "b", "c"))), amount,
                          RowOrigin("spend.csv", number + 2)))
    return rows


def looked_up_row_by_row(rows: list[Spend]) -> dict[str, dict[str, DepartmentSpend]]:
    spent: dict[str, dict[str, DepartmentSpend]] = {budget.id: {} for budget in BUDGETS}
    for row in rows:
        for budget in BUDGETS:
            if budget.id == row.budget and budget.start <= row.date <= budget.end:
                spans = month_spans(budget.start, budget.end)
                by_line, by_month = spent[budget.id].setdefault(row.department, ({}, [Decimal(0)] * len(spans)))
                by_line[row.line] = by_line.get(row.line, Decimal(0)) + row.amount
                month = f"{row.date.year:04d}-{row.date.month:02d}"
                position = [span.month for span in spans].index(month)
                by_month[position] += row.amount
    return spent


def exactly(spent: dict[str, dict[str, DepartmentSpend]]) -> list[object]:
    """Every sum with its exponent, and the order of departments and lines."""
    return [(budget, [(department, [(line, str(amount)) for line, amount in by_line.items()],
                       [str(amount) for amount in by_month]) for department, (by_line, by_month) in sums.items()])
            for budget, sums in spent.items()]


@settings(max_examples=300, deadline=None)
@given(rows=ledgers())
def test_spend_added_up_by_runs_is_what_each_row_adds(rows: list[Spend]) -> None:
    assert exactly(_spent(rows, BUDGETS)) == exactly(looked_up_row_by_row(rows))
