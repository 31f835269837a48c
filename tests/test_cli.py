"""The command line as a user meets it: outputs pinned by golden files, exit codes, colour."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ACME, BASE_PLAN, REPO, PlanWriter, assert_golden

from opsplan.cli import cli

BROKEN = "tests/fixtures/broken"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return CliRunner()


def test_check_text_output_lists_every_finding_with_hints(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", BROKEN])
    assert result.exit_code == 1
    assert_golden("check/broken.txt", result.output)


def test_check_json_output(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", BROKEN, "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert set(document) == {"diagnostics", "summary"}
    assert set(document["diagnostics"][0]) == {"code", "severity", "message", "file", "line", "column", "hint"}
    assert_golden("check/broken.json", result.output)


def test_paths_are_relative_to_the_current_folder(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO / BROKEN / "ops")
    result = runner.invoke(cli, ["check"])  # found by searching upward
    assert "processes.yaml:9:12: OPS202 unknown department `clinicl`" in result.output
    assert "../org/departments.yaml:13:5: OPS102" in result.output


def test_clean_plan_exits_zero_and_strict_fails_on_warnings(runner: CliRunner, write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN})
    result = runner.invoke(cli, ["check", str(root)])
    assert (result.exit_code, result.output) == (0, "0 errors, 0 warnings in 2 files\n")
    warned = write_plan({"plan.yaml": BASE_PLAN.replace("    head: Luis Ortega\n", "")})
    assert runner.invoke(cli, ["check", str(warned)]).exit_code == 0
    assert runner.invoke(cli, ["check", str(warned), "--strict"]).exit_code == 1


def test_no_plan_found_exits_two_with_a_clear_message(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "no opsplan.yaml found" in result.output and "opsplan init" in result.output
    assert runner.invoke(cli, ["check", str(tmp_path / "missing")]).exit_code == 2
    assert runner.invoke(cli, ["check", "--format", "xml"]).exit_code == 2


def test_output_file_is_written_and_summary_still_printed(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out" / "findings.json"
    result = runner.invoke(cli, ["check", BROKEN, "--format", "json", "-o", str(target)])
    assert result.exit_code == 1
    assert json.loads(target.read_text())["summary"]["errors"] > 0
    assert result.output.endswith("in 4 files\n")


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    from opsplan.check.render.text import render_diagnostics
    from opsplan.diagnostics import Diagnostic, Location, Severity

    finding = Diagnostic("OPS602", Severity.WARNING, "process `x` has no KPI", Location("a.yaml", 1, 1))
    assert "\x1b[" in render_diagnostics([finding], 1, colour=True)
    assert "\x1b[" not in render_diagnostics([finding], 1, colour=False)
    env = {**os.environ, "NO_COLOR": "1"}
    piped = subprocess.run([sys.executable, "-m", "opsplan", "check", BROKEN], cwd=REPO, env=env,
                           capture_output=True, text=True, check=False)
    assert "\x1b[" not in piped.stdout


def test_compile_refuses_a_plan_with_errors(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    result = runner.invoke(cli, ["compile", BROKEN, "-o", str(target)])
    assert result.exit_code == 1
    assert "nothing was compiled" in result.output
    assert not target.exists()


def test_compile_writes_exact_money_and_sources(runner: CliRunner, write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN.replace("amount: 99.90", "amount: {amount: 92.50, currency: EUR}")})
    result = runner.invoke(cli, ["compile", str(root)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    robots = document["budgets"]["fy2027"]["departments"]["warehouse"]["lines"]["robots"]
    assert robots["amount"] == {"amount": "92.50", "currency": "EUR", "in_plan_currency": "99.9000"}
    assert robots["source"] == "plan.yaml:40"
    assert document["goals"]["cheaper"]["measure"]["baseline"] == "12.40"  # filled in from the KPI
    assert document["processes"]["picking"]["type"] == "core"  # default applied


def test_compiled_example_plan_matches_its_schema(runner: CliRunner) -> None:
    import jsonschema

    result = runner.invoke(cli, ["compile", str(ACME)])
    assert result.exit_code == 0, result.output
    schema = json.loads((REPO / "schemas" / "compiled.schema.json").read_text())
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(json.loads(result.output))


def test_compiled_plan_carries_the_format_1_1_fields(runner: CliRunner) -> None:
    document = json.loads(runner.invoke(cli, ["compile", str(ACME)]).output)
    trucks = document["budgets"]["fy2027"]["departments"]["fleet-maintenance"]["lines"]["tractor-replacement"]
    assert {month: money["amount"] for month, money in trucks["phasing"].items()} == {
        "2027-03": "432000", "2027-07": "504000", "2027-08": "504000"}
    driver = document["programs"]["driver-hiring-2027"]["roles"]["cdl-driver"]
    assert (driver["department"], driver["by"], driver["time_to_fill"]) == ("transport", "2027-05-31", "6w")
    assert document["report"]["materiality"] == "25000" and "peak-season" in document["profiles"]
    assert document["waivers"]["fy2026-audit-fee"]["entity"] == "file:actuals/spend-2027q1.csv"
    assert document["departments"]["warehouse"]["attrition"] == "10.6"


def test_explain_documents_a_rule_and_suggests_for_typos(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", "ops302"])
    assert result.exit_code == 0
    assert_golden("explain/OPS302.txt", result.output)
    typo = runner.invoke(cli, ["explain", "OPS3022"])
    assert typo.exit_code == 2 and "unknown rule code" in typo.output
    listing = runner.invoke(cli, ["explain", "--list"])
    from opsplan.rules import registry

    assert listing.output.count("\n") == len(registry())  # one line per rule


def test_rules_doc_is_generated_from_the_registry() -> None:
    from opsplan.rules import registry
    from opsplan.rules.docs import render_rules_markdown

    assert (REPO / "docs" / "rules.md").read_text() == render_rules_markdown(list(registry().values())), (
        "docs/rules.md is stale: python -m opsplan.rules.docs > docs/rules.md")


def test_schema_command_prints_the_shipped_schemas(runner: CliRunner) -> None:
    plan = json.loads(runner.invoke(cli, ["schema"]).output)
    assert plan["$id"].endswith("plan.schema.json")
    root = json.loads(runner.invoke(cli, ["schema", "root"]).output)
    assert "organization" in root["properties"]
    assert runner.invoke(cli, ["schema", "--path"]).output.strip().endswith("schemas/plan.schema.json")


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0
    for name in ("check", "compile", "explain", "schema"):
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Example" in result.output, name
    assert runner.invoke(cli, ["--version"]).output.startswith("opsplan, version ")


def test_the_example_plan_checks_clean(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "plans/acme", "--strict"])
    assert result.exit_code == 0, result.output


def _console_script() -> str | None:
    beside_python = Path(sys.executable).parent / "opsplan"
    return str(beside_python) if beside_python.exists() else shutil.which("opsplan")


@pytest.mark.skipif(_console_script() is None, reason="the opsplan console script is not installed")
def test_installed_console_script_runs_end_to_end(tmp_path: Path) -> None:
    script = _console_script()
    assert script is not None
    checked = subprocess.run([script, "check", "plans/acme"], cwd=REPO, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("0 errors, 0 warnings in ")
    compiled = subprocess.run([script, "compile", "plans/acme", "-o", str(tmp_path / "plan.json")], cwd=REPO,
                              capture_output=True, text=True, check=False)
    assert compiled.returncode == 0, compiled.stderr
    assert json.loads((tmp_path / "plan.json").read_text())["organization"]["name"]


def test_the_command_line_ends_with_its_output_flushed_and_its_status(write_plan: PlanWriter) -> None:
    """`python -m opsplan` ends the process without freeing what it built (opsplan.cli.run):
    everything printed still arrives whole, and the exit status is the command's."""
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "opsplan", *args], capture_output=True, text=True, cwd=REPO)

    piped = run("report", str(ACME), "--as-of", "2027-03-31", "--format", "json")
    assert piped.returncode == 0
    in_process = CliRunner().invoke(cli, ["report", str(ACME), "--as-of", "2027-03-31", "--format", "json"])
    assert piped.stdout == in_process.output and json.loads(piped.stdout)["as_of"] == "2027-03-31"
    broken = write_plan({"processes.yaml": "processes:\n  - id: x\n    owner: nowhere\n"})
    failed = run("check", str(broken))
    assert failed.returncode == 1 and "OPS" in failed.stdout
    assert run("check", str(broken / "missing")).returncode == 2
    usage = run("chek")
    assert usage.returncode == 2 and "did you mean `check`" in usage.stderr


@pytest.mark.parametrize(("code", "status", "printed"), [(None, 0, ""), (0, 0, ""), (3, 3, ""), ("no plan", 1, "no plan\n")])
def test_an_exit_code_is_the_status_python_would_give(code: object, status: int, printed: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from opsplan.cli import _exit_status

    assert _exit_status(code) == status
    assert capsys.readouterr().err == printed
