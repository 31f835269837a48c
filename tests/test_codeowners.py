"""`opsplan codeowners`: each plan file routed to its departments' reviewers; the acme block is
pinned by a golden (regenerate with `OPSPLAN_UPDATE_GOLDEN=1 pytest tests/test_codeowners.py`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ACME, BASE_PLAN, ROOT_FILE, PlanWriter, assert_golden, check, findings

from opsplan.cli import cli

REVIEWED = BASE_PLAN.replace("    headcount: 10\n", "    headcount: 10\n    reviewers: ['@tiny/ops', ops-lead@tiny.example]\n")


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["codeowners", *args])
    return result.exit_code, result.output


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ACME, tmp_path / "plans" / "acme")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_acme_block(acme: Path) -> None:
    code, output = invoke("plans/acme")
    assert code == 0
    assert_golden("codeowners/acme.txt", output)


def test_a_department_without_reviewers_is_reviewed_by_its_parent(write_plan: PlanWriter,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_plan({"plan.yaml": REVIEWED}, root_file=ROOT_FILE + "finance_reviewers: ['@tiny/finance']\n")
    monkeypatch.chdir(root.parent)
    code, output = invoke("plan")
    assert code == 0
    # Every entity belongs to warehouse (no reviewers) or ops, its parent; the budget adds finance.
    assert output.splitlines()[3:-1] == [
        "/plan/opsplan.yaml @tiny/finance @tiny/ops ops-lead@tiny.example",
        "/plan/plan.yaml @tiny/finance @tiny/ops ops-lead@tiny.example"]


def test_a_reviewer_that_is_no_handle_is_a_finding(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN.replace("    headcount: 10\n",
                                                      "    headcount: 10\n    reviewers: ['ops team\\n* @evil']\n")})
    assert findings(check(root)) == ["plan.yaml:7:17 OPS103"]
    code, output = invoke(str(root))
    assert code == 1 and "no CODEOWNERS block was written" in output


def test_check_write_and_check_again(acme: Path) -> None:
    codeowners = acme / "CODEOWNERS"
    codeowners.write_text("# team rules\n* @acme/admins\n", encoding="utf-8")
    code, output = invoke("plans/acme", "--check")
    assert code == 1
    assert "+/plans/acme/goals.yaml" in output and "out of date" in output
    code, output = invoke("plans/acme", "--write")
    assert code == 0 and output == "CODEOWNERS: 9 plan files routed\n"
    text = codeowners.read_text(encoding="utf-8")
    assert text.startswith("# team rules\n* @acme/admins\n\n# BEGIN opsplan codeowners: plans/acme\n")
    assert invoke("plans/acme", "--check")[0] == 0
    # A changed reviewer makes the block stale; writing again replaces it in place.
    departments = acme / "plans" / "acme" / "org" / "departments.yaml"
    departments.write_text(departments.read_text(encoding="utf-8").replace(
        "@acme/warehouse-leads", "@acme/dc-leads"), encoding="utf-8")
    code, output = invoke("plans/acme", "--check")
    assert code == 1 and "-/plans/acme/goals.yaml" in output and "@acme/dc-leads" in output
    codeowners.write_text(text + "# after the block\n", encoding="utf-8")
    assert invoke("plans/acme", "--write")[0] == 0
    rewritten = codeowners.read_text(encoding="utf-8")
    assert rewritten.count("# BEGIN opsplan codeowners") == 1 and rewritten.endswith("# after the block\n")
    assert "@acme/dc-leads" in rewritten and "@acme/warehouse-leads" not in rewritten


def test_github_place_is_found_first(acme: Path) -> None:
    (acme / ".github").mkdir()
    (acme / ".github" / "CODEOWNERS").write_text("", encoding="utf-8")
    assert invoke("plans/acme", "--write") == (0, ".github/CODEOWNERS: 9 plan files routed\n")
    assert not (acme / "CODEOWNERS").exists()


def test_a_path_codeowners_cannot_name_is_left_out_with_a_warning(write_plan: PlanWriter,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_plan({"plan[1].yaml": REVIEWED})
    monkeypatch.chdir(root.parent)
    result = CliRunner().invoke(cli, ["codeowners", "plan"])
    assert result.exit_code == 0
    assert "plan[1].yaml" not in result.stdout
    assert "'plan/plan[1].yaml' cannot be written as a CODEOWNERS pattern" in result.output
