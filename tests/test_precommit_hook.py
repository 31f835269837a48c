"""The `opsplan-check` hook of .pre-commit-hooks.yaml, run by the real pre-commit tool from this
checkout (`pre-commit try-repo`), on a repository holding a copy of the example plan."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ACME, REPO


def test_hook_declaration() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(hook for hook in hooks if hook["id"] == "opsplan-check")
    assert (hook["language"], hook["entry"], hook["pass_filenames"]) == ("python", "opsplan check --cache", False)
    import re

    files = re.compile(hook["files"])
    assert all(files.search(name) for name in ("opsplan.yaml", "org/a.yml", "actuals/spend.csv",
                                                     "actuals/ledger.parquet"))
    assert not any(files.search(name) for name in ("README.md", "plan.yaml.bak"))


def _pre_commit() -> list[str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    found = subprocess.run([sys.executable, "-m", "pre_commit", "--version"], capture_output=True, check=False)
    if found.returncode != 0:
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    return [sys.executable, "-m", "pre_commit"]


@pytest.mark.slow
def test_pre_commit_try_repo_runs_the_hook_on_the_example_plan(tmp_path: Path) -> None:
    pre_commit = _pre_commit()
    repo = tmp_path / "plans"
    shutil.copytree(ACME, repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "plan"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)

    def run_hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run([*pre_commit, "try-repo", str(REPO), "opsplan-check", "--all-files"],
                              cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=600)

    clean = run_hook()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "opsplan check" in clean.stdout and "Passed" in clean.stdout

    broken = (repo / "goals.yaml").read_text(encoding="utf-8").replace("owner: ", "owner: nobody-", 1)
    (repo / "goals.yaml").write_text(broken, encoding="utf-8")
    failed = run_hook()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout and "OPS202" in failed.stdout
