"""Findings as one JSON object, for scripts and editors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opsplan.diagnostics import Diagnostic, Severity
from opsplan.render.escape import json_document


def diagnostic_record(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "file": diagnostic.location.file,
        "line": diagnostic.location.line,
        "column": diagnostic.location.column,
        "hint": diagnostic.hint,
    }


def render_diagnostics(diagnostics: Sequence[Diagnostic], files: int) -> str:
    document = {
        "diagnostics": [diagnostic_record(d) for d in diagnostics],
        "summary": {
            "errors": sum(1 for d in diagnostics if d.severity is Severity.ERROR),
            "warnings": sum(1 for d in diagnostics if d.severity is Severity.WARNING),
            "files": files,
        },
    }
    return json_document(document)
