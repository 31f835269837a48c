"""`opsplan check --cache`: a re-check parses and validates only the files that changed, and
prints exactly what a check without the cache prints, whatever state the cache is in."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ACME, REPO

import opsplan
from opsplan.cli import cli
from opsplan.load import read
from opsplan.load.cache import CACHE_FOLDER, DocumentCache

Run = Callable[..., str]


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example plan with the broken fixture's plan files beside it: findings of
    every stage, from YAML and shape errors to rules and actuals."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "plan"
    shutil.copytree(ACME, root)
    shutil.copytree(REPO / "tests" / "fixtures" / "broken" / "ops", root / "broken")
    return root


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed from their text, run by run."""
    files: list[str] = []
    parse = read.parse_document

    def counting(file: str, text: str) -> object:
        files.append(file)
        return parse(file, text)

    monkeypatch.setattr(read, "parse_document", counting)
    return files


def run(plan: Path, *options: str) -> str:
    result = CliRunner().invoke(cli, ["check", "plan", *options])
    assert result.exit_code in (0, 1), result.output
    return result.output


def agrees(plan: Path) -> str:
    """The cached check's output, asserted to be the uncached one's."""
    cached = run(plan, "--cache")
    assert cached == run(plan)
    return cached


def test_a_warm_check_reads_only_the_edited_file_and_says_the_same(plan: Path, parsed: list[str]) -> None:
    cold = agrees(plan)
    assert (plan / CACHE_FOLDER).is_dir()
    parsed.clear()
    assert run(plan, "--cache") == cold
    assert parsed == []
    goals = plan / "goals.yaml"
    goals.write_text(goals.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    parsed.clear()
    edited = run(plan, "--cache")
    assert parsed == ["goals.yaml"]
    assert edited == run(plan) != cold and "titel" in edited


@pytest.mark.parametrize("change", ["rename", "delete", "move", "root", "bad-yaml"])
def test_every_change_to_the_files_gives_the_uncached_output(plan: Path, change: str) -> None:
    before = agrees(plan)
    if change == "rename":
        (plan / "broken" / "processes.yaml").rename(plan / "broken" / "flows.yaml")
    elif change == "delete":
        (plan / "programs.yaml").unlink()
    elif change == "move":
        (plan / "broken").rename(plan / "ops" / "broken")
    elif change == "root":
        root = plan / "opsplan.yaml"
        root.write_text(root.read_text(encoding="utf-8") + "rules:\n  OPS999: warning\n", encoding="utf-8")
    else:
        (plan / "goals.yaml").write_text("goals: [\n", encoding="utf-8")
    after = agrees(plan)
    assert after != before


def test_a_cache_of_another_version_is_not_used(plan: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    cold = agrees(plan)
    monkeypatch.setattr(opsplan, "__version__", "0.0.0-other")
    parsed.clear()
    assert run(plan, "--cache") == cold
    assert parsed  # every file read again


@pytest.mark.parametrize("damage", ["truncate", "empty", "garbage", "forged"])
def test_a_damaged_or_forged_cache_is_ignored(plan: Path, damage: str) -> None:
    cold = agrees(plan)
    entries = [path for path in (plan / CACHE_FOLDER).iterdir() if path.is_file()]
    assert entries
    for entry in entries:
        data = entry.read_bytes()
        if damage == "truncate":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "empty":
            entry.write_bytes(b"")
        elif damage == "garbage":
            entry.write_bytes(data[:32] + b"\x80\x05not a pickle")
        else:  # another's entry: a valid pickle without this user's signature
            entry.write_bytes(b"\0" * 32 + pickle.dumps(("not", "this")))
    assert run(plan, "--cache") == cold
    assert run(plan, "--cache") == cold  # and the entries written again are good


def test_a_forged_entry_is_never_unpickled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    cache = DocumentCache(tmp_path / "cache")
    digest = cache.digest("read", "x.yaml", b"x: 1")
    cache.put(digest, ("kept", 1))
    assert DocumentCache(tmp_path / "cache").get(digest) == ("kept", 1)
    unpickled: list[bool] = []
    monkeypatch.setattr(pickle, "loads", lambda data: unpickled.append(True))
    (tmp_path / "cache" / digest).write_bytes(b"\1" * 32 + pickle.dumps(("forged", 2)))
    assert DocumentCache(tmp_path / "cache").get(digest) is None
    assert unpickled == []


def test_a_cache_folder_that_cannot_be_written_is_left_alone(plan: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (plan / CACHE_FOLDER).write_text("a file where the folder would be", encoding="utf-8")
    cold = agrees(plan)
    assert (plan / CACHE_FOLDER).read_text(encoding="utf-8") == "a file where the folder would be"
    monkeypatch.setenv("XDG_CACHE_HOME", str(plan / "opsplan.yaml"))  # no place for the user's key
    (plan / CACHE_FOLDER).unlink()
    assert run(plan, "--cache") == cold
    assert not (plan / CACHE_FOLDER).exists()
