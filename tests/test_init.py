"""`opsplan init`: a new plan that checks clean, prompts on a terminal, defaults without one,
and never overwrites a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from opsplan.check.pipeline import check_path
from opsplan.cli import cli
from opsplan.commands import init as init_module
from opsplan.load.schema import schema_dir

KINDS = ("departments", "processes", "budgets", "goals", "programs")


def files_under(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_scaffolded_plan_checks_clean_with_an_example_of_every_kind(tmp_path: Path) -> None:
    target = tmp_path / "plan"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    _, checked = check_path(target)
    assert (checked.errors, checked.warnings) == (0, 0), checked.diagnostics
    assert checked.plan is not None
    for kind in KINDS:
        assert len(getattr(checked.plan, kind)) >= 1, kind
    organization = checked.plan.settings.organization
    assert (organization.name, organization.currency) == ("My Organisation", "USD")  # no terminal: defaults


def test_every_yaml_file_points_editors_at_the_shipped_schema(tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["init", str(tmp_path)])
    yaml_files = sorted(tmp_path.rglob("*.yaml"), key=str)
    assert len(yaml_files) == 7  # opsplan.yaml, five plan files, .pre-commit-config.yaml
    for path in yaml_files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        written = path.parent / first.split("=", 1)[1]
        if path.name == "opsplan.yaml":
            assert written.resolve() == (schema_dir() / "opsplan.schema.json").resolve()
        elif path.name != ".pre-commit-config.yaml":
            assert written.resolve() == (schema_dir() / "plan.schema.json").resolve()


def test_actuals_are_header_only_csv_files(tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["init", str(tmp_path)])
    headers = {path.name: path.read_text() for path in (tmp_path / "actuals").iterdir()}
    assert headers == {
        "spend.csv": "date,department,line,amount,currency\n",
        "kpi-readings.csv": "date,kpi,value\n",
        "headcount.csv": "date,department,headcount\n",
        "hires.csv": "date,program,role,hired\n",
        "training.csv": "date,program,completed\n",
    }
    hook = (tmp_path / ".pre-commit-config.yaml").read_text()
    assert "id: opsplan-check" in hook


def test_name_and_currency_from_options(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--name", 'Acme: "North", Inc.', "--currency", "eur"])
    assert result.exit_code == 0
    plan = check_path(tmp_path)[1].plan
    assert plan is not None
    assert (plan.settings.organization.name, plan.currency) == ('Acme: "North", Inc.', "EUR")


def test_prompts_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(init_module, "stdin_is_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "first")], input="Globex Corporation\nchf\n")
    assert result.exit_code == 0, result.output
    assert "Organisation name [My Organisation]:" in result.output
    plan = check_path(tmp_path / "first")[1].plan
    assert plan is not None
    assert (plan.settings.organization.name, plan.currency) == ("Globex Corporation", "CHF")
    # Enter keeps the defaults (in a folder beside the first plan: plans do not nest).
    other = tmp_path / "other"
    assert CliRunner().invoke(cli, ["init", str(other)], input="\n\n").exit_code == 0
    assert check_path(other)[1].plan.currency == "USD"  # type: ignore[union-attr]


def test_never_overwrites_and_changes_nothing_on_an_existing_plan(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path)]).exit_code == 0
    (tmp_path / "goals.yaml").write_text("goals: {}\n")
    before = files_under(tmp_path)
    again = runner.invoke(cli, ["init", str(tmp_path), "--name", "Other"])
    assert again.exit_code == 2
    assert "already a plan" in again.output and "nothing was changed" in again.output
    assert runner.invoke(cli, ["init", str(tmp_path / "org")]).exit_code == 2  # inside the plan
    assert files_under(tmp_path) == before


def test_a_single_clashing_file_stops_everything(tmp_path: Path) -> None:
    (tmp_path / "goals.yaml").write_text("# mine\n")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "goals.yaml already exists" in result.output
    assert files_under(tmp_path) == {"goals.yaml": b"# mine\n"}


def test_a_bad_currency_is_refused_before_writing(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "new"), "--currency", "dollars"])
    assert result.exit_code == 2 and "ISO 4217" in result.output
    assert not (tmp_path / "new").exists()


def test_the_check_cache_is_git_ignored_and_an_existing_gitignore_kept(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    result = CliRunner().invoke(cli, ["init", str(fresh)])
    assert result.exit_code == 0 and "  .gitignore" in result.output
    assert "/.opsplan-cache/" in (fresh / ".gitignore").read_text(encoding="utf-8").splitlines()
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / ".gitignore").write_text("*.pyc\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(kept)])
    assert result.exit_code == 0
    assert (kept / ".gitignore").read_text(encoding="utf-8") == "*.pyc\n"
    assert "add `/.opsplan-cache/`" in result.output
