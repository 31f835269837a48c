"""Findings as a JUnit XML test report: one test suite per plan file, one test case per rule
in it, failing when the rule found something there (warnings fail only under ``--strict``,
exactly as the check's exit code does)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from xml.etree import ElementTree

from opsplan.diagnostics import Diagnostic, Rule, Severity

# XML 1.0 cannot carry most control characters, even escaped; a file name or key could hold one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _finding_text(diagnostic: Diagnostic) -> str:
    line = f"{diagnostic.location}: {diagnostic.code} {diagnostic.message}"
    return _xml_text(line if not diagnostic.hint else f"{line}\n  hint: {diagnostic.hint}")


def render_diagnostics(diagnostics: Sequence[Diagnostic], files: Sequence[str], rules: Sequence[Rule],
                       *, strict: bool = False) -> str:
    by_file_and_code: dict[tuple[str, str], list[Diagnostic]] = defaultdict(list)
    for diagnostic in diagnostics:
        by_file_and_code[(diagnostic.location.file, diagnostic.code)].append(diagnostic)
    # A finding may name a file that was not read as a plan file (opsplan.yaml when missing).
    all_files = sorted({*files, *(file for file, _ in by_file_and_code)})

    suites = ElementTree.Element("testsuites", name="opsplan check")
    total_tests = total_failures = 0
    for file in all_files:
        suite = ElementTree.SubElement(suites, "testsuite", name=_xml_text(file))
        tests = failures = 0
        for rule in rules:
            case = ElementTree.SubElement(suite, "testcase", classname=_xml_text(file), name=f"{rule.code} {rule.name}")
            tests += 1
            found = by_file_and_code.get((file, rule.code), [])
            failing = [d for d in found if d.severity is Severity.ERROR or strict]
            passing = [d for d in found if d not in failing]
            if failing:
                failures += 1
                severity = "error" if any(d.severity is Severity.ERROR for d in failing) else "warning"
                failure = ElementTree.SubElement(
                    case, "failure", type=severity,
                    message=_xml_text(f"{len(failing)} finding{'s' if len(failing) != 1 else ''}: {failing[0].message}"))
                failure.text = "\n".join(_finding_text(d) for d in failing)
            if passing:  # warnings outside --strict: shown, not failed
                output = ElementTree.SubElement(case, "system-out")
                output.text = "\n".join(_finding_text(d) for d in passing)
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += tests
        total_failures += failures
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", "0")
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
