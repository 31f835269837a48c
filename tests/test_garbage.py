"""Why the command line runs without the cyclic garbage collector (opsplan/cli.py): no command
needs it. Run without it, a command's peak memory is that of a run with it, so nothing it builds
per entity or per row is held in a reference cycle (a closure calling itself, a back-reference)
that only the collector would free."""

from __future__ import annotations

import contextlib
import gc
import io
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from opsplan.cli import cli

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


def commands(plan: Path, out: Path) -> dict[str, list[str]]:
    report = ["report", str(plan), "--as-of", "2027-12-31"]
    return {
        "check": ["check", str(plan)],
        "compile": ["compile", str(plan), "-o", str(out / "plan.json")],
        **{f"graph {view}": ["graph", str(plan), "--view", view, "--format", "dot", "-o", str(out / f"{view}.dot")]
           for view in ("org", "processes", "departments", "goals", "programs")},
        **{f"report {name}": [*report, "--format", name, "-o", str(out / f"report.{name}")]
           for name in ("json", "text", "markdown", "html", "xlsx")},
        "report --owner": [*report, "--owner", "operations", "--format", "json", "-o", str(out / "owner.json")],
        "export": ["export", str(plan), "--report", "--as-of", "2027-12-31", "-o", str(out / "plan.xlsx")],
        "ls": ["ls", str(plan)],
    }


def peak_memory(args: list[str], *, collector: bool) -> int:
    """The most memory Python held during one run of a command, as the command line runs it."""
    gc.collect()
    if not collector:
        gc.disable()
    tracemalloc.start()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                cli.main(args=args, prog_name="opsplan", standalone_mode=False)
            except SystemExit as exit_:
                assert exit_.code in (0, 1, None), args
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        gc.enable()


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("plan")
    subprocess.run([sys.executable, str(GENERATOR), "150", str(made), "--force", "--spend-rows", "6000"],
                   check=True, capture_output=True)
    return made


@pytest.mark.parametrize("name", list(commands(Path(), Path())))
def test_a_command_holds_no_more_memory_without_the_cyclic_collector(plan: Path, tmp_path: Path, name: str) -> None:
    args = commands(plan, tmp_path)[name]
    # A first run imports the modules it needs, which is not what is measured.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            contextlib.suppress(SystemExit):
        cli.main(args=args, prog_name="opsplan", standalone_mode=False)
    with_collector = peak_memory(args, collector=True)
    without = peak_memory(args, collector=False)
    assert without <= with_collector * 1.01 + 64 * 1024, (with_collector, without)
