"""How a plan diff's figures are written wherever people read them (text and Markdown): amounts,
signs, hours, field changes, findings, the summary sentence and the entity lines. The escaping
of each format stays with its renderer."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from opsplan import figures
from opsplan.diagnostics import Diagnostic
from opsplan.diff.compare import AmountChange, Change, CriticalPath, FieldChange, PlanDiff
from opsplan.model import format_amount
from opsplan.render.words import plural

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
    return f"{figures.hours(value)}h"


def count(value: int | None) -> str:
    """A headcount, or `-` where the department did not exist."""
    return "-" if value is None else str(value)


def field_line(field: FieldChange) -> str:
    before = "(unset)" if field.before is None else field.before
    after = "(unset)" if field.after is None else field.after
    return f"{field.field}: {before} -> {after}"


def budget_label(change: AmountChange) -> str:
    return change.budget if change.department is None else f"{change.budget} / {change.department}"


def path_text(path: CriticalPath, name: Callable[[str], str] = str) -> str:
    """The path's length and its processes, each written by ``name`` (the format's escaping)."""
    return f"{hours(path.hours)} ({' -> '.join(name(p) for p in path.processes) or 'no processes'})"


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


def settings_lines(diff: PlanDiff) -> list[str]:
    """The settings changed, field by field, `terraform plan` style (none: no lines)."""
    if not diff.settings:
        return []
    return ["~ settings (opsplan.yaml)"] + [f"    {field_line(field)}" for field in diff.settings]


def entity_lines(diff: PlanDiff) -> list[str]:
    """Each entity added (`+`), removed (`-`) or changed (`~`, then field by field)."""
    lines = []
    for entity in diff.entities:
        lines.append(f"{SIGNS[entity.change]} {entity.kind.singular} {entity.id} ({entity.file})")
        lines += [f"    {field_line(field)}" for field in entity.fields]
    return lines
