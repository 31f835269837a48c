"""The first-parent history of a plan folder, read from git's objects.

One `git log` lists every commit that touched the plan with the files it changed (against its
first parent) and their blob ids; one long-lived `git cat-file --batch` reads the blobs. Nothing
is read twice and no work tree is touched, so a walk costs the same per commit however long the
history is.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType

from opsplan.load.gitsource import GitError, run_git

# A blob id of all zeros in `git log --raw`: the file does not exist on that side.
_NO_BLOB = "0" * 40


@dataclass(frozen=True, slots=True)
class Commit:
    id: str
    author: str
    date: date  # the committer date: when the change landed on the line being walked
    subject: str


@dataclass(frozen=True, slots=True)
class FileChange:
    """A plan file a commit changed: its path relative to the plan root and its new blob
    (None when the commit deleted it)."""

    path: str
    blob: str | None


def plan_commits(repo: Path, root: str, head: str, since: str | None) -> Iterator[tuple[Commit, list[FileChange]]]:
    """Commits on the first-parent line up to ``head`` (after ``since``, when given), oldest first,
    that changed a file below ``root``, each with those files."""
    prefix = f"{root}/" if root else ""
    revisions = f"{since}..{head}" if since else head
    # \x01 starts a commit's header so that a header is told from a file entry by position only.
    args = ["log", "--first-parent", "--reverse", "--diff-merges=first-parent", "--raw", "--no-renames",
            "--no-abbrev", "-z", "--format=%x01%H%x00%an%x00%cI%x00%s", revisions, "--"]
    if root:
        args.append(prefix)
    tokens = run_git(repo, *args).split(b"\0")
    index = 0
    commit: Commit | None = None
    changes: list[FileChange] = []
    while index < len(tokens):
        token = tokens[index].lstrip(b"\n")
        if token.startswith(b"\x01") and index + 3 < len(tokens):
            if commit is not None:
                yield commit, changes
            commit = Commit(token[1:].decode("ascii"), _text(tokens[index + 1]),
                            date.fromisoformat(tokens[index + 2].decode("ascii")[:10]), _text(tokens[index + 3]))
            changes = []
            index += 4
        elif token.startswith(b":") and index + 1 < len(tokens):
            fields = token.split()
            path = tokens[index + 1].decode("utf-8", "surrogateescape")
            index += 2
            if len(fields) < 5 or not path.startswith(prefix):
                continue
            new_mode, new_blob = fields[1], fields[3].decode("ascii")
            # Regular files only: a link or a submodule holds no plan text of its own here.
            regular = new_mode in (b"100644", b"100755")
            changes.append(FileChange(path[len(prefix):], new_blob if regular and new_blob != _NO_BLOB else None))
        else:
            index += 1
    if commit is not None:
        yield commit, changes


def plan_files_at(repo: Path, root: str, commit: str) -> list[FileChange]:
    """Every file below ``root`` at ``commit``, as if one commit had added them all."""
    prefix = f"{root}/" if root else ""
    args = ["ls-tree", "-r", "-z", "--full-tree", commit]
    if root:
        args += ["--", prefix]
    files: list[FileChange] = []
    for entry in run_git(repo, *args).split(b"\0"):
        meta, _, raw_path = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) != 3 or fields[1] != b"blob" or fields[0] not in (b"100644", b"100755"):
            continue
        path = raw_path.decode("utf-8", "surrogateescape")
        if path.startswith(prefix):
            files.append(FileChange(path[len(prefix):], fields[2].decode("ascii")))
    return files


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


class BlobReader:
    """One `git cat-file --batch` process answering blob ids one at a time."""

    def __init__(self, repo: Path) -> None:
        try:
            self._process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=repo, stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except FileNotFoundError as error:
            raise GitError("git is not installed or not on the PATH") from error

    def read(self, blob: str) -> bytes:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(f"{blob}\n".encode("ascii"))
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise GitError(f"git cat-file gave an unexpected answer for {blob}")
        content = stdout.read(int(header[2]) + 1)  # the object is followed by a newline
        return content[:-1]

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._process.wait()

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
