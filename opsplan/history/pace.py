"""Was a goal off-track on a date? Judged the way `opsplan report` judges it, on the plan as it
was then and the readings known up to that date."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path, PurePosixPath

from opsplan.history.walk import BlobReader, FileChange
from opsplan.load.actuals import Actuals
from opsplan.model import Plan


def read_actuals(repo: Path, root: str, head: str, plan: Plan, files: list[FileChange]) -> Actuals:
    """The actuals CSV files of ``head``, read from git's objects into a private folder (the
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


def goal_off_track(plan: Plan, actuals: Actuals, goal_id: str, when: date) -> bool:
    from opsplan.report.build import PaceStatus, build_report

    report = build_report(plan, actuals, when)
    return any(goal.id == goal_id and goal.status is PaceStatus.OFF_TRACK for goal in report.goals)
