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
                   colour=findings.colour, show_waived=findings.show_waived)


def render_diagnostics(diagnostics: Sequence[Diagnostic], files: int, *, colour: bool = False) -> str:
    """Findings as text when only the number of files read is at hand: what a command that stops
    on them (compile, graph, report, diff) prints to standard error."""
    errors, warnings = count_by_severity(diagnostics)
    return _render(diagnostics, errors, warnings, files, colour=colour)


def _render(diagnostics: Sequence[Diagnostic], errors: int, warnings: int, files: int, *, colour: bool,
            show_waived: bool = False) -> str:
    lines = []
    waived = 0
    for diagnostic in diagnostics:
        if diagnostic.waived is not None:
            waived += 1
            if not show_waived:
                continue
        where = f"{escape.text(str(diagnostic.location))}:"
        code = diagnostic.code
        if colour:
            where = click.style(where, bold=True)
            code = click.style(code, fg="red" if diagnostic.severity is Severity.ERROR else "yellow", bold=True)
        accepted = f" (waived: {escape.text(diagnostic.waived)})" if diagnostic.waived is not None else ""
        lines.append(f"{where} {code} {escape.text(diagnostic.message)}{accepted}")
        if diagnostic.hint:
            hint = click.style("hint:", fg="cyan") if colour else "hint:"
            lines.append(f"  {hint} {escape.text(diagnostic.hint)}")
    summary = summary_line(errors, warnings, files)
    if waived:
        summary += f"; {waived} waived" + ("" if show_waived else " (--show-waived lists them)")
    if colour:
        summary = click.style(summary, fg="red" if errors else ("yellow" if warnings else "green"), bold=True)
    lines.append(summary)
    return "\n".join(lines) + "\n"

