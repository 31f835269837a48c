"""Actuals: the measured figures of section 9, read from CSV files recognised by their header.

Every row is resolved against the plan (cost centres to departments, accounts to budget lines,
other currencies to the plan's through its fx rates) so that reports only ever see ids and
plan-currency Decimals. A bad row is a finding with its file and line; the rest of the file
is still used.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from opsplan.diagnostics import Diagnostic, Location
from opsplan.load.actuals_reader import RowReader
from opsplan.load.actuals_records import (
    ACTUALS_FOLDER,
    Actuals,
    ActualsKind,
    Completions,
    HeadcountCount,
    Hires,
    Progress,
    Reading,
    RowOrigin,
    Spend,
    Volume,
    recognise,
)
from opsplan.model import Plan
from opsplan.rules.codes import (
    UNREADABLE_PATH,
)

__all__ = ["ACTUALS_FOLDER", "Actuals", "ActualsKind", "Completions", "HeadcountCount", "Hires", "Progress", "Reading",
           "RowOrigin", "Spend", "Volume", "actuals_files", "load_actuals", "recognise"]


def actuals_files(folder: Path, boundary: Path, shown_as: str) -> tuple[list[Path], list[Diagnostic]]:
    """The CSV files of an actuals folder, recursively, in sorted path order, hidden ones skipped;
    and a finding for each link whose real path leaves ``boundary`` (the folder itself too) and
    each folder that cannot be read. ``shown_as`` is how findings name the folder."""
    from opsplan.load.source import is_inside, walk_files

    if os.path.islink(folder) and not is_inside(os.path.realpath(folder), boundary):
        return [], [UNREADABLE_PATH.finding(f"`{shown_as}` is a link to a place outside the plan; it is not read", Location(shown_as),
            hint="put the files themselves in the plan, or link to a place inside the plan's folder")]
    if not folder.is_dir():
        return [], []
    found, refused = walk_files(folder, boundary, lambda name: name.lower().endswith(".csv"), shown_as=shown_as)
    return [folder / name for name in found], refused


def load_actuals(folder: Path, plan: Plan, display: Path | None = None, *, boundary: Path | None = None,
                 fast: bool = True, progress: Callable[[int, int], None] | None = None,
                 ) -> tuple[Actuals, list[Diagnostic]]:
    """Read every CSV file under ``folder``; ``display`` is the folder the reported paths are
    relative to (the plan root for ``actuals/``); files whose real path leaves ``boundary``
    (default: ``display``) are reported, not read. ``fast=False`` reads every row the careful
    way, as a reference for the fast path. ``progress`` is told the bytes read so far and the
    bytes of all the files, now and then."""
    base = display if display is not None else folder
    reader = RowReader(plan, fast)
    files: list[str] = []
    bound = (boundary or base).resolve()
    paths, refused = actuals_files(folder, bound, Path(os.path.relpath(folder, base)).as_posix())
    from opsplan.load.source import is_inside

    total = _total_bytes(paths) if progress is not None else 0
    before = 0  # bytes of the files already read
    for path in paths:
        name = Path(os.path.relpath(path, base)).as_posix()
        if not is_inside(os.path.realpath(path), bound):  # became a link out since it was listed
            refused.append(UNREADABLE_PATH.finding(f"`{name}` is a link to a place outside the plan; it is not read",
                                           Location(name)))
            continue
        files.append(name)
        if progress is None:
            reader.read_file(name, path)
            continue
        reader.read_file(name, path, _within(progress, before, total))
        before = min(before + _size(path), total)
        progress(before, total)
    actuals = Actuals(tuple(reader.spend), tuple(reader.readings), tuple(reader.headcount),
                      tuple(reader.hires), tuple(reader.completions), tuple(files), tuple(reader.progress), tuple(reader.volumes))
    return actuals, [*refused, *reader.diagnostics]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reported when the file is read
        return 0


def _within(progress: Callable[[int, int], None], before: int, total: int) -> Callable[[int], None]:
    """Progress through one file, told as progress through them all."""
    return lambda done: progress(min(before + done, total), total)


def _total_bytes(paths: list[Path]) -> int:
    return sum(_size(path) for path in paths)
