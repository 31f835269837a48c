"""Goals: due inside the horizon, targets that mean improvement, milestones that lead there."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from opsplan.diagnostics import Diagnostic, Severity
from opsplan.model import Better, Plan
from opsplan.rules.codes import rule


def worse(better: Better, value: Decimal, than: Decimal) -> bool:
    """Whether ``value`` is strictly on the worse side of ``than``."""
    return value < than if better is Better.HIGHER else value > than


@rule("OPS501", "goal-outside-horizon", Severity.ERROR, "a goal is due outside the horizon",
      rationale="The horizon is the window the plan speaks for; a goal due outside it is not "
      "part of this plan, and no budget or program here can be held to it.",
      bad="# horizon: 2027-01-01 .. 2029-12-31\ngoals:\n  margin: {..., due: 2031-12-31}\n",
      good="# horizon: 2027-01-01 .. 2029-12-31\ngoals:\n  margin: {..., due: 2029-12-31}\n")
def goal_outside_horizon(plan: Plan) -> Iterator[Diagnostic]:
    horizon = plan.settings.horizon
    for goal in plan.goals.values():
        if not horizon.start <= goal.due <= horizon.end:
            yield goal_outside_horizon.finding(f"goal `{goal.id}` is due {goal.due}, outside the horizon {horizon.start} to {horizon.end}",
                goal.origin.at("due"), hint="move the due date, or extend the horizon in opsplan.yaml")


@rule("OPS502", "target-wrong-side", Severity.ERROR, "a target is not on the `better` side of its baseline",
      rationale="A target worse than where things stand is either a typo or a `better:` pointing the "
      "wrong way; either way, attainment would be computed backwards. A target equal to the "
      "baseline is allowed: it means holding the line.",
      bad="cost-per-order: {name: Cost per order, better: lower, baseline: 12.40, target: 13.00}\n",
      good="cost-per-order: {name: Cost per order, better: lower, baseline: 12.40, target: 10.50}\n")
def target_wrong_side(plan: Plan) -> Iterator[Diagnostic]:
    for process in plan.processes.values():
        for kpi in process.kpis:
            if kpi.baseline is not None and worse(kpi.better, kpi.target, kpi.baseline):
                yield target_wrong_side.finding(f"target {kpi.target} of KPI `{kpi.ref}` is worse than its baseline {kpi.baseline} "
                    f"(better is {kpi.better.value})", kpi.origin.at("target"),
                    hint="check the target, or whether `better:` should be "
                    f"{'lower' if kpi.better is Better.HIGHER else 'higher'}")
    for goal in plan.goals.values():
        measure = goal.measure
        if measure.baseline is not None and worse(measure.better, measure.target, measure.baseline):
            yield target_wrong_side.finding(f"target {measure.target} of goal `{goal.id}` is worse than its baseline "
                f"{measure.baseline} (better is {measure.better.value})", goal.origin.at("measure", "target"),
                hint="check the target, or the measure's `better:`")


@rule("OPS503", "milestone-dates", Severity.ERROR, "milestones out of date order, outside the horizon, or after `due`",
      rationale="Milestones are the path to a goal; out of order or past the due date, the path "
      "cannot be followed and pace cannot be judged.",
      bad="due: 2028-12-31\nmilestones:\n  - {date: 2027-12-31, target: 11.4}\n  - {date: 2027-06-30, target: 11.9}\n",
      good="due: 2028-12-31\nmilestones:\n  - {date: 2027-06-30, target: 11.9}\n  - {date: 2027-12-31, target: 11.4}\n")
def milestone_dates(plan: Plan) -> Iterator[Diagnostic]:
    horizon = plan.settings.horizon
    for goal in plan.goals.values():
        previous = None
        for milestone in goal.milestones:
            where = milestone.origin.at("date")
            if milestone.date > goal.due:
                yield milestone_dates.finding(f"milestone {milestone.date} of goal `{goal.id}` is after the goal "
                                      f"is due ({goal.due})", where, hint="milestones lead up to the due date")
            elif not horizon.start <= milestone.date <= horizon.end:
                yield milestone_dates.finding(f"milestone {milestone.date} of goal `{goal.id}` is outside the "
                                      f"horizon {horizon.start} to {horizon.end}", where)
            elif previous is not None and milestone.date <= previous:
                yield milestone_dates.finding(f"milestone {milestone.date} of goal `{goal.id}` is not after the "
                                      f"one before it ({previous})", where, hint="list milestones in date order")
            previous = milestone.date if previous is None else max(previous, milestone.date)


@rule("OPS504", "milestone-direction", Severity.WARNING,
      "milestones do not move monotonically toward the target",
      rationale="A milestone that steps back from the baseline, or overshoots the target, usually "
      "means a typo; a planned dip should be a conscious choice (turn this rule off for it).",
      bad="measure: {kpi: order-fulfillment.cost-per-order, target: 10.50}   # baseline 12.40\n"
      "milestones:\n  - {date: 2027-06-30, target: 11.40}\n  - {date: 2027-12-31, target: 11.90}\n",
      good="measure: {kpi: order-fulfillment.cost-per-order, target: 10.50}   # baseline 12.40\n"
      "milestones:\n  - {date: 2027-06-30, target: 11.90}\n  - {date: 2027-12-31, target: 11.40}\n")
def milestone_direction(plan: Plan) -> Iterator[Diagnostic]:
    for goal in plan.goals.values():
        measure = goal.measure
        previous = measure.baseline
        for milestone in sorted(goal.milestones, key=lambda m: m.date):
            if previous is not None and worse(measure.better, milestone.target, previous):
                yield milestone_direction.finding(f"milestone {milestone.date} of goal `{goal.id}` targets {milestone.target}, "
                    f"a step back from {previous} (better is {measure.better.value})",
                    milestone.origin.at("target"))
            elif worse(measure.better, measure.target, milestone.target):
                yield milestone_direction.finding(f"milestone {milestone.date} of goal `{goal.id}` targets {milestone.target}, "
                    f"beyond the goal's own target {measure.target}", milestone.origin.at("target"))
            previous = milestone.target


@rule("OPS505", "child-due-after-parent", Severity.ERROR, "a child goal is due after its parent",
      rationale="A child goal is a step toward its parent; due later, it cannot contribute in time.",
      bad="margin: {..., due: 2028-12-31}\ncost: {..., parent: margin, due: 2029-06-30}\n",
      good="margin: {..., due: 2029-12-31}\ncost: {..., parent: margin, due: 2029-06-30}\n")
def child_due_after_parent(plan: Plan) -> Iterator[Diagnostic]:
    for goal in plan.goals.values():
        parent = plan.goals.get(goal.parent) if goal.parent else None
        if parent is not None and goal.due > parent.due:
            yield child_due_after_parent.finding(f"goal `{goal.id}` is due {goal.due}, after its parent `{parent.id}` ({parent.due})",
                goal.origin.at("due"), hint=f"bring it forward to {parent.due} or earlier")
