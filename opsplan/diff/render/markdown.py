"""A plan diff as a pull-request comment: the summary and what it means first, the field-by-field
details folded in `<details>` so a long diff does not bury the conversation."""

from __future__ import annotations

from opsplan.diff.compare import CriticalPath, PlanDiff
from opsplan.diff.render.text import (
    SIGNS,
    amount,
    budget_label,
    field_line,
    finding_line,
    hours,
    percent,
    signed,
)
from opsplan.diff.render.text import summary as summary_sentence
from opsplan.render.escape import markdown_code, markdown_fence, markdown_text

MARKER = "<!-- opsplan-diff -->"  # lets a CI job find and update its earlier comment


def _cell(text: str) -> str:
    return markdown_text(text)


def _code(text: str) -> str:
    # Backticks are dropped, as they always were: a finding's `quoted` ids read well without.
    return markdown_code(text.replace("`", ""))


def path_text(path: CriticalPath) -> str:
    return f"{hours(path.hours)} ({' -> '.join(markdown_text(p) for p in path.processes) or 'no processes'})"


def render_diff(diff: PlanDiff) -> str:
    parts = [MARKER, f"### opsplan diff {_code(diff.base)} → {_code(diff.head)}",
             "", f"Plan {_code((diff.root or '.') + '/')}; paths are relative to it.", "", f"**{summary_sentence(diff)}**"]
    bullets = []
    if diff.budget_totals:
        totals = [c for c in diff.budget_totals if c.department is None]
        if totals:
            bullets.append("Budgets: " + "; ".join(
                f"{_code(c.budget)} {signed(c.delta)} {_cell(diff.currency)} ({percent(c)})" for c in totals))
    if diff.dependencies or diff.critical_path_before != diff.critical_path_after:
        verdict = ("**longer**" if diff.critical_path_longer else
                   "shorter" if diff.critical_path_after.hours < diff.critical_path_before.hours else "unchanged")
        bullets.append(f"Critical path {verdict}: {path_text(diff.critical_path_before)} → "
                       f"{path_text(diff.critical_path_after)}")
    if diff.introduced:
        bullets.append(f":warning: {len(diff.introduced)} new finding(s) from `opsplan check`")
    if diff.fixed:
        bullets.append(f"{len(diff.fixed)} finding(s) fixed")
    if bullets:
        parts += [""] + [f"- {bullet}" for bullet in bullets]

    if diff.introduced:
        parts += ["", "#### Findings introduced", ""] + [f"- {_code(finding_line(d))}" for d in diff.introduced]
    if diff.budget_totals:
        parts += ["", f"#### Budgets ({_cell(diff.currency)})", "", "| budget | before | after | change | % |",
                  "|---|---:|---:|---:|---:|"]
        parts += [f"| {_cell(budget_label(c))} | {amount(c.before)} | {amount(c.after)} | {signed(c.delta)} "
                  f"| {percent(c)} |" for c in diff.budget_totals]
    if diff.headcount:
        parts += ["", "#### Headcount", "", "| department | today | planned at horizon end |", "|---|---|---|"]
        for head in diff.headcount:
            def pair(before: int | None, after: int | None) -> str:
                return f"{'-' if before is None else before} → {'-' if after is None else after}"
            parts.append(f"| {_cell(head.department)} | {pair(head.current_before, head.current_after)} "
                         f"| {pair(head.planned_before, head.planned_after)} |")
    if diff.goals:
        parts += ["", "#### Goals moved", "", "| goal | target | due |", "|---|---|---|"]
        for goal in diff.goals:
            target = (f"{goal.target_before} → {goal.target_after}" if goal.target_before != goal.target_after
                      else f"{goal.target_after}")
            due = f"{goal.due_before} → {goal.due_after}" if goal.due_before != goal.due_after else f"{goal.due_after}"
            parts.append(f"| {_cell(goal.goal)} | {target} | {due} |")

    details = []
    if diff.dependencies:
        details += ["**Dependencies**", ""] + [
            f"- {d.change.value}: {d.kind.singular} {_code(d.dependent)} depends on {_code(d.dependency)}"
            for d in diff.dependencies] + [""]
    if diff.fixed:
        details += ["**Findings fixed**", ""] + [f"- {_code(finding_line(d))}" for d in diff.fixed] + [""]
    if diff.settings or diff.entities:
        lines = []
        if diff.settings:
            lines.append("~ settings (opsplan.yaml)")
            lines += [f"    {field_line(field)}" for field in diff.settings]
        for entity in diff.entities:
            lines.append(f"{SIGNS[entity.change]} {entity.kind.singular} {entity.id} ({entity.file})")
            lines += [f"    {field_line(field)}" for field in entity.fields]
        details += ["**Entities**", "", *markdown_fence(lines, "diff"), ""]
    if details:
        count = len(diff.entities) + (1 if diff.settings else 0)
        noun = "change" if count == 1 else "changes"
        parts += ["", f"<details><summary>Details: {count} {noun} to entities and settings</summary>", "",
                  *details, "</details>"]
    return "\n".join(parts) + "\n"

