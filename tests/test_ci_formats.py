"""`opsplan check --format github|sarif|junit`: what GitHub Actions, code scanning and test-report
readers get, and `-o` writing any of them while the summary stays on the terminal."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from conftest import BASE_PLAN, REPO, PlanWriter, assert_golden

from opsplan.check.render.github import escape_data, escape_property, workflow_command
from opsplan.cli import cli
from opsplan.diagnostics import Diagnostic, Location, Severity
from opsplan.rules import registry

BROKEN = "tests/fixtures/broken"
SARIF_SCHEMA = REPO.parent / "shared" / "vendor-schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(REPO)
    return CliRunner()


# --- github ---------------------------------------------------------------------------------

def test_github_annotations_for_every_finding(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", BROKEN, "--format", "github"])
    assert result.exit_code == 1
    assert ("::error file=tests/fixtures/broken/ops/processes.yaml,line=9,col=12,title=OPS202::"
            "unknown department `clinicl` as owner of process `packing`%0Ahint: did you mean `clinical`?"
            in result.output.splitlines())
    assert any(line.startswith("::warning file=") and "title=OPS603" in line for line in result.output.splitlines())
    assert_golden("ci/broken.github.txt", result.output)


def test_github_escapes_what_workflow_commands_would_misread() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    finding = Diagnostic("OPS202", Severity.ERROR, "50% over: see a,b", Location("dir,x/a:b.yaml", 3, 4),
                         hint="line one\nline two")
    assert workflow_command(finding) == (
        "::error file=dir%2Cx/a%3Ab.yaml,line=3,col=4,title=OPS202::50%25 over: see a,b%0Ahint: line one%0Aline two")


# --- sarif ----------------------------------------------------------------------------------

def sarif_of(runner: CliRunner, *args: str) -> dict[str, object]:
    result = runner.invoke(cli, ["check", *args, "--format", "sarif"])
    assert result.exit_code in (0, 1), result.output
    document: dict[str, object] = json.loads(result.output)
    return document


def test_sarif_is_valid_against_the_official_schema(runner: CliRunner, write_plan: PlanWriter) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SARIF_SCHEMA} (shared/vendor-schemas beside the repository)")
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    clean = write_plan({"plan.yaml": BASE_PLAN})
    for document in (sarif_of(runner, BROKEN), sarif_of(runner, str(clean))):
        jsonschema.Draft4Validator(schema).validate(document)


def test_sarif_lists_each_rule_once_with_help_and_points_at_relative_files(runner: CliRunner) -> None:
    document = sarif_of(runner, BROKEN)
    run = document["runs"][0]  # type: ignore[index]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(registry())
    cycle = rules[[rule["id"] for rule in rules].index("OPS302")]
    assert cycle["shortDescription"]["text"] == registry()["OPS302"].summary
    assert registry()["OPS302"].rationale in cycle["help"]["text"]
    assert cycle["defaultConfiguration"]["level"] == "error"
    results = run["results"]
    assert len(results) == 8  # 6 errors (the cycle through `picking`, whose cycle_time is bad, too), 2 warnings
    unknown = next(r for r in results if r["ruleId"] == "OPS202")
    assert rules[unknown["ruleIndex"]]["id"] == "OPS202"
    assert unknown["level"] == "error"
    assert unknown["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "tests/fixtures/broken/ops/processes.yaml"},
        "region": {"startLine": 9, "startColumn": 12}}
    assert {r["level"] for r in results if r["ruleId"] == "OPS603"} == {"warning"}


# --- junit ----------------------------------------------------------------------------------

def test_junit_has_a_case_per_file_and_rule_failing_with_the_findings(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", BROKEN, "--format", "junit"])
    assert result.exit_code == 1
    suites = ElementTree.fromstring(result.output)
    files = [suite.get("name") for suite in suites]
    assert files == ["tests/fixtures/broken/ops/processes.yaml", "tests/fixtures/broken/ops/syntax.yaml",
                     "tests/fixtures/broken/opsplan.yaml", "tests/fixtures/broken/org/departments.yaml"]
    assert suites.get("tests") == str(len(files) * len(registry()))
    failures = {(case.get("classname"), case.get("name")): case.find("failure")
                for case in suites.iter("testcase") if case.find("failure") is not None}
    assert suites.get("failures") == str(len(failures)) == "6"
    failure = failures[("tests/fixtures/broken/ops/processes.yaml", "OPS202 " + registry()["OPS202"].name)]
    assert failure is not None and failure.text is not None
    assert "processes.yaml:9:12: OPS202 unknown department `clinicl`" in failure.text
    assert "hint: did you mean `clinical`?" in failure.text
    # Warnings are reported but fail only under --strict, as the exit code does.
    strict = ElementTree.fromstring(runner.invoke(cli, ["check", BROKEN, "--format", "junit", "--strict"]).output)
    assert strict.get("failures") == "8"


# --- -o ------------------------------------------------------------------------------------

@pytest.mark.parametrize("output_format", ["github", "sarif", "junit", "json", "text"])
def test_output_file_gets_the_format_and_the_terminal_the_summary(
        runner: CliRunner, tmp_path: Path, output_format: str) -> None:
    target = tmp_path / "reports" / f"findings.{output_format}"
    result = runner.invoke(cli, ["check", BROKEN, "--format", output_format, "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == "6 errors, 2 warnings in 4 files\n"
    written = target.read_text(encoding="utf-8")
    assert "OPS202" in written
    assert not list(target.parent.glob(".*.tmp"))  # the atomic write left nothing behind


@pytest.mark.parametrize(("name", "root_tag"), [("findings.sarif", "sarif"), ("findings.json", "json"),
                                               ("opsplan-junit.xml", "junit"), ("findings.txt", "text")])
def test_the_output_file_extension_implies_the_format(
        runner: CliRunner, tmp_path: Path, name: str, root_tag: str) -> None:
    target = tmp_path / name
    result = runner.invoke(cli, ["check", BROKEN, "-o", str(target)])
    assert result.exit_code == 1
    written = target.read_text(encoding="utf-8")
    expected = runner.invoke(cli, ["check", BROKEN, "--format", root_tag]).output
    assert written == expected


def test_a_format_contradicting_the_output_extension_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "findings.sarif"
    result = runner.invoke(cli, ["check", BROKEN, "--format", "junit", "-o", str(target)])
    assert result.exit_code == 2
    assert "--format junit" in result.output and not target.exists()
