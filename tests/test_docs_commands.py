"""Every `opsplan` command the documentation shows is run, so the docs cannot drift from the product.

Where the commands come from:

- fenced ```sh blocks of README.md and docs/*.md: each line, or each `&&`-joined part of a
  line, that starts with `opsplan `;
- fenced ```text blocks that start with `$ opsplan ...`: the command, and the lines after it
  are the output it prints (standard output and error, as a terminal shows them). A line
  `...` stands for an abridged part: the lines around it must appear in that order, and the
  block must start (end) where the output does unless it starts (ends) with `...`;
- the scripts of the CI recipes (```yaml blocks): each line that runs `opsplan `, with the
  variables CI would set (CI_VARIABLES);
- the `Examples:` of `opsplan --help` and of every command's `--help`.

How each runs: through `bash -o pipefail` (so pipes and redirections work as written), with
`opsplan` being this interpreter's `python -m opsplan`, in a temporary copy of the repository's
`plans/acme` and `tests/fixtures` (and `services/ops-plan`, the monorepo recipe's plan), from
the copy's root when the command names one of those folders and from inside `plans/acme` when
it names no plan. `opsplan init` runs in an empty
folder; `opsplan diff` in a git repository of that copy whose previous commit has a smaller
warehouse (`HEAD~1`, also `origin/main`); the commands in DIFF_HISTORY in the history that
tests/test_diff_git.py builds (tags v1 to v4).

Exit codes: 0 unless the line carries a comment saying `exit N` (`... # exit 1 if ...`) or
EXIT_CODES names the command. Commands that cannot run here are listed in NOT_RUN with the
reason; none is skipped silently.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ACME, CAN_DRAW, REPO
from test_diff_git import repo as diff_history  # noqa: F401  (the fixture, under the name used here)

from opsplan.cli import COMMANDS, cli

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FIXTURES = REPO / "tests" / "fixtures"

# Commands shown with their output, where a comment would read as part of the output.
EXIT_CODES: dict[str, int] = {
    "opsplan check tests/fixtures/broken": 1,
}

# Commands shown on the example history of tests/test_diff_git.py (tags v1 to v4).
DIFF_HISTORY = {"opsplan diff v1 v2"}


def _exports(cwd: Path) -> None:
    # `--actuals exports/2027-03`: a month's export kept outside the plan's actuals/.
    shutil.copytree(ACME / "actuals", cwd / "exports" / "2027-03")


# Files a command expects that the documentation leaves to the reader.
PREPARE: dict[str, Callable[[Path], None]] = {
    "opsplan report --actuals exports/2027-03 --as-of 2027-03-31": _exports,
}

# Commands the documentation shows that this test cannot run, each with the reason.
NOT_RUN: dict[str, str] = {}

# What GitHub Actions and GitLab CI set for the recipes' scripts, on a pull request into main.
CI_VARIABLES = {"BASE_REF": "main", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
                "GITHUB_STEP_SUMMARY": "step-summary.md"}

COMMENT = re.compile(r"\s+#(?:\s|$)")
EXIT_MARK = re.compile(r"\bexit (\d+)\b")
ABRIDGED = "..."


@dataclass(frozen=True)
class Documented:
    where: str
    command: str
    exit_code: int
    output: tuple[str, ...] | None = None  # the lines a text block shows, for a `$ opsplan` block


def _command_and_comment(line: str) -> tuple[str, str]:
    match = COMMENT.search(line)
    if match is None:
        return line.strip(), ""
    return line[:match.start()].strip(), line[match.end():]


def _from_line(where: str, line: str) -> Iterator[Documented]:
    text, comment = _command_and_comment(line)
    for part in text.split(" && "):
        part = part.strip()
        if part.startswith("opsplan "):
            mark = EXIT_MARK.search(comment)
            yield Documented(where, part, int(mark.group(1)) if mark else EXIT_CODES.get(part, 0))


def fenced_blocks(path: Path) -> Iterator[tuple[str, int, list[str]]]:
    """(language, line of the opening fence, lines inside) of each fenced block at the margin."""
    language: str | None = None
    start = 0
    body: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if language is None and line.startswith("```"):
            language, start, body = line[3:].strip(), number, []
        elif language is not None and line.rstrip() == "```":
            yield language, start, body
            language = None
        elif language is not None:
            body.append(line)


def from_docs() -> Iterator[Documented]:
    for path in DOCS:
        name = path.relative_to(REPO).as_posix()
        for language, start, body in fenced_blocks(path):
            if language == "sh":
                for offset, line in enumerate(body, start=1):
                    yield from _from_line(f"{name}:{start + offset}", line)
            elif language == "yaml":
                # CI recipes: the opsplan lines of their scripts (`- run: opsplan ...`, `- opsplan ...`).
                for offset, line in enumerate(body, start=1):
                    script = re.sub(r"^\s*(?:- )?(?:run: )?", "", line).rstrip(";")
                    yield from _from_line(f"{name}:{start + offset}", script)
            elif language == "text" and body and body[0].startswith("$ opsplan "):
                command, _ = _command_and_comment(body[0][2:])
                yield Documented(f"{name}:{start + 1}", command, EXIT_CODES.get(command, 0), tuple(body[1:]))


def help_text(name: str | None) -> str:
    result = CliRunner().invoke(cli, [*([name] if name else []), "--help"], prog_name="opsplan")
    assert result.exit_code == 0, result.output
    return result.output


def from_help() -> Iterator[Documented]:
    for name in [None, *COMMANDS]:
        where = f"opsplan {name + ' ' if name else ''}--help"
        in_examples = False
        for line in help_text(name).splitlines():
            if line.strip() == "Examples:":
                in_examples = True
            elif in_examples and line.strip().startswith("opsplan "):
                yield from _from_line(where, line)
            elif in_examples and not line.strip():
                in_examples = False


def documented() -> list[Documented]:
    """Each command once (the same line in two places is run once, naming both)."""
    seen: dict[tuple[str, int, tuple[str, ...] | None], list[str]] = {}
    for item in [*from_docs(), *from_help()]:
        seen.setdefault((item.command, item.exit_code, item.output), []).append(item.where)
    return [Documented(", ".join(wheres), command, exit_code, output)
            for (command, exit_code, output), wheres in seen.items()]


DOCUMENTED = documented()


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


def acme_copy(root: Path, with_history: bool) -> Path:
    shutil.copytree(ACME, root / "plans" / "acme")
    shutil.copytree(FIXTURES, root / "tests" / "fixtures")
    shutil.copytree(ACME, root / "services" / "ops-plan")
    if with_history:
        departments = root / "plans" / "acme" / "org" / "departments.yaml"
        current = departments.read_text(encoding="utf-8")
        git(root, "init", "-q", "-b", "main")
        departments.write_text(current.replace("headcount: 185", "headcount: 170", 1), encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "the plan before")
        departments.write_text(current, encoding="utf-8")
        git(root, "commit", "-q", "-am", "the warehouse grows")
        git(root, "update-ref", "refs/remotes/origin/main", "HEAD~1")
    return root


@pytest.fixture
def shell_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment of a documented command: `opsplan` is this interpreter's opsplan."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "opsplan"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m opsplan "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    for name, value in {"GIT_AUTHOR_NAME": "Plan Owner", "GIT_AUTHOR_EMAIL": "owner@example.com",
                        "GIT_COMMITTER_NAME": "Plan Owner", "GIT_COMMITTER_EMAIL": "owner@example.com",
                        "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path), "NO_COLOR": "1",
                        "PYTHONUNBUFFERED": "1", **CI_VARIABLES}.items():
        monkeypatch.setenv(name, value)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}


def place(item: Documented, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """The folder the command runs in."""
    if item.command in DIFF_HISTORY:
        history: Path = request.getfixturevalue("diff_history")
        return history / "plan"
    if item.command.startswith("opsplan init"):
        empty = tmp_path / "new"
        empty.mkdir()
        return empty
    root = acme_copy(tmp_path / "repo", with_history=item.command.startswith(("opsplan diff", "opsplan history")))
    names_a_folder = re.search(r"(^|\s)(plans|tests|services)/", item.command)
    return root if names_a_folder else root / "plans" / "acme"


def abridged_mismatch(expected: list[str], actual: list[str]) -> str | None:
    """None when `actual` shows what `expected` does, `...` lines standing for any lines."""
    chunks: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == ABRIDGED:
            chunks.append([])
        else:
            chunks[-1].append(line.rstrip())
    position = 0
    for index, chunk in enumerate(chunks):
        if not chunk:
            continue
        last = index == len(chunks) - 1
        if index == 0:
            whole = actual if last else actual[:len(chunk)]
            found = 0 if whole == chunk else None
        elif last:
            start = len(actual) - len(chunk)
            found = start if start >= position and actual[start:] == chunk else None
        else:
            found = next((at for at in range(position, len(actual) - len(chunk) + 1)
                          if actual[at:at + len(chunk)] == chunk), None)
        if found is None:
            where = ("as the whole output" if index == 0 and last else "at the start" if index == 0
                     else "at the end" if last else "in this order")
            return f"these lines are not in the output {where}:\n  " + "\n  ".join(chunk)
        position = found + len(chunk)
    return None


def written_files(command: str) -> list[str]:
    return re.findall(r"(?:-o|--output|(?<!>)>(?!>))\s+([^\s\"'$]+)", command)


@pytest.mark.parametrize("item", DOCUMENTED, ids=lambda item: f"{item.where}: {item.command}")
def test_documented_command(item: Documented, tmp_path: Path, shell_env: dict[str, str],
                            request: pytest.FixtureRequest) -> None:
    if item.command in NOT_RUN:
        pytest.skip(f"{item.where}: `{item.command}` cannot run here: {NOT_RUN[item.command]}")
    if re.search(r"\|\s*jq\b", item.command) and shutil.which("jq") is None:
        pytest.skip(f"{item.where}: `{item.command}` pipes into jq, which is not installed")
    if re.search(r"--format (svg|png|pdf)\b|\.(svg|png|pdf)\b", item.command) and not CAN_DRAW:
        pytest.skip(f"{item.where}: `{item.command}` draws a picture, and nothing can draw here")
    cwd = place(item, tmp_path, request)
    if item.command in PREPARE:
        PREPARE[item.command](cwd)
    result = subprocess.run(["bash", "-o", "pipefail", "-c", item.command], cwd=cwd, env=shell_env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120,
                            check=False)
    shown = f"{item.where}: `{item.command}` printed:\n{result.stdout}"
    assert result.returncode == item.exit_code, f"exit {result.returncode}, documented {item.exit_code}; {shown}"
    if item.exit_code == 0:
        for name in written_files(item.command):
            assert (cwd / name).is_file() and (cwd / name).stat().st_size > 0, f"no {name} written; {shown}"
    if item.output is not None:
        actual = [line.rstrip() for line in result.stdout.splitlines()]
        mismatch = abridged_mismatch(list(item.output), actual)
        diff = "\n".join(difflib.unified_diff(list(item.output), actual, "documented", "printed", lineterm=""))
        assert mismatch is None, f"{item.where}: the output of `{item.command}` drifted: {mismatch}\n{diff}"


def test_documentation_commands_are_found() -> None:
    commands = {item.command for item in DOCUMENTED}
    print(f"{len(DOCUMENTED)} documented opsplan commands, each run by test_documented_command")
    # Every command of the CLI is shown somewhere, each help has runnable examples.
    assert {command.split()[1] for command in commands} == set(COMMANDS)
    assert sum(item.output is not None for item in DOCUMENTED) >= 3, "README's output blocks"
    # A table entry that names no documented command is stale: the docs changed under it.
    for table in (EXIT_CODES, DIFF_HISTORY, PREPARE, NOT_RUN):
        assert set(table) <= commands, f"not documented any more: {set(table) - commands}"


@pytest.mark.parametrize(("expected", "actual", "matches"), [
    (["a", "b"], ["a", "b"], True),
    (["a", "b"], ["a", "b", "c"], False),         # the end is shown: nothing may follow
    (["a", "..."], ["a", "b", "c"], True),
    (["...", "c"], ["a", "b", "c"], True),
    (["a", "...", "c"], ["a", "b", "b", "c"], True),
    (["a", "...", "c", "...", "b"], ["a", "b", "c"], False),   # order counts
    (["b", "..."], ["a", "b"], False),            # the start is shown: nothing may come before
    (["a", "...", "x", "..."], ["a", "b"], False),
])
def test_abridged_output_matching(expected: list[str], actual: list[str], matches: bool) -> None:
    assert (abridged_mismatch(expected, actual) is None) is matches


def test_schema_help_first_line_names_a_file_the_language_server_loads(shell_env: dict[str, str]) -> None:
    lines = [line for line in help_text("schema").splitlines() if "$schema=" in line]
    assert lines, "`opsplan schema --help` shows the yaml-language-server line"
    for line in lines:
        value = line.split("$schema=", 1)[1].strip()
        placeholder = re.search(r"<[^>]*`(opsplan [^`]+)`[^>]*>", value)
        assert placeholder, f"the line names no command that prints the path: {line}"
        printed = subprocess.run(["bash", "-c", placeholder.group(1)], env=shell_env, capture_output=True,
                                 text=True, check=True).stdout.strip()
        path = Path(value.replace(placeholder.group(0), printed))
        assert path.is_file(), f"`opsplan schema --help` suggests $schema={path}, which is no file"
