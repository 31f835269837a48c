"""Findings as text lines, `path:line:col: CODE message`, the way editors and CI read them."""

from __future__ import annotations

from collections.abc import Sequence

import click

from opsplan.diagnostics import Diagnostic, Severity
from opsplan.render import escape


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_line(errors: int, warnings: int, files: int) -> str:
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"


def render_diagnostics(diagnostics: Sequence[Diagnostic], files: int, *, colour: bool = False) -> str:
    lines = []
    for diagnostic in diagnostics:
        where = f"{escape.text(str(diagnostic.location))}:"
        code = diagnostic.code
        if colour:
            where = click.style(where, bold=True)
            code = click.style(code, fg="red" if diagnostic.severity is Severity.ERROR else "yellow", bold=True)
        lines.append(f"{where} {code} {escape.text(diagnostic.message)}")
        if diagnostic.hint:
            hint = click.style("hint:", fg="cyan") if colour else "hint:"
            lines.append(f"  {hint} {escape.text(diagnostic.hint)}")
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    summary = summary_line(errors, warnings, files)
    if colour:
        summary = click.style(summary, fg="red" if errors else ("yellow" if warnings else "green"), bold=True)
    lines.append(summary)
    return "\n".join(lines) + "\n"
