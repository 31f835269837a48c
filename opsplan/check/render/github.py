"""Findings as GitHub Actions workflow commands, so each one shows as an annotation on the
pull request's changed lines."""

from __future__ import annotations

from opsplan.check.render import Findings, message_with_hint
from opsplan.check.render.text import summary_line
from opsplan.diagnostics import Diagnostic, Severity
from opsplan.render.escape import github_data as escape_data
from opsplan.render.escape import github_property as escape_property


def workflow_command(diagnostic: Diagnostic) -> str:
    command = "error" if diagnostic.severity is Severity.ERROR else "warning"
    location = diagnostic.location
    properties = ",".join([
        f"file={escape_property(location.file)}",
        f"line={location.line}",
        f"col={location.column}",
        f"title={escape_property(diagnostic.code)}",
    ])
    # Line breaks are encoded (GitHub shows them inside the annotation); other controls as escapes.
    message = message_with_hint(diagnostic)
    return f"::{command} {properties}::{escape_data(message)}"


def render(findings: Findings) -> str:
    # A waived finding is accepted in the plan's own review: it is not annotated again on every pull request.
    lines = [workflow_command(diagnostic) for diagnostic in findings.counted]
    lines.append(summary_line(findings.errors, findings.warnings, len(findings.files)))  # a plain line: the job log's last word
    return "\n".join(lines) + "\n"
