"""A plan diff as text for the terminal, `terraform plan` style: `+` added, `-` removed,
`~` changed, then what the changes mean. Plan strings show control characters as escapes."""

from __future__ import annotations

from decimal import Decimal

from opsplan.check.render.text import plural
from opsplan.diagnostics import Diagnostic
from opsplan.diff.compare import AmountChange, Change, CriticalPath, FieldChange, PlanDiff
from opsplan.model import format_amount
from opsplan.render.escape import text

SIGNS = {Change.ADDED: "+", Change.REMOVED: "-", Change.CHANGED: "~"}


def money(value: Decimal) -> str:
    """Thousands separated, in cents unless the plan wrote finer fractions."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        value = value.quantize(Decimal("0.01"))
    return format_amount(value)


def amount(value: Decimal | None) -> str:
    return "-" if value is None else money(value)


def signed(value: Decimal) -> str:
    return ("+" if value >= 0 else "-") + money(abs(value))


def percent(change: AmountChange) -> str:
    value = change.percent
    if value is None:
        return "new"
    return ("+" if value >= 0 else "") + f"{value}%"


def hours(value: Decimal) -> str:
    return f"{value.normalize():f}h" if value == value.to_integral_value() else f"{value:f}h"


def field_line(field: FieldChange) -> str:
    before = "(unset)" if field.before is None else field.before
    after = "(unset)" if field.after is None else field.after
    return f"{field.field}: {before} -> {after}"


def budget_label(change: AmountChange) -> str:
    return change.budget if change.department is None else f"{change.budget} / {change.department}"


def path_text(path: CriticalPath) -> str:
    return f"{hours(path.hours)} ({' -> '.join(path.processes) or 'no processes'})"


def summary(diff: PlanDiff) -> str:
    if not diff.changed and not diff.introduced and not diff.fixed:
        return "No changes to the plan."
    parts = [f"{diff.count(Change.ADDED)} added", f"{diff.count(Change.CHANGED)} changed",
             f"{diff.count(Change.REMOVED)} removed"]
    if diff.settings:
        parts.append("settings changed")
    findings = f"{plural(len(diff.introduced), 'finding')} introduced, {len(diff.fixed)} fixed"
    return f"Plan: {', '.join(parts)}; {findings}."


def finding_line(diagnostic: Diagnostic) -> str:
    return f"{diagnostic.location}: {diagnostic.code} {diagnostic.message}"


def render_diff(diff: PlanDiff) -> str:
    lines = [f"opsplan diff {diff.base} -> {diff.head}", f"plan: {diff.root or '.'}/ (paths below are relative to it)",
             "", summary(diff)]
    if diff.budget_totals:
        lines += ["", f"Budgets ({diff.currency}):"]
        width = max(len(budget_label(change)) for change in diff.budget_totals)
        for change in diff.budget_totals:
            lines.append(f"  {budget_label(change):<{width}}  {amount(change.before)} -> {amount(change.after)}"
                         f"  ({signed(change.delta)}, {percent(change)})")
    if diff.headcount:
        lines += ["", "Headcount (today; planned at the horizon's end):"]
        for head in diff.headcount:
            lines.append(f"  {head.department}: {head.current_before if head.current_before is not None else '-'}"
                         f" -> {head.current_after if head.current_after is not None else '-'}; planned "
                         f"{head.planned_before if head.planned_before is not None else '-'} -> "
                         f"{head.planned_after if head.planned_after is not None else '-'}")
    if diff.goals:
        lines += ["", "Goals moved:"]
        for goal in diff.goals:
            moved = []
            if goal.target_before != goal.target_after:
                moved.append(f"target {goal.target_before} -> {goal.target_after}")
            if goal.due_before != goal.due_after:
                moved.append(f"due {goal.due_before} -> {goal.due_after}")
            lines.append(f"  {goal.goal}: {', '.join(moved)}")
    if diff.dependencies or diff.critical_path_before != diff.critical_path_after:
        lines += ["", "Dependencies:"]
        for dependency in diff.dependencies:
            lines.append(f"  {SIGNS[dependency.change]} {dependency.kind.singular} {dependency.dependent}"
                         f" depends on {dependency.dependency}")
        verdict = ("longer" if diff.critical_path_longer else
                   "shorter" if diff.critical_path_after.hours < diff.critical_path_before.hours else "same length")
        lines.append(f"  critical path: {path_text(diff.critical_path_before)}")
        lines.append(f"             -> {path_text(diff.critical_path_after)}: {verdict}")
    if diff.introduced:
        lines += ["", "Findings introduced:"] + [f"  {finding_line(d)}" for d in diff.introduced]
    if diff.fixed:
        lines += ["", "Findings fixed:"] + [f"  {finding_line(d)}" for d in diff.fixed]
    if diff.settings:
        lines += ["", "~ settings (opsplan.yaml)"] + [f"    {field_line(field)}" for field in diff.settings]
    if diff.entities:
        lines.append("")
        for entity in diff.entities:
            lines.append(f"{SIGNS[entity.change]} {entity.kind.singular} {entity.id} ({entity.file})")
            lines += [f"    {field_line(field)}" for field in entity.fields]
    # Every line is shown as text: no name, value or file name can start a line of its own.
    return "\n".join(text(line) for line in lines) + "\n"
