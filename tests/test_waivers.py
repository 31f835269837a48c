"""Waivers (format 1.1): one configurable rule accepted for one entity or one file of actuals,
owned and until a date; what `opsplan check` shows of them in every format."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from conftest import BASE_PLAN, REPO, ROOT_FILE, PlanWriter, assert_golden, findings

from opsplan.check.pipeline import check_path
from opsplan.cli import cli

SARIF_SCHEMA = REPO.parent / "shared" / "vendor-schemas" / "sarif-schema-2.1.0.json"

# Warehouse has no head: OPS603 (a warning) at plan.yaml:7:3.
HEADLESS = BASE_PLAN.replace("    head: Luis Ortega\n", "")
SPEND_BEFORE_BUDGET = "date,department,line,amount\n2026-12-31,warehouse,salaries,10\n"


def waiver(rule: str = "OPS603", entity: str = "department/warehouse", expires: str = "2027-03-31",
           owner: str = "ops") -> str:
    return (f"waivers:\n  head-later:\n    rule: {rule}\n    entity: {entity}\n    owner: {owner}\n"
            f"    reason: The new head starts in March\n    expires: {expires}\n")


def check_on(root: Path, as_of: date) -> list[str]:
    result = check_path(root, as_of=as_of)[1]
    return [f"{line} waived={d.waived}" if d.waived else line for d, line in zip(result.diagnostics, findings(result),
                                                                               strict=True)]


def test_a_waiver_accepts_its_finding_until_the_end_of_its_expiry_date(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": HEADLESS, "waivers.yaml": waiver(expires="2027-03-31")})
    assert check_on(root, date(2027, 3, 30)) == ["plan.yaml:7:3 OPS603 waived=head-later"]
    assert check_on(root, date(2027, 3, 31)) == ["plan.yaml:7:3 OPS603 waived=head-later"]  # the last day it holds
    assert check_on(root, date(2027, 4, 1)) == ["plan.yaml:7:3 OPS603", "waivers.yaml:7:14 OPS801"]


def test_an_expired_waiver_names_its_owner_and_fails_the_run(runner: CliRunner, write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": HEADLESS, "waivers.yaml": waiver(expires="2027-03-31")})
    result = runner.invoke(cli, ["check", str(root), "--as-of", "2027-04-01"])
    assert result.exit_code == 1
    assert ("waivers.yaml:7:14: OPS801 waiver `head-later` of OPS603 for department/warehouse expired on "
            "2027-03-31; it is owned by department `ops`") in result.output
    assert runner.invoke(cli, ["check", str(root), "--as-of", "2027-03-31", "--strict"]).exit_code == 0


def test_waived_findings_are_not_counted_and_listed_only_on_request(runner: CliRunner, write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": HEADLESS, "waivers.yaml": waiver()})
    quiet = runner.invoke(cli, ["check", str(root), "--as-of", "2027-01-15", "--strict"])
    assert (quiet.exit_code, quiet.output) == (
        0, "0 errors, 0 warnings in 3 files; 1 waived (--show-waived lists them)\n")
    shown = runner.invoke(cli, ["check", str(root), "--as-of", "2027-01-15", "--show-waived"])
    assert shown.output.splitlines() == [
        f"{root}/plan.yaml:7:3: OPS603 department `warehouse` has no head (waived: head-later)",
        "  hint: add `head:` with the person responsible",
        "0 errors, 0 warnings in 3 files; 1 waived",
    ]


def test_a_waiver_holds_only_for_its_rule_and_its_entity(write_plan: PlanWriter) -> None:
    other_entity = write_plan({"plan.yaml": HEADLESS, "waivers.yaml": waiver(entity="department/ops")})
    assert check_on(other_entity, date(2027, 1, 15)) == ["plan.yaml:7:3 OPS603", "waivers.yaml:2:3 OPS802"]
    other_rule = write_plan({"plan.yaml": HEADLESS, "waivers.yaml": waiver(rule="OPS604")})
    assert check_on(other_rule, date(2027, 1, 15)) == ["plan.yaml:7:3 OPS603", "waivers.yaml:2:3 OPS802"]


def test_a_waiver_of_a_file_of_actuals_accepts_its_rows_findings(write_plan: PlanWriter) -> None:
    files = {"plan.yaml": BASE_PLAN, "actuals/spend.csv": SPEND_BEFORE_BUDGET}
    unwaived = write_plan(files)
    assert check_on(unwaived, date(2027, 1, 15)) == ["actuals/spend.csv:2:1 OPS705"]
    root = write_plan({**files, "waivers.yaml": waiver("OPS705", "{file: actuals/spend.csv}")})
    assert check_on(root, date(2027, 1, 15)) == ["actuals/spend.csv:2:1 OPS705 waived=head-later"]
    other_file = write_plan({**files, "waivers.yaml": waiver("OPS705", "{file: ./actuals/other.csv}")})
    assert check_on(other_file, date(2027, 1, 15)) == ["actuals/spend.csv:2:1 OPS705", "waivers.yaml:2:3 OPS802"]


@pytest.mark.parametrize(("fields", "expected"), [
    ({"rule": "OPS202"}, ["plan.yaml:7:3 OPS603", "waivers.yaml:3:11 OPS803"]),
    ({"rule": "OPS801"}, ["plan.yaml:7:3 OPS603", "waivers.yaml:3:11 OPS803"]),
    ({"rule": "OPS699"}, ["plan.yaml:7:3 OPS603", "waivers.yaml:3:11 OPS803"]),
    ({"owner": "warehose"}, ["plan.yaml:7:3 OPS603", "waivers.yaml:5:12 OPS202"]),
    ({"entity": "department/warehose"}, ["plan.yaml:7:3 OPS603", "waivers.yaml:4:13 OPS202"]),
    ({"entity": "team/warehouse"}, ["plan.yaml:7:3 OPS603", "waivers.yaml:4:13 OPS103"]),
    ({"expires": "2027-02-30"}, ["plan.yaml:7:3 OPS603", "waivers.yaml:7:14 OPS105"]),
])
def test_a_waiver_that_cannot_hold_is_one_finding_and_waives_nothing(
        fields: dict[str, str], expected: list[str], write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": HEADLESS, "waivers.yaml": waiver(**fields)})
    assert check_on(root, date(2027, 1, 15)) == expected


def test_a_waiver_declared_twice_is_reported_once(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": HEADLESS, "a.yaml": waiver(), "b.yaml": waiver()})
    assert check_on(root, date(2027, 1, 15)) == ["b.yaml:2:3 OPS201", "plan.yaml:7:3 OPS603 waived=head-later"]


# --- the formats ------------------------------------------------------------------------------

def check_output(runner: CliRunner, root: Path, output_format: str) -> str:
    result = runner.invoke(cli, ["check", str(root), "--as-of", "2027-01-15", "--format", output_format])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def waived_plan(write_plan: PlanWriter) -> Path:
    return write_plan({"plan.yaml": HEADLESS, "waivers.yaml": waiver()})


def test_json_marks_the_waived_finding_and_counts_it_apart(runner: CliRunner, waived_plan: Path) -> None:
    document = json.loads(check_output(runner, waived_plan, "json"))
    assert [(d["code"], d.get("waived")) for d in document["diagnostics"]] == [("OPS603", "head-later")]
    assert document["summary"] == {"errors": 0, "warnings": 0, "files": 3, "waived": 1}


def test_sarif_carries_the_waived_finding_as_an_external_suppression(runner: CliRunner, waived_plan: Path) -> None:
    document = json.loads(check_output(runner, waived_plan, "sarif"))
    [result] = document["runs"][0]["results"]
    assert result["ruleId"] == "OPS603"
    assert result["suppressions"] == [{
        "kind": "external", "status": "accepted",
        "justification": "The new head starts in March (waiver `head-later`, owner `ops`, until 2027-03-31)"}]
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SARIF_SCHEMA}")
    import jsonschema

    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(document)


def test_junit_shows_the_waived_rule_as_skipped_with_the_reason(runner: CliRunner, waived_plan: Path) -> None:
    suites = ElementTree.fromstring(check_output(runner, waived_plan, "junit"))
    [skipped] = [case for case in suites.iter("testcase") if case.find("skipped") is not None]
    assert (skipped.get("classname"), skipped.get("name")) == (f"{waived_plan}/plan.yaml", "OPS603 department-without-head")
    assert skipped.find("skipped").get("message") == (  # type: ignore[union-attr]
        "waived: The new head starts in March (waiver `head-later`, owner `ops`, until 2027-03-31)")
    assert suites.get("skipped") == "1"
    assert suites.get("failures") == "0"


def test_github_leaves_waived_findings_out(runner: CliRunner, waived_plan: Path) -> None:
    assert check_output(runner, waived_plan, "github") == "0 errors, 0 warnings in 3 files\n"


# --- opsplan diff -----------------------------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def test_diff_lists_waivers_added_removed_and_extended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"GIT_AUTHOR_NAME": "Plan Owner", "GIT_AUTHOR_EMAIL": "owner@example.com",
                        "GIT_COMMITTER_NAME": "Plan Owner", "GIT_COMMITTER_EMAIL": "owner@example.com",
                        "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "opsplan.yaml").write_text(ROOT_FILE, encoding="utf-8")
    (repo / "plan.yaml").write_text(HEADLESS, encoding="utf-8")
    # Far-off expiry dates: the diff judges waivers today, and must not change as time passes.
    idle = waiver("OPS604", "department/ops", "2098-12-31").replace("head-later", "idle-ops").removeprefix("waivers:\n")
    (repo / "waivers.yaml").write_text(waiver(expires="2098-03-31") + idle, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    no_kpis = waiver("OPS602", "process/picking", "2099-01-31").replace("head-later", "picking-kpis")
    (repo / "plan.yaml").write_text(HEADLESS.replace(
        "    kpis:\n      pick-rate: {name: Pick rate, unit: count, better: higher, baseline: 100, target: 120}\n", ""),
        encoding="utf-8")
    (repo / "waivers.yaml").write_text(waiver(expires="2099-03-31") + no_kpis.removeprefix("waivers:\n"),
                                       encoding="utf-8")
    monkeypatch.chdir(repo)
    for output_format, suffix in (("text", "txt"), ("markdown", "md"), ("json", "json")):
        result = CliRunner().invoke(cli, ["diff", "HEAD", "--format", output_format])
        assert result.exit_code in (0, 1), result.output
        assert_golden(f"diff/waivers.{suffix}", result.output)
    text = CliRunner().invoke(cli, ["diff", "HEAD"]).output
    assert "  extended head-later (OPS603, department/warehouse, owner ops): until 2098-03-31 -> 2099-03-31" in text
    assert "  removed idle-ops (OPS604, department/ops, owner ops): was until 2098-12-31" in text
    assert "  added picking-kpis (OPS602, process/picking, owner ops): until 2099-01-31" in text


# --- opsplan report ---------------------------------------------------------------------------

@pytest.mark.parametrize(("as_of", "expected"), [
    ("2099-02-28", "  head-later  OPS603  department/warehouse  ops    2099-03-31         31"),
    ("2099-03-01", "  head-later  OPS603  department/warehouse  ops    2099-03-31         30  expiring"),
    ("2099-03-31", "  head-later  OPS603  department/warehouse  ops    2099-03-31          0  expiring"),
])
def test_report_lists_active_waivers_and_marks_those_expiring_within_30_days(
        as_of: str, expected: str, write_plan: PlanWriter, runner: CliRunner) -> None:
    # Far-off dates: the check before the report judges expiry on the day the test runs.
    waived_plan = write_plan({"plan.yaml": HEADLESS, "waivers.yaml": waiver(expires="2099-03-31")})
    result = runner.invoke(cli, ["report", str(waived_plan), "--as-of", as_of])
    assert result.exit_code == 0, result.output
    section = result.stdout[result.stdout.index("WAIVERS"):].splitlines()
    assert section[0] == f"WAIVERS  1 active, {0 if expected.endswith('31') else 1} expiring within 30 days"
    assert section[2] == expected
    for output_format in ("markdown", "html", "json"):
        shown = runner.invoke(cli, ["report", str(waived_plan), "--as-of", as_of, "--format", output_format]).stdout
        assert "The new head starts in March" in shown


def test_report_leaves_out_expired_waivers(write_plan: PlanWriter, runner: CliRunner) -> None:
    waived_plan = write_plan({"plan.yaml": HEADLESS, "waivers.yaml": waiver(expires="2099-03-31")})
    expired = runner.invoke(cli, ["report", str(waived_plan), "--as-of", "2099-04-01", "--format", "json"])
    assert json.loads(expired.stdout)["waivers"] == []
    assert "WAIVERS" not in runner.invoke(cli, ["report", str(waived_plan), "--as-of", "2099-04-01"]).stdout


def test_a_waived_flood_of_rows_stays_waived_when_summarised(write_plan: PlanWriter) -> None:
    rows = "".join(f"2026-12-{1 + day % 28:02d},warehouse,salaries,{day + 1}\n" for day in range(1200))
    root = write_plan({"plan.yaml": BASE_PLAN, "actuals/spend.csv": "date,department,line,amount\n" + rows,
                       "waivers.yaml": waiver("OPS705", "{file: actuals/spend.csv}")})
    result = check_path(root, as_of=date(2027, 1, 15))[1]
    assert (result.errors, result.warnings) == (0, 0)
    assert {d.waived for d in result.diagnostics} == {"head-later"}
    assert result.diagnostics[-1].message == "200 more OPS705 findings in actuals/spend.csv are not shown"


def test_report_does_not_warn_of_skipped_rows_a_waiver_accepts(write_plan: PlanWriter, runner: CliRunner) -> None:
    files = {"plan.yaml": BASE_PLAN, "actuals/spend.csv": SPEND_BEFORE_BUDGET}
    unwaived = runner.invoke(cli, ["report", str(write_plan(files)), "--as-of", "2027-03-31"])
    assert "the rows above were skipped" in unwaived.stderr
    waived = write_plan({**files, "waivers.yaml": waiver("OPS705", "{file: actuals/spend.csv}", "2099-12-31")})
    result = runner.invoke(cli, ["report", str(waived), "--as-of", "2027-03-31"])
    assert (result.exit_code, result.stderr) == (0, "")
