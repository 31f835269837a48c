"""Outputs are written atomically, with the permissions a plain write would give."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import needs_drawing

from opsplan.output import write_atomic


def test_a_new_file_gets_the_mode_the_umask_allows(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_atomic(tmp_path / "report.html", "<p>ok</p>")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "report.html").stat().st_mode) == 0o644
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "<p>ok</p>"


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8") == "new"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old", encoding="utf-8")

    def broken_fsync(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["plan.json"]


def test_text_in_pieces_is_written_whole_across_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import opsplan.output

    monkeypatch.setattr(opsplan.output, "BLOCK", 4)  # many blocks, a piece split by none
    pieces = ["{\n", "  \"é\": ", "\"ü€\"", "\n}", "\n"]
    write_atomic(tmp_path / "report.json", iter(pieces))
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == "".join(pieces)
    assert list(opsplan.output.text_blocks(pieces)) == ["{\n  \"é\": ", "\"ü€\"", "\n}\n"]


def test_a_renderer_failing_half_way_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def pieces() -> Iterator[str]:
        yield "{"
        raise RuntimeError("the renderer failed")

    with pytest.raises(RuntimeError):
        write_atomic(target, pieces())
    assert target.read_text(encoding="utf-8") == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]


def test_a_report_in_pieces_on_standard_output_is_the_report_written_to_a_file(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from conftest import ACME

    from opsplan.cli import cli

    printed = CliRunner().invoke(cli, ["report", str(ACME), "--as-of", "2027-03-31", "--format", "json"])
    written = CliRunner().invoke(cli, ["report", str(ACME), "--as-of", "2027-03-31", "-o", str(tmp_path / "r.json")])
    assert printed.exit_code == written.exit_code == 0
    assert printed.stdout == (tmp_path / "r.json").read_text(encoding="utf-8")
    assert printed.stdout.endswith("}\n") and not printed.stdout.endswith("\n\n")


@pytest.mark.parametrize("command", [["check"], ["compile"], ["report", "--as-of", "2027-03-31"],
                                     ["graph", "--format", "dot"],
                                     pytest.param(["graph", "--format", "svg"], marks=needs_drawing)])
def test_an_output_that_cannot_be_written_is_a_clear_error(command: list[str], tmp_path: Path) -> None:
    from click.testing import CliRunner
    from conftest import ACME

    from opsplan.cli import cli

    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, [command[0], str(ACME), *command[1:], "-o", str(blocker / "out.txt")])
    assert result.exit_code == 2, result.output
    assert "opsplan: error: cannot write" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here to stand for a full disk")
@pytest.mark.parametrize("output_format", ["text", "json", "html"])
def test_standard_output_that_cannot_be_written_is_a_clear_error(output_format: str) -> None:
    import subprocess
    import sys

    from conftest import ACME

    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "opsplan", "report", str(ACME), "--as-of", "2027-03-31",
                               "--format", output_format], stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2
    assert done.stderr == "opsplan: error: cannot write to standard output: No space left on device\n"
