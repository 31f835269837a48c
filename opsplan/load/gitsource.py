"""Plan files at a git revision, read straight from git's objects: no checkout, no clone.

One `git ls-tree` lists the revision's files with their sizes and one `git cat-file --batch`
process reads every blob, so a plan of thousands of files costs two processes, not thousands.
"""

from __future__ import annotations

import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from opsplan.diagnostics import Diagnostic, Location
from opsplan.load.source import MAX_FILE_BYTES, PLAN_FILE_SUFFIXES, ROOT_FILE
from opsplan.rules.codes import UNREADABLE_PATH


class GitError(Exception):
    """git could not answer: not a repository, an unknown revision, git missing (exit 2)."""


def run_git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """What `git ARGS` prints in ``repo``; a GitError with git's last line of complaint otherwise."""
    try:
        completed = subprocess.run(["git", *args], cwd=repo, input=stdin, capture_output=True, check=False)
    except FileNotFoundError as error:
        raise GitError("git is not installed or not on the PATH") from error
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"`git {' '.join(args)}` failed")
    return completed.stdout


def repository_top(start: Path) -> Path:
    """The top folder of the git work tree holding ``start`` (which may not exist any more)."""
    folder = start.resolve()
    while not folder.exists():
        folder = folder.parent
    if folder.is_file():
        folder = folder.parent
    try:
        top = run_git(folder, "rev-parse", "--show-toplevel").decode("utf-8").strip()
    except GitError as error:
        raise GitError(f"{folder} is not inside a git repository") from error
    return Path(top)


def resolve_revision(repo: Path, revision: str) -> str | None:
    """The commit id a revision names (branch, tag, `HEAD~2`, a hash), or None if it names none."""
    if not revision or revision.startswith("-"):
        return None
    try:
        commit = run_git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except GitError:
        return None
    return commit.decode("ascii").strip() or None


def has_file(repo: Path, commit: str, path: str) -> bool:
    listed = run_git(repo, "ls-tree", "--full-tree", "--name-only", "-z", commit, "--", path)
    return path.encode("utf-8") in listed.split(b"\0")


@dataclass(frozen=True, slots=True)
class _Blob:
    object_id: str
    size: int


class GitSource:
    """The plan files below folder ``root`` (POSIX, relative to the repository top; "" for the
    top itself) at ``commit``; a :class:`opsplan.load.source.PlanSource`."""

    def __init__(self, repo: Path, commit: str, root: str) -> None:
        self.repo = repo
        self.commit = commit
        self.root = root.strip("/")
        self._refused: list[Diagnostic] = []
        self._blobs = self._list()
        self._contents: dict[str, bytes] | None = None

    def _list(self) -> dict[str, _Blob]:
        prefix = f"{self.root}/" if self.root else ""
        args = ["ls-tree", "-r", "-l", "-z", "--full-tree", self.commit]
        if self.root:
            args += ["--", prefix]
        blobs: dict[str, _Blob] = {}
        links: dict[str, str] = {}  # plan-relative path of a link -> its blob (the target path)
        for entry in run_git(self.repo, *args).split(b"\0"):
            if not entry:
                continue
            meta, _, raw_path = entry.partition(b"\t")
            mode, kind, object_id, size = meta.split()
            # Only regular files and links: submodules hold no plan text.
            if kind != b"blob" or mode not in (b"100644", b"100755", b"120000"):
                continue
            path = raw_path.decode("utf-8", "surrogateescape")
            if not path.startswith(prefix):
                continue
            relative = PurePosixPath(path[len(prefix):])
            if any(part.startswith(".") for part in relative.parts):
                continue  # hidden files and folders are skipped, as on disk
            if mode == b"120000":
                links[relative.as_posix()] = object_id.decode("ascii")
            elif not relative.name.endswith(PLAN_FILE_SUFFIXES):
                continue
            else:
                blobs[relative.as_posix()] = _Blob(object_id.decode("ascii"), int(size))
        if links:
            blobs.update(self._follow(links, blobs))
        # A folder with its own opsplan.yaml is a plan of its own, as on disk.
        nested = [file[:-len(ROOT_FILE)] for file in blobs if file.endswith(f"/{ROOT_FILE}")]
        return {file: blob for file, blob in blobs.items() if not any(file.startswith(folder) for folder in nested)}

    def _follow(self, links: dict[str, str], blobs: dict[str, _Blob]) -> dict[str, _Blob]:
        """Links committed in git, like links on disk: one to a plan file inside the plan reads
        that file; one that leaves the plan is a finding at the link, never read."""
        request = "".join(f"{object_id}\n" for object_id in links.values()).encode("ascii")
        targets = _read_batch(self.repo, request, list(links))
        prefix = f"{self.root}/" if self.root else ""
        inside: dict[str, str] = {}  # link -> its target, relative to the plan root
        leaving: dict[str, str] = {}  # link named like no plan file -> its target, relative to the repository
        for link in sorted(links):
            written = targets[link].decode("utf-8", "surrogateescape")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(link), written))
            outside = written.startswith("/") or target == ".." or target.startswith("../")
            if not link.endswith(PLAN_FILE_SUFFIXES):
                # Only a folder would be read through such a link; one inside the plan is not
                # walked (as on disk), one out of the repository holds nothing at this revision.
                in_repository = posixpath.normpath(prefix + target)
                # (A line break in a target would break git's one-path-a-line answer: no folder has one.)
                if outside and not written.startswith("/") and not in_repository.startswith("..") \
                        and "\n" not in in_repository:
                    leaving[link] = in_repository
            elif outside:
                self._refused.append(_link_out(link))
            else:
                inside[link] = target
        if leaving:
            # One `cat-file --batch-check` says which targets are folders (`<id> tree <size>`).
            lookups = "".join(f"{self.commit}:{target}\n" for target in leaving.values())
            answers = run_git(self.repo, "cat-file", "--batch-check",
                           stdin=lookups.encode("utf-8", "surrogateescape")).splitlines()
            self._refused += [_link_out(link) for link, answer in zip(leaving, answers, strict=True)
                              if answer.split()[1:2] == [b"tree"]]
        # Targets need not be named *.yaml (`opsplan.yaml -> config/root.txt`): ask git for them.
        unlisted = sorted({target for target in inside.values() if target not in blobs})
        found = dict(blobs)
        if unlisted:
            listed = run_git(self.repo, "--literal-pathspecs", "ls-tree", "-l", "-z", "--full-tree", self.commit, "--",
                          *(prefix + target for target in unlisted))
            for entry in listed.split(b"\0"):
                meta, _, raw_path = entry.partition(b"\t")
                fields = meta.split()
                if len(fields) == 4 and fields[1] == b"blob" and fields[0] in (b"100644", b"100755"):
                    path = raw_path.decode("utf-8", "surrogateescape")[len(prefix):]
                    found[path] = _Blob(fields[2].decode("ascii"), int(fields[3]))
        return {link: found[target] for link, target in inside.items() if target in found}

    def refusals(self) -> list[Diagnostic]:
        return list(self._refused)

    def candidate_files(self) -> list[str]:
        return sorted(self._blobs)

    def size(self, path: str) -> int:
        return self._blobs[path].size

    def read_bytes(self, path: str) -> bytes:
        if self._contents is None:
            self._contents = self._read_all()
        return self._contents.get(path, b"")

    def _read_all(self) -> dict[str, bytes]:
        """Every blob in one `git cat-file --batch` run (oversized ones are never read:
        the pipeline reports them from their size)."""
        wanted = [(path, blob) for path, blob in sorted(self._blobs.items()) if blob.size <= MAX_FILE_BYTES]
        request = "".join(f"{blob.object_id}\n" for _, blob in wanted).encode("ascii")
        return _read_batch(self.repo, request, [path for path, _ in wanted])


def _link_out(link: str) -> Diagnostic:
    return UNREADABLE_PATH.finding(f"`{link}` is a link to a place outside the plan; it is not read",
                           Location(link),
                           hint="put the file itself in the plan, or link to a place inside the plan's folder")


def _read_batch(repo: Path, request: bytes, paths: list[str]) -> dict[str, bytes]:
    """The blobs a `git cat-file --batch` request names (one object id a line), by ``paths``."""
    output = run_git(repo, "cat-file", "--batch", stdin=request)
    contents: dict[str, bytes] = {}
    position = 0
    for path in paths:
        header_end = output.index(b"\n", position)
        header = output[position:header_end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise GitError(f"git cat-file gave an unexpected answer for {path}")
        size = int(header[2])
        start = header_end + 1
        contents[path] = output[start:start + size]
        position = start + size + 1  # the object is followed by a newline
    return contents


def find_plan_root(repo: Path, start: Path, commits: list[str | None]) -> str | None:
    """The plan root (repository-relative) around ``start``: the nearest folder at or above it
    holding opsplan.yaml, looked for in the working tree (None in ``commits``) or each commit."""
    relative = start.resolve().relative_to(repo.resolve()) if start.resolve() != repo.resolve() else Path()
    folders = [PurePosixPath(relative.as_posix()), *PurePosixPath(relative.as_posix()).parents]
    for folder in folders:
        text = "" if str(folder) == "." else folder.as_posix()
        for commit in commits:
            if commit is None:
                if (repo / text / ROOT_FILE).is_file():
                    return text
            elif has_file(repo, commit, f"{text}/{ROOT_FILE}" if text else ROOT_FILE):
                return text
    return None
