"""The format of roles with departments, attrition and process capacity (format 1.1, sections 7
and 8): what a plan writer writes, what the model holds, and the finding for each mistake."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import BASE_PLAN, ROOT_FILE, PlanWriter, check, findings

from opsplan.model import Duration, DurationUnit, Period


def mutate(old: str, new: str) -> str:
    assert old in BASE_PLAN, f"test setup: {old!r} not in the base plan"
    return BASE_PLAN.replace(old, new, 1)


ROLE = "      associate: {count: 12, start: 2027-04-01, annual_cost: 52_000}\n"


def test_a_role_lands_on_its_programs_owner_and_is_hired_by_the_programs_end(write_plan: PlanWriter) -> None:
    result = check(write_plan({"plan.yaml": BASE_PLAN}))
    assert result.plan is not None
    role = result.plan.programs["hiring"].roles[0]
    assert (role.department, role.start, role.by, role.time_to_fill) == ("warehouse", date(2027, 4, 1),
                                                                          date(2027, 9, 30), None)


def test_a_role_says_where_its_hires_work_when_and_how_long_a_requisition_takes(write_plan: PlanWriter) -> None:
    plan = mutate(ROLE, "      associate: {count: 12, department: ops, start: 2027-04-01, by: 2027-06-30, "
                  "annual_cost: 52_000, time_to_fill: 6w}\n")
    result = check(write_plan({"plan.yaml": plan}))
    assert findings(result) == []
    assert result.plan is not None
    role = result.plan.programs["hiring"].roles[0]
    assert (role.department, role.by, role.time_to_fill) == ("ops", date(2027, 6, 30),
                                                             Duration(Decimal(6), DurationUnit.WEEKS))


def test_an_unknown_role_department_is_an_unknown_reference(write_plan: PlanWriter) -> None:
    plan = mutate(ROLE, "      associate: {count: 12, department: warehose, start: 2027-04-01}\n")
    result = check(write_plan({"plan.yaml": plan}))
    assert [(str(d.location), d.code, d.message, d.hint) for d in result.diagnostics] == [
        ("plan.yaml:72:42", "OPS202", "unknown department `warehose` as department of role `associate` of "
         "program `hiring`", "did you mean `warehouse`?")]


def test_a_role_hired_by_a_date_before_its_start_has_no_day_to_hire_on(write_plan: PlanWriter) -> None:
    plan = mutate(ROLE, "      associate: {count: 12, start: 2027-04-01, by: 2027-03-31}\n")
    result = check(write_plan({"plan.yaml": plan}))
    assert [(str(d.location), d.code) for d in result.diagnostics] == [("plan.yaml:72:53", "OPS403")]


def test_a_role_hired_by_a_date_after_its_program_ends_is_outside_the_program(write_plan: PlanWriter) -> None:
    plan = mutate(ROLE, "      associate: {count: 12, start: 2027-04-01, by: 2027-10-31}\n")
    result = check(write_plan({"plan.yaml": plan}))
    assert [(str(d.location), d.code, d.message) for d in result.diagnostics] == [
        ("plan.yaml:72:53", "OPS506", "role `associate` of program `hiring` is to be hired by 2027-10-31, "
         "after the program ends on 2027-09-30")]


def test_a_department_may_plan_attrition_in_percent_per_year(write_plan: PlanWriter) -> None:
    result = check(write_plan({"plan.yaml": mutate("    headcount: 40\n", "    headcount: 40\n    attrition: 10.6\n")}))
    assert findings(result) == []
    assert result.plan is not None
    assert result.plan.departments["warehouse"].attrition == Decimal("10.6")
    assert result.plan.departments["ops"].attrition is None


def test_attrition_is_a_percent(write_plan: PlanWriter) -> None:
    result = check(write_plan({"plan.yaml": mutate("    headcount: 40\n", "    headcount: 40\n    attrition: 120\n")}))
    assert [(str(d.location), d.code, d.message) for d in result.diagnostics] == [
        ("plan.yaml:13:16", "OPS103", "`attrition` of department `warehouse` must be at most 100, not `120`")]


PICKING = "    cycle_time: 4h\n"


def test_a_process_has_a_capacity_a_demand_and_a_utilisation_target(write_plan: PlanWriter) -> None:
    plan = mutate(PICKING, PICKING + "    capacity: {unit: picks, per: week, value: 7000}\n"
                  "    demand: {per: month, value: 26_000}\n    utilisation_target: 90\n")
    result = check(write_plan({"plan.yaml": plan}))
    assert findings(result) == []
    assert result.plan is not None
    picking = result.plan.processes["picking"]
    assert picking.capacity is not None and picking.demand is not None
    assert (picking.capacity.unit, picking.capacity.per, picking.capacity.amount) == ("picks", Period.WEEK, 7000)
    assert (picking.demand.per, picking.demand.value, picking.utilisation_target) == (Period.MONTH, 26000, 90)
    assert result.plan.processes["shipping"].capacity is None


def test_a_staff_based_capacity_is_per_fte_times_fte(write_plan: PlanWriter) -> None:
    plan = mutate(PICKING, PICKING + "    capacity: {unit: picks, per: day, per_fte: 450, fte: 12.5}\n")
    result = check(write_plan({"plan.yaml": plan}))
    assert findings(result) == []
    assert result.plan is not None
    capacity = result.plan.processes["picking"].capacity
    assert capacity is not None and capacity.amount == Decimal("5625.0")


def test_a_capacity_in_both_forms_at_once_is_refused(write_plan: PlanWriter) -> None:
    plan = mutate(PICKING, PICKING + "    capacity: {unit: picks, per: day, value: 5000, per_fte: 450, fte: 12}\n")
    result = check(write_plan({"plan.yaml": plan}))
    assert [(str(d.location), d.code, d.message) for d in result.diagnostics] == [
        ("plan.yaml:18:52", "OPS103", "capacity of process `picking` gives both `value` and `per_fte` x `fte`")]
    assert result.plan is not None and result.plan.processes["picking"].capacity is None


def test_a_capacity_needs_a_value_or_staff(write_plan: PlanWriter) -> None:
    plan = mutate(PICKING, PICKING + "    capacity: {unit: picks, per: day, per_fte: 450}\n")
    result = check(write_plan({"plan.yaml": plan}))
    assert [(str(d.location), d.code, d.message) for d in result.diagnostics] == [
        ("plan.yaml:18:5", "OPS101", "missing required field `fte` (needed with `per_fte`) in `capacity` of "
         "process `picking`")]
    plan = mutate(PICKING, PICKING + "    capacity: {unit: picks, per: day}\n")
    result = check(write_plan({"plan.yaml": plan}))
    assert [(str(d.location), d.code) for d in result.diagnostics] == [("plan.yaml:18:5", "OPS101")]


def test_a_period_is_one_of_the_calendar_periods(write_plan: PlanWriter) -> None:
    plan = mutate(PICKING, PICKING + "    demand: {per: fortnight, value: 10}\n")
    result = check(write_plan({"plan.yaml": plan}))
    assert [(str(d.location), d.code, d.message) for d in result.diagnostics] == [
        ("plan.yaml:18:19", "OPS103", "`demand.per` of process `picking` must be one of day, week, month, "
         "quarter, year, not `fortnight`")]


def test_the_plan_sets_the_default_utilisation_target_under_report(write_plan: PlanWriter) -> None:
    result = check(write_plan({"plan.yaml": BASE_PLAN}))
    assert result.plan is not None and result.plan.settings.report.utilisation_target == 85
    result = check(write_plan({"plan.yaml": BASE_PLAN}, root_file=ROOT_FILE + "report:\n  utilisation_target: 80\n"))
    assert findings(result) == []
    assert result.plan is not None and result.plan.settings.report.utilisation_target == 80
    result = check(write_plan({"plan.yaml": BASE_PLAN}, root_file=ROOT_FILE + "report:\n  utilisation_target: high\n"))
    assert [(str(d.location), d.code) for d in result.diagnostics] == [("opsplan.yaml:11:23", "OPS103")]


def test_role_cost_over_funding_gives_both_figures_and_the_shortfall(write_plan: PlanWriter) -> None:
    # 12 associates from 2027-04-01 to 2027-09-30 at 52,000 a year sit 2,118 days in 2027:
    # 52,000 x 2,118 / 365 = 301,742.47 against the 500.10 of the salaries line now naming the program.
    plan = mutate("category: people, process: picking}", "category: people, program: hiring}")
    result = check(write_plan({"plan.yaml": plan}))
    assert [(d.code, d.severity.value, d.message) for d in result.diagnostics] == [
        ("OPS409", "warning", "the roles of hiring program `hiring` cost 301,742.47 USD in budget `fy2027` "
         "(2027-01-01 to 2027-12-31), but the lines that fund it hold 500.10 USD: 301,242.37 USD short")]


def test_role_cost_within_funding_is_no_finding(write_plan: PlanWriter) -> None:
    plan = (mutate("category: people, process: picking}", "category: people, program: hiring}")
            .replace("annual_cost: 52_000", "annual_cost: 86"))  # 86 x 2,118 / 365 = 499.03
    assert findings(check(write_plan({"plan.yaml": plan}))) == []


def test_utilisation_above_target_names_demand_capacity_and_target(write_plan: PlanWriter) -> None:
    plan = mutate(PICKING, PICKING + "    capacity: {unit: picks, per: week, value: 7000}\n"
                  "    demand: {per: month, value: 26_000}\n")
    result = check(write_plan({"plan.yaml": plan}))
    assert [(str(d.location), d.code, d.severity.value, d.message) for d in result.diagnostics] == [
        ("plan.yaml:19:13", "OPS607", "warning", "process `picking` is planned at 85.5% of its capacity (demand "
         "26,000 picks a month against 7,000 a week), above its target of 85%")]
    # The process's own target, or the plan's, lets it run hotter.
    assert findings(check(write_plan({"plan.yaml": plan.replace("    demand:", "    utilisation_target: 90\n    demand:")}))) == []
    assert findings(check(write_plan({"plan.yaml": plan}, root_file=ROOT_FILE + "report:\n  utilisation_target: 86\n"))) == []


def test_utilisation_exactly_at_target_is_no_finding(write_plan: PlanWriter) -> None:
    plan = mutate(PICKING, PICKING + "    capacity: {unit: picks, per: day, per_fte: 100, fte: 10}\n"
                  "    demand: {per: day, value: 850}\n")
    assert findings(check(write_plan({"plan.yaml": plan}))) == []


def test_volume_actuals_are_read_per_process(write_plan: PlanWriter) -> None:
    volume = ("date,process,volume,memo\n2027-03-31,picking,26000,March\n2027-03-31,picking,12.5,\n"
              "2027-04-30,pickng,1,\n2027-05-31,picking,-3,\n")
    result = check(write_plan({"plan.yaml": BASE_PLAN, "actuals/volume.csv": volume}))
    assert [(str(d.location), d.code, d.message, d.hint) for d in result.diagnostics] == [
        ("actuals/volume.csv:4:12", "OPS702", "unknown process `pickng`", "did you mean `picking`?"),
        ("actuals/volume.csv:5:20", "OPS703", "`volume` is `-3`, not a number >= 0",
         "a volume counts the work handled in the period")]
    assert result.actuals is not None
    assert [(row.date, row.process, row.volume) for row in result.actuals.volumes] == [
        (date(2027, 3, 31), "picking", Decimal(26000)), (date(2027, 3, 31), "picking", Decimal("12.5"))]
    assert result.actuals.until(date(2027, 3, 30)).volumes == ()
