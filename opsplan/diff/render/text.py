"""A plan diff as text for the terminal, `terraform plan` style: `+` added, `-` removed,
`~` changed, then what the changes mean. Plan strings show control characters as escapes.

One function per section, listed in ``SECTIONS`` in the order they are shown; each gives its
lines (a blank line first), or none when the section has nothing to say."""

from __future__ import annotations

from collections.abc import Callable

from opsplan.diff.compare import Lengthened, PlanDiff
from opsplan.diff.render.wording import (
    SIGNS,
    amount,
    budget_label,
    count,
    entity_lines,
    finding_line,
    path_text,
    percent,
    settings_lines,
    signed,
    summary,
)
from opsplan.diff.waivers import waiver_line
from opsplan.render.escape import text

VERDICTS = {Lengthened.LONGER: "longer", Lengthened.SHORTER: "shorter", Lengthened.SAME: "same length"}


def _budgets(diff: PlanDiff) -> list[str]:
    if not diff.budget_totals:
        return []
    lines = ["", f"Budgets ({diff.currency}):"]
    width = max(len(budget_label(change)) for change in diff.budget_totals)
    for change in diff.budget_totals:
        lines.append(f"  {budget_label(change):<{width}}  {amount(change.before)} -> {amount(change.after)}"
                     f"  ({signed(change.delta)}, {percent(change)})")
    return lines


def _headcount(diff: PlanDiff) -> list[str]:
    if not diff.headcount:
        return []
    return ["", "Headcount (today; planned at the horizon's end):"] + [
        f"  {head.department}: {count(head.current_before)} -> {count(head.current_after)}; planned "
        f"{count(head.planned_before)} -> {count(head.planned_after)}" for head in diff.headcount]


def _goals(diff: PlanDiff) -> list[str]:
    if not diff.goals:
        return []
    lines = ["", "Goals moved:"]
    for goal in diff.goals:
        moved = []
        if goal.target_moved:
            moved.append(f"target {goal.target_before} -> {goal.target_after}")
        if goal.due_moved:
            moved.append(f"due {goal.due_before} -> {goal.due_after}")
        lines.append(f"  {goal.goal}: {', '.join(moved)}")
    return lines


def _dependencies(diff: PlanDiff) -> list[str]:
    if not diff.critical_path_moved:
        return []
    lines = ["", "Dependencies:"]
    lines += [f"  {SIGNS[dependency.change]} {dependency.kind.singular} {dependency.dependent}"
              f" depends on {dependency.dependency}" for dependency in diff.dependencies]
    lines.append(f"  critical path: {path_text(diff.critical_path_before)}")
    lines.append(f"             -> {path_text(diff.critical_path_after)}: {VERDICTS[diff.critical_path_length]}")
    return lines


def _findings_introduced(diff: PlanDiff) -> list[str]:
    if not diff.introduced:
        return []
    return ["", "Findings introduced:"] + [f"  {finding_line(d)}" for d in diff.introduced]


def _findings_fixed(diff: PlanDiff) -> list[str]:
    if not diff.fixed:
        return []
    return ["", "Findings fixed:"] + [f"  {finding_line(d)}" for d in diff.fixed]


def _waivers(diff: PlanDiff) -> list[str]:
    if not diff.waivers:
        return []
    return ["", "Waivers:"] + [f"  {waiver_line(change)}" for change in diff.waivers]


def _settings(diff: PlanDiff) -> list[str]:
    lines = settings_lines(diff)
    return ["", *lines] if lines else []


def _entities(diff: PlanDiff) -> list[str]:
    lines = entity_lines(diff)
    return ["", *lines] if lines else []


SECTIONS: tuple[Callable[[PlanDiff], list[str]], ...] = (
    _budgets, _headcount, _goals, _dependencies, _findings_introduced, _findings_fixed, _waivers, _settings, _entities)


def render_diff(diff: PlanDiff) -> str:
    lines = [f"opsplan diff {diff.base} -> {diff.head}", f"plan: {diff.root or '.'}/ (paths below are relative to it)",
             "", summary(diff)]
    for section in SECTIONS:
        lines += section(diff)
    # Every line is shown as text: no name, value or file name can start a line of its own.
    return "\n".join(text(line) for line in lines) + "\n"
