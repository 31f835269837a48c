"""Findings as text lines, `path:line:col: CODE message`, the way editors and CI read them."""

from __future__ import annotations

from collections.abc import Sequence

import click

from opsplan.check.render import Findings, count_by_severity
from opsplan.diagnostics import Diagnostic, Severity
from opsplan.render import escape
from opsplan.render.words import plural


def summary_line(errors: int, warnings: int, files: int) -> str:
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"


def render(findings: Findings) -> str:
    return _render(findings.diagnostics, findings.errors, findings.warnings, len(findings.files),
                   colour=findings.colour)


def render_diagnostics(diagnostics: Sequence[Diagnostic], files: int, *, colour: bool = False) -> str:
    """Findings as text when only the number of files read is at hand: what a command that stops
    on them (compile, graph, report, diff) prints to standard error."""
    errors, warnings = count_by_severity(diagnostics)
    return _render(diagnostics, errors, warnings, files, colour=colour)


def _render(diagnostics: Sequence[Diagnostic], errors: int, warnings: int, files: int, *, colour: bool) -> str:
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
    summary = summary_line(errors, warnings, files)
    if colour:
        summary = click.style(summary, fg="red" if errors else ("yellow" if warnings else "green"), bold=True)
    lines.append(summary)
    return "\n".join(lines) + "\n"

