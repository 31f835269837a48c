"""Where plan files come from: a folder on disk (or, in gitsource, a git revision), listed without
following links out of the plan, read within the safety limits. Parsing is strict_yaml's job."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from opsplan.diagnostics import Diagnostic, Location
from opsplan.marks import MarkedMap, locate
from opsplan.rules.codes import UNREADABLE_PATH

ROOT_FILE = "opsplan.yaml"
PLAN_FILE_SUFFIXES = (".yaml", ".yml")

# A safety limit: a plan file is written by people; a larger one is a mistake or an attack.
MAX_FILE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Document:
    """One parsed plan file: its path relative to the plan root and its top-level mapping."""

    file: str
    root: MarkedMap | None  # None: the file declares nothing (empty, or comments only)

    def locate(self, path: tuple[str | int, ...], *, key: bool = False) -> Location:
        return locate(self.file, self.root, path, key=key)


class PlanSource(Protocol):
    """A tree of plan files: a folder on disk, or a git revision."""

    def candidate_files(self) -> list[str]:
        """Every *.yaml / *.yml below the root, as sorted POSIX paths relative to it,
        hidden folders and folders of nested plans skipped."""
        ...

    def refusals(self) -> list[Diagnostic]:
        """Findings about what was not read while listing (links out of the plan, folders that
        cannot be listed); valid after :meth:`candidate_files`."""
        ...

    def size(self, path: str) -> int: ...

    def read_bytes(self, path: str) -> bytes: ...


def is_plan_file_name(name: str) -> bool:
    return name.endswith(PLAN_FILE_SUFFIXES)


def is_inside(real_path: str, boundary: Path) -> bool:
    """Whether a resolved path is ``boundary`` or lies below it (``boundary`` resolved too)."""
    top = str(boundary)
    return real_path == top or real_path.startswith(top.rstrip(os.sep) + os.sep)


def _shown(folder: str, relative: str) -> str:
    return "/".join(part for part in (folder, relative) if part) or "."


def walk_files(top: Path, boundary: Path, wanted: Callable[[str], bool], *, shown_as: str = "",
               skip_nested_plans: bool = False) -> tuple[list[str], list[Diagnostic]]:
    """The files below ``top`` whose names ``wanted`` accepts, as sorted POSIX paths relative to
    it (hidden files and folders skipped), and an OPS008 finding for each link whose real path
    leaves ``boundary`` (resolved) and each folder that cannot be listed.

    A link out of the plan is reported at the link and never opened: its target may be a
    credential file, and what opsplan prints is posted back by CI. A link to a folder inside the
    plan is not walked: its files are read where they really are. ``shown_as`` is how findings
    name ``top`` (the plan root is "")."""
    found: list[str] = []
    refused: list[Diagnostic] = []
    pending: list[tuple[str, str]] = [("", str(top))]
    while pending:
        relative, folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            shown = _shown(shown_as, relative)
            refused.append(UNREADABLE_PATH.finding(f"cannot read the folder `{shown}` ({error.strerror or error}); nothing in it is checked",
                Location(shown), hint="let the user running opsplan read the folder, or move it out of the plan"))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            path = f"{relative}/{name}" if relative else name
            try:
                if entry.is_symlink():
                    real = os.path.realpath(entry.path)
                    if not is_inside(real, boundary):
                        if wanted(name) or os.path.isdir(real):
                            shown = _shown(shown_as, path)
                            refused.append(UNREADABLE_PATH.finding(f"`{shown}` is a link to a place outside the plan; it is not read",
                                Location(shown),
                                hint="put the file itself in the plan, or link to a place inside the plan's folder"))
                        continue
                    if os.path.isdir(real):
                        continue
                elif entry.is_dir(follow_symlinks=False):
                    # A folder with its own opsplan.yaml is a plan of its own, checked on its own.
                    if not (skip_nested_plans and os.path.isfile(os.path.join(entry.path, ROOT_FILE))):
                        pending.append((path, entry.path))
                    continue
                # A FIFO or device with a wanted name would hang or flood the reader: only regular files.
                if wanted(name) and stat.S_ISREG(entry.stat().st_mode):
                    found.append(path)
            except OSError:
                continue
    return sorted(found), refused


class DirectorySource:
    """Plan files in a folder on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._boundary = root.resolve()
        self._refused: list[Diagnostic] = []

    def candidate_files(self) -> list[str]:
        found, self._refused = walk_files(self.root, self._boundary, is_plan_file_name, skip_nested_plans=True)
        return found

    def refusals(self) -> list[Diagnostic]:
        return list(self._refused)

    def _path(self, path: str) -> Path:
        full = self.root / path
        # Listed files were checked, but a link can be swapped between listing and reading.
        if not is_inside(os.path.realpath(full), self._boundary):
            raise OSError(errno.EACCES, "it became a link to a place outside the plan")
        return full

    def size(self, path: str) -> int:
        return self._path(path).stat().st_size

    def read_bytes(self, path: str) -> bytes:
        with open(self._path(path), "rb") as stream:
            # read(n) sets n bytes aside before it reads: ask for what the file holds, and one
            # byte more to see whether it grew since; only then read on, up to the limit.
            held = min(os.fstat(stream.fileno()).st_size, MAX_FILE_BYTES) + 1
            raw = stream.read(held)
            if len(raw) == held:
                raw += stream.read(MAX_FILE_BYTES + 1 - held)
            return raw


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds opsplan.yaml, like git finds .git."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / ROOT_FILE).is_file():
            return folder
    return None
