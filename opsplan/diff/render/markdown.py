"""A plan diff as a pull-request comment: the summary and what it means first, the field-by-field
details folded in `<details>` so a long diff does not bury the conversation.

One function per section: ``SECTIONS`` are shown in order below the summary, ``DETAILS`` in
order inside the fold; each gives its lines, or none when it has nothing to say."""

from __future__ import annotations

from collections.abc import Callable

from opsplan.diff.compare import CriticalPath, GoalChange, Lengthened, PlanDiff
from opsplan.diff.render.wording import (
    amount,
    budget_label,
    count,
    entity_lines,
    finding_line,
    percent,
    settings_lines,
    signed,
    summary,
)
from opsplan.diff.render.wording import path_text as path_words
from opsplan.diff.waivers import waiver_line
from opsplan.render.escape import markdown_code, markdown_fence, markdown_text

MARKER = "<!-- opsplan-diff -->"  # lets a CI job find and update its earlier comment
VERDICTS = {Lengthened.LONGER: "**longer**", Lengthened.SHORTER: "shorter", Lengthened.SAME: "unchanged"}

Section = Callable[[PlanDiff], list[str]]


def _cell(text: str) -> str:
    return markdown_text(text)


def _code(text: str) -> str:
    # Backticks are dropped, as they always were: a finding's `quoted` ids read well without.
    return markdown_code(text.replace("`", ""))


def path_text(path: CriticalPath) -> str:
    return path_words(path, markdown_text)


def _headline(diff: PlanDiff) -> list[str]:
    """The title, the plan's folder, the summary sentence and what the change means, in bullets."""
    parts = [MARKER, f"### opsplan diff {_code(diff.base)} → {_code(diff.head)}",
             "", f"Plan {_code((diff.root or '.') + '/')}; paths are relative to it.", "", f"**{summary(diff)}**"]
    bullets = []
    if diff.budget_grand_totals:
        bullets.append("Budgets: " + "; ".join(
            f"{_code(c.budget)} {signed(c.delta)} {_cell(diff.currency)} ({percent(c)})"
            for c in diff.budget_grand_totals))
    if diff.critical_path_moved:
        bullets.append(f"Critical path {VERDICTS[diff.critical_path_length]}: {path_text(diff.critical_path_before)} → "
                       f"{path_text(diff.critical_path_after)}")
    if diff.introduced:
        bullets.append(f":warning: {len(diff.introduced)} new finding(s) from `opsplan check`")
    if diff.fixed:
        bullets.append(f"{len(diff.fixed)} finding(s) fixed")
    return parts + ([""] + [f"- {bullet}" for bullet in bullets] if bullets else [])


def _findings_introduced(diff: PlanDiff) -> list[str]:
    if not diff.introduced:
        return []
    return ["", "#### Findings introduced", ""] + [f"- {_code(finding_line(d))}" for d in diff.introduced]


def _budgets(diff: PlanDiff) -> list[str]:
    if not diff.budget_totals:
        return []
    return ["", f"#### Budgets ({_cell(diff.currency)})", "", "| budget | before | after | change | % |",
            "|---|---:|---:|---:|---:|"] + [
        f"| {_cell(budget_label(c))} | {amount(c.before)} | {amount(c.after)} | {signed(c.delta)} | {percent(c)} |"
        for c in diff.budget_totals]


def _pair(before: int | None, after: int | None) -> str:
    return f"{count(before)} → {count(after)}"


def _headcount(diff: PlanDiff) -> list[str]:
    if not diff.headcount:
        return []
    return ["", "#### Headcount", "", "| department | today | planned at horizon end |", "|---|---|---|"] + [
        f"| {_cell(head.department)} | {_pair(head.current_before, head.current_after)} "
        f"| {_pair(head.planned_before, head.planned_after)} |" for head in diff.headcount]


def _goal_row(goal: GoalChange) -> str:
    target = f"{goal.target_before} → {goal.target_after}" if goal.target_moved else f"{goal.target_after}"
    due = f"{goal.due_before} → {goal.due_after}" if goal.due_moved else f"{goal.due_after}"
    return f"| {_cell(goal.goal)} | {target} | {due} |"


def _goals(diff: PlanDiff) -> list[str]:
    if not diff.goals:
        return []
    return ["", "#### Goals moved", "", "| goal | target | due |", "|---|---|---|"] + [
        _goal_row(goal) for goal in diff.goals]


def _dependencies(diff: PlanDiff) -> list[str]:
    if not diff.dependencies:
        return []
    return ["**Dependencies**", ""] + [
        f"- {d.change.value}: {d.kind.singular} {_code(d.dependent)} depends on {_code(d.dependency)}"
        for d in diff.dependencies] + [""]


def _findings_fixed(diff: PlanDiff) -> list[str]:
    if not diff.fixed:
        return []
    return ["**Findings fixed**", ""] + [f"- {_code(finding_line(d))}" for d in diff.fixed] + [""]


def _waivers(diff: PlanDiff) -> list[str]:
    # Above the fold: accepting a finding, or for longer, is what a reviewer must see.
    if not diff.waivers:
        return []
    return ["", "#### Waivers", ""] + [f"- {_code(waiver_line(change))}" for change in diff.waivers]


def _entities(diff: PlanDiff) -> list[str]:
    lines = settings_lines(diff) + entity_lines(diff)
    return ["**Entities**", "", *markdown_fence(lines, "diff"), ""] if lines else []


SECTIONS: tuple[Section, ...] = (_findings_introduced, _waivers, _budgets, _headcount, _goals)
DETAILS: tuple[Section, ...] = (_dependencies, _findings_fixed, _entities)


def render_diff(diff: PlanDiff) -> str:
    parts = _headline(diff)
    for section in SECTIONS:
        parts += section(diff)
    details = [line for section in DETAILS for line in section(diff)]
    if details:
        noun = "change" if diff.changed_items == 1 else "changes"
        parts += ["", f"<details><summary>Details: {diff.changed_items} {noun} to entities and settings</summary>",
                  "", *details, "</details>"]
    return "\n".join(parts) + "\n"
