"""`opsplan diff` on a line's phasing: money moved between months of a schedule shows as such."""

from __future__ import annotations

from conftest import PlanWriter

from opsplan.check.pipeline import check_path
from opsplan.diff.entities import FieldChange, entity_changes
from opsplan.model import Plan

PLAN = """\
departments:
  ops: {name: Operations, head: Dana Kim}
budgets:
  fy2027:
    name: FY 2027
    start: 2027-01-01
    end: 2027-12-31
    departments:
      ops:
        lines:
          trucks: {amount: 300, type: capex, phasing: PHASING}
"""


def plan_of(write_plan: PlanWriter, phasing: str) -> Plan:
    _, result = check_path(write_plan({"plan.yaml": PLAN.replace("PHASING", phasing)}))
    assert result.plan is not None and not result.errors, [str(d) for d in result.diagnostics]
    return result.plan


def test_a_schedule_month_moved_is_a_month_gone_and_a_month_come(write_plan: PlanWriter) -> None:
    before = plan_of(write_plan, "{2027-03: 100, 2027-09: 200}")
    after = plan_of(write_plan, "{2027-04: 100, 2027-09: 200}")
    [change] = entity_changes(before, after)
    assert change.fields == (
        FieldChange("departments.ops.lines.trucks.phasing.schedule.2027-03", "100 USD", None),
        FieldChange("departments.ops.lines.trucks.phasing.schedule.2027-04", None, "100 USD"),
    )


def test_money_split_over_a_new_month_shows_both_months(write_plan: PlanWriter) -> None:
    before = plan_of(write_plan, "{2027-01: 300}")
    after = plan_of(write_plan, "{2027-01: 100, 2027-02: 200}")
    [change] = entity_changes(before, after)
    assert [(field.field, field.before, field.after) for field in change.fields] == [
        ("departments.ops.lines.trucks.phasing.schedule.2027-01", "300 USD", "100 USD"),
        ("departments.ops.lines.trucks.phasing.schedule.2027-02", None, "200 USD"),
    ]
