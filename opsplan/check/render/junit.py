"""Findings as a JUnit XML test report: one test suite per plan file, one test case per rule
that applies to it, failing when the rule found something there (warnings fail only under
``--strict``, exactly as the check's exit code does). A file of actuals is checked by the
actuals rules only, so only those are its test cases."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from xml.etree import ElementTree

from opsplan.check.render import Findings
from opsplan.diagnostics import Diagnostic, Severity
from opsplan.load.actuals_records import is_actuals_file
from opsplan.render.escape import xml_text
from opsplan.rules.codes import Rule

# The actuals rules are the 700s (docs/rules.md); they are the only ones that read a file of actuals.
ACTUALS_RULES_PREFIX = "OPS7"


def _finding_text(diagnostic: Diagnostic) -> str:
    line = f"{xml_text(str(diagnostic.location))}: {diagnostic.code} {xml_text(diagnostic.message)}"
    if diagnostic.waived is not None:
        line += f" (waived: {xml_text(diagnostic.waived)})"
    return line if not diagnostic.hint else f"{line}\n  hint: {xml_text(diagnostic.hint)}"


def _rules_of(file: str, rules: Sequence[Rule], found: set[str]) -> list[Rule]:
    """The rules that are test cases of ``file``: every rule for a plan file, the actuals rules
    for a file of actuals (and, either way, any rule that found something there)."""
    if not is_actuals_file(file):
        return list(rules)
    return [rule for rule in rules if rule.code.startswith(ACTUALS_RULES_PREFIX) or rule.code in found]


def render(findings: Findings) -> str:
    diagnostics, files, rules, strict = findings.diagnostics, findings.files, findings.rules, findings.strict
    by_file_and_code: dict[tuple[str, str], list[Diagnostic]] = defaultdict(list)
    for diagnostic in diagnostics:
        by_file_and_code[(diagnostic.location.file, diagnostic.code)].append(diagnostic)
    # A finding may name a file that was not read as a plan file (opsplan.yaml when missing).
    all_files = sorted({*files, *(file for file, _ in by_file_and_code)})

    suites = ElementTree.Element("testsuites", name="opsplan check")
    total_tests = total_failures = total_skipped = 0
    for file in all_files:
        suite = ElementTree.SubElement(suites, "testsuite", name=xml_text(file))
        tests = failures = skipped = 0
        found_here = {code for found_file, code in by_file_and_code if found_file == file}
        for rule in _rules_of(file, rules, found_here):
            case = ElementTree.SubElement(suite, "testcase", classname=xml_text(file), name=f"{rule.code} {rule.name}")
            tests += 1
            everything = by_file_and_code.get((file, rule.code), [])
            found = [d for d in everything if d.waived is None]
            waived = [d for d in everything if d.waived is not None]
            if waived and not found:  # every finding accepted by a waiver: the case is skipped, with why
                skipped += 1
                skip = ElementTree.SubElement(case, "skipped", message=xml_text("waived: " + "; ".join(
                    dict.fromkeys(findings.justification(str(d.waived)) for d in waived))))
                skip.text = "\n".join(_finding_text(d) for d in waived)
            failing = [d for d in found if d.severity is Severity.ERROR or strict]
            passing = [d for d in found if d not in failing] + (waived if found else [])
            if failing:
                failures += 1
                severity = "error" if any(d.severity is Severity.ERROR for d in failing) else "warning"
                failure = ElementTree.SubElement(
                    case, "failure", type=severity,
                    message=xml_text(f"{len(failing)} finding{'s' if len(failing) != 1 else ''}: {failing[0].message}"))
                failure.text = "\n".join(_finding_text(d) for d in failing)
            if passing:  # warnings outside --strict: shown, not failed
                output = ElementTree.SubElement(case, "system-out")
                output.text = "\n".join(_finding_text(d) for d in passing)
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        total_tests += tests
        total_failures += failures
        total_skipped += skipped
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", "0")
    if total_skipped:
        suites.set("skipped", str(total_skipped))
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
