"""Findings as SARIF 2.1.0, the format code-scanning tools read to show findings inline.

Every rule of the registry is listed once with its summary and rationale as help text, so a
reader sees why a finding matters without leaving the review.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from opsplan import __version__
from opsplan.check.render import Findings, message_with_hint
from opsplan.diagnostics import Diagnostic, Severity
from opsplan.render.escape import json_document
from opsplan.rules.codes import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/opsplan/opsplan"
RULES_DOC = "https://github.com/opsplan/opsplan/blob/main/docs/rules.md"


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def _rule_entry(rule: Rule) -> dict[str, Any]:
    help_text = f"{rule.summary}.\n\n{rule.rationale}\n\nBad:\n{rule.bad}\n\nGood:\n{rule.good}"
    help_markdown = (f"**{rule.summary}.**\n\n{rule.rationale}\n\nBad:\n\n```yaml\n{rule.bad}\n```\n\n"
                     f"Good:\n\n```yaml\n{rule.good}\n```")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": help_text, "markdown": help_markdown},
        "helpUri": f"{RULES_DOC}#{rule.code.lower()}",
        "defaultConfiguration": {"level": _level(rule.severity)},
    }


def _result(diagnostic: Diagnostic, rule_index: dict[str, int], findings: Findings) -> dict[str, Any]:
    text = message_with_hint(diagnostic)
    location = diagnostic.location
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "level": _level(diagnostic.severity),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                # Relative to the folder the check ran in (the repository root in CI): that is
                # how code scanning matches a finding to a file of the pull request.
                "artifactLocation": {"uri": quote(location.file, errors="surrogateescape")},
                "region": {"startLine": max(location.line, 1), "startColumn": max(location.column, 1)},
            },
        }],
    }
    if diagnostic.code in rule_index:
        result["ruleIndex"] = rule_index[diagnostic.code]
    if diagnostic.waived is not None:
        # Accepted in the plan itself (a reviewed waiver), so `external` to the scanning tool.
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": findings.justification(diagnostic.waived)}]
    return result


def render(findings: Findings) -> str:
    rules, diagnostics = findings.rules, findings.diagnostics
    rule_index = {rule.code: index for index, rule in enumerate(rules)}
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "opsplan",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_entry(rule) for rule in rules],
            }},
            "columnKind": "unicodeCodePoints",
            "results": [_result(diagnostic, rule_index, findings) for diagnostic in diagnostics],
        }],
    }
    return json_document(document)
