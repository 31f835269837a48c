"""Progress on standard error: drawn and wiped on a terminal, never on a pipe, under CI=true or
with --quiet; and what reading actuals, walking history and drawing a large picture report."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ACME, needs_drawing

from opsplan import progress
from opsplan.cli import cli, main
from opsplan.load.actuals import load_actuals


class FakeTerminal(io.StringIO):
    """Standard error as a person at a terminal has it."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTerminal]:
    """A terminal outside CI, drawing at once (no wait before the first line and none between
    two) so that short test work shows; a test puts it on standard error with ``on_terminal``,
    in its own body, since pytest sets its own standard error again when the test starts."""
    stream = FakeTerminal()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(progress, "REDRAW_SECONDS", 0.0)
    monkeypatch.setattr(progress, "_quiet", False)
    yield stream
    progress.set_quiet(False)


def on_terminal(monkeypatch: pytest.MonkeyPatch, terminal: FakeTerminal) -> None:
    monkeypatch.setattr(sys, "stderr", terminal)


def run(args: list[str]) -> int:
    """The `opsplan` entry point as a shell runs it, with the streams of the test."""
    try:
        main(args)
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0


def test_a_terminal_sees_the_bar_drawn_and_then_wiped(terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch) -> None:
    on_terminal(monkeypatch, terminal)
    with progress.progress("reading actuals", "bytes") as advance:
        advance(500_000, 1_000_000)
    drawn = "\ropsplan: reading actuals [############------------]  50% 0.5 of 1.0 MB"
    assert terminal.getvalue() == drawn + "\r" + " " * (len(drawn) - 1) + "\r"


def test_work_of_unknown_size_turns_a_spinner_with_its_count(terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch) -> None:
    on_terminal(monkeypatch, terminal)
    with progress.progress("walking history", "commits") as advance:
        advance(3, 0)
    assert terminal.getvalue().startswith("\ropsplan: walking history / 3 commits\r")


def test_a_step_is_announced_at_once_and_wiped(terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch) -> None:
    on_terminal(monkeypatch, terminal)
    with progress.step("drawing 250 nodes"):
        assert terminal.getvalue() == "\ropsplan: drawing 250 nodes ..."
    assert terminal.getvalue().endswith("\r" + " " * len("opsplan: drawing 250 nodes ...") + "\r")


def test_quick_work_draws_nothing(terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch) -> None:
    on_terminal(monkeypatch, terminal)
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 60.0)
    with progress.progress("reading actuals", "bytes") as advance:
        advance(1, 2)
    assert terminal.getvalue() == ""


@pytest.mark.parametrize("ci", ["true", "TRUE", " true "])
def test_ci_draws_nothing(terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    on_terminal(monkeypatch, terminal)
    monkeypatch.setenv("CI", ci)
    with progress.progress("reading actuals", "bytes") as advance, progress.step("drawing"):
        advance(1, 2)
    assert terminal.getvalue() == ""


def test_quiet_draws_nothing(terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch) -> None:
    on_terminal(monkeypatch, terminal)
    progress.set_quiet(True)
    with progress.progress("reading actuals", "bytes") as advance, progress.step("drawing"):
        advance(1, 2)
    assert terminal.getvalue() == ""


def test_a_pipe_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0.0)
    with progress.progress("reading actuals", "bytes") as advance, progress.step("drawing"):
        advance(1, 2)
    assert piped.getvalue() == ""


def test_a_terminal_gone_does_not_stop_the_work(terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch) -> None:
    on_terminal(monkeypatch, terminal)
    terminal.close()  # writing now raises ValueError
    with progress.progress("reading actuals", "bytes") as advance:
        advance(1, 2)
        advance(2, 2)


def test_reading_actuals_tells_bytes_read_of_all_the_files() -> None:
    from opsplan.check.pipeline import check_path

    _, result = check_path(ACME)
    told: list[tuple[int, int]] = []
    load_actuals(ACME / "actuals", result.plan, ACME, progress=lambda done, total: told.append((done, total)))
    total = sum(path.stat().st_size for path in (ACME / "actuals").glob("*.csv"))
    assert told and {whole for _, whole in told} == {total}
    assert [done for done, _ in told] == sorted(done for done, _ in told)
    assert told[-1] == (total, total)


def test_report_on_a_terminal_shows_the_actuals_read_and_wipes_the_line(
        terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    on_terminal(monkeypatch, terminal)
    assert run(["report", str(ACME)]) in (0, 1)
    drawn = terminal.getvalue()
    assert "\ropsplan: reading actuals [" in drawn and "100%" in drawn
    assert drawn.endswith(" \r") and "\n" not in drawn
    assert capsys.readouterr().out  # the report itself is untouched, on standard output


def test_quiet_report_on_a_terminal_writes_nothing_to_standard_error(
        terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    on_terminal(monkeypatch, terminal)
    quiet = run(["--quiet", "report", str(ACME)])
    assert terminal.getvalue() == ""
    said = capsys.readouterr().out
    assert run(["-q", "check", str(ACME)]) in (0, 1) and terminal.getvalue() == ""
    capsys.readouterr()
    # The next run without the flag is not quiet, and quiet changed nothing on standard output.
    assert run(["report", str(ACME)]) == quiet
    assert capsys.readouterr().out == said
    assert "reading actuals" in terminal.getvalue()


def test_under_click_s_runner_and_ci_nothing_is_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0.0)
    monkeypatch.delenv("CI", raising=False)
    result = CliRunner().invoke(cli, ["report", str(ACME)])
    assert "\r" not in result.stderr
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("CI", "true")
    assert run(["report", str(ACME)]) in (0, 1)
    assert terminal.getvalue() == ""


def test_a_piped_run_writes_no_progress(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "opsplan", "report", str(ACME)], capture_output=True, text=True,
                          check=False, cwd=tmp_path)
    assert done.returncode in (0, 1) and "\r" not in done.stderr and "reading actuals" not in done.stderr


def test_history_on_a_terminal_counts_the_commits(terminal: FakeTerminal, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    on_terminal(monkeypatch, terminal)
    from conftest import BASE_PLAN, plan_repository

    repo = plan_repository(tmp_path, monkeypatch, BASE_PLAN.replace("total: 1000", "total: 1200"))
    assert run(["history", str(repo / "plan")]) == 0
    drawn = terminal.getvalue()
    assert "\ropsplan: walking history [############------------]  50% 1 of 2 commits" in drawn
    assert "100% 2 of 2 commits" in drawn and drawn.endswith(" \r")


@needs_drawing
def test_a_large_picture_says_it_is_being_drawn(terminal: FakeTerminal, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    on_terminal(monkeypatch, terminal)
    from opsplan.commands import graph

    monkeypatch.setattr(graph, "SLOW_PICTURE_NODES", 1)
    assert run(["graph", str(ACME), "-o", str(tmp_path / "plan.svg")]) == 0
    assert terminal.getvalue().startswith("\ropsplan: drawing ") and " nodes ..." in terminal.getvalue()
    assert terminal.getvalue().endswith(" \r")
    monkeypatch.setattr(graph, "SLOW_PICTURE_NODES", 10_000)
    terminal.truncate(0)
    terminal.seek(0)
    assert run(["graph", str(ACME), "-o", str(tmp_path / "small.svg")]) == 0
    assert terminal.getvalue() == ""


def test_a_note_written_while_a_line_is_shown_starts_a_line_of_its_own(
        terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch) -> None:
    on_terminal(monkeypatch, terminal)
    with progress.step("drawing 250 nodes"):
        progress.before_note()
        sys.stderr.write("opsplan: drawn by dot\n")
    wipe = "\r" + " " * len("opsplan: drawing 250 nodes ...") + "\r"
    # Wiped once before the note, and not again after it: the note stays on screen.
    assert terminal.getvalue() == "\ropsplan: drawing 250 nodes ..." + wipe + "opsplan: drawn by dot\n"


def test_a_report_written_to_a_file_tells_how_much_is_written_and_wipes_the_line(
        terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    on_terminal(monkeypatch, terminal)
    assert run(["report", str(ACME), "--as-of", "2027-03-31", "-o", str(tmp_path / "report.json")]) == 0
    drawn = terminal.getvalue()
    assert "\ropsplan: writing " in drawn and " MB" in drawn
    assert drawn.endswith(" \r") and "\n" not in drawn
    assert (tmp_path / "report.json").read_text(encoding="utf-8").endswith("}\n")


def test_a_report_printed_on_a_terminal_is_its_own_progress(
        terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    on_terminal(monkeypatch, terminal)
    assert run(["report", str(ACME), "--as-of", "2027-03-31", "--format", "json"]) == 0
    assert "writing" not in terminal.getvalue()
    assert capsys.readouterr().out.endswith("}\n")


def test_a_workbook_on_a_terminal_counts_the_rows_written_and_wipes_the_line(
        terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    on_terminal(monkeypatch, terminal)
    from opsplan.export.render import xlsx

    monkeypatch.setattr(xlsx, "ROWS_A_STEP", 2)  # the demo plan's tables are short
    assert run(["export", str(ACME), "-o", str(tmp_path / "plan.xlsx")]) == 0
    drawn = terminal.getvalue()
    assert "\ropsplan: writing the workbook [" in drawn and " rows" in drawn
    steps = [int(text.split("] ")[1].split("%")[0]) for text in drawn.split("\r") if "] " in text]
    assert steps == sorted(steps) and steps[-1] == 100
    assert drawn.endswith(" \r") and "\n" not in drawn
