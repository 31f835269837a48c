"""Was a goal off-track on a date? Judged the way `opsplan report` judges it (the path from its
baseline through its milestones to its target, the latest reading up to that date), on the goal
as it was then and the readings of the last commit walked."""

from __future__ import annotations

import bisect
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from opsplan.history.changes import Key, Subject
from opsplan.history.walk import BlobReader, FileChange
from opsplan.model import Better

if TYPE_CHECKING:
    from opsplan.load.actuals import Actuals
    from opsplan.model import Plan

HORIZON_START: Key = (Subject.PLAN, "", "horizon_start")


@dataclass(frozen=True, slots=True)
class GoalBefore:
    """A goal's figures as a commit's parent had them."""

    id: str
    measure: str  # PROCESS.KPI, or the goal's id for a metric of its own (as readings name it)
    better: Better
    baseline: Decimal | None
    target: Decimal
    due: date
    milestones: tuple[tuple[date, Decimal], ...]
    current: Decimal | None  # `current:` in the plan, used when no reading is known
    horizon_start: date


class Readings:
    """KPI readings by measure in date order, to find the latest one on or before a date."""

    def __init__(self, actuals: Actuals) -> None:
        by_measure: dict[str, list[tuple[date, int, Decimal]]] = {}
        for order, reading in enumerate(actuals.readings):
            by_measure.setdefault(reading.measure, []).append((reading.date, order, reading.value))
        self._by_measure = {measure: sorted(rows) for measure, rows in by_measure.items()}

    def latest(self, measure: str, when: date) -> Decimal | None:
        rows = self._by_measure.get(measure, [])
        # On one date the row read last wins, as in the report.
        position = bisect.bisect_right(rows, (when, len(rows) + 1 << 62))
        return rows[position - 1][2] if position else None

    def off_track(self, goal: GoalBefore, when: date) -> bool:
        from opsplan.report.sections.goals import PathPoint, pace_status, path_value
        from opsplan.report.sections.shared import PaceStatus

        current = self.latest(goal.measure, when)
        if current is None:
            current = goal.current
        path: tuple[PathPoint, ...] = ()
        if goal.baseline is not None:
            path = (PathPoint(goal.horizon_start, goal.baseline, "start"),
                    *(PathPoint(day, value, "milestone") for day, value in goal.milestones),
                    PathPoint(goal.due, goal.target, "due"))
        status, _ = pace_status(goal.better, goal.baseline, goal.target, current, path_value(path, when))
        return status is PaceStatus.OFF_TRACK


def read_actuals(repo: Path, root: str, head: str, plan: Plan, files: list[FileChange]) -> Actuals:
    """The actuals files (CSV and Parquet) of ``head``, read from git's objects into a private folder (the
    work tree is never read): the loader reads files, and these are what the walk ended with."""
    from opsplan.load.actuals import load_actuals

    with tempfile.TemporaryDirectory(prefix="opsplan-history-") as folder, BlobReader(repo) as reader:
        top = Path(folder)
        for file in files:
            if file.blob is None:
                continue
            relative = PurePosixPath(file.path)
            if relative.is_absolute() or ".." in relative.parts:
                continue
            target = top / "actuals" / Path(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(reader.read(file.blob))
        actuals, _ = load_actuals(top / "actuals", plan, top)
    return actuals
