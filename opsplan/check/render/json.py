"""Findings as one JSON object, for scripts and editors."""

from __future__ import annotations

from typing import Any

from opsplan.check.render import Findings
from opsplan.diagnostics import Diagnostic
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
        **({"waived": diagnostic.waived} if diagnostic.waived is not None else {}),
    }


def render(findings: Findings) -> str:
    document = {
        "diagnostics": [diagnostic_record(d) for d in findings.diagnostics],
        "summary": {"errors": findings.errors, "warnings": findings.warnings, "files": len(findings.files),
                    "waived": findings.waived},
    }
    return json_document(document)
