"""`opsplan history`: how goals, budgets and KPI targets moved over the plan's git history."""

from __future__ import annotations

from pathlib import Path

import click

from opsplan.commands.common import choose_format, emit, fail, known_revision, plan_path_argument
from opsplan.history.render import FORMATS


@click.command(epilog="""\b
Examples:
  opsplan history plans/acme                          # every change, oldest first
  opsplan history --since HEAD~1 --goal cut-cost-per-order
  opsplan history --format markdown -o history.md
\b
Exit codes: 0 listed (whatever changed), 2 could not run (not a git repository, unknown
revision, no plan).""")
@plan_path_argument
@click.option("--since", metavar="REV", default=None,
              help="Only commits after REV (a branch, tag or commit), e.g. the last review.")
@click.option("--goal", "goal", metavar="ID", default=None, help="Only the changes of this goal.")
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default=None,
              help="Output format (default text, or what the -o file's extension says).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of standard output.")
def history(path: Path, since: str | None, goal: str | None, output_format: str | None,
            output: Path | None) -> None:
    """List every change of a goal's target, due date or baseline, a budget's total or a
    department's cap, and a KPI's target, commit by commit along the first-parent history of
    the plan at PATH (default: the plan around the current folder).

    A goal change is flagged `eased` when its target moved toward its baseline or its due
    date moved later, and `eased-while-off-track` when, by the actuals of the latest commit,
    the goal was off-track on that commit's date. Only git's objects are read.
    """
    from opsplan.history.build import build_history
    from opsplan.load.gitsource import GitError, find_plan_root, repository_top, resolve_revision
    from opsplan.progress import progress

    chosen = choose_format(FORMATS, output_format, output, "text")
    try:
        if not path.exists():
            fail(f"{path}: no such file or folder")
        repo = repository_top(path)
        head = resolve_revision(repo, "HEAD")
        if head is None:
            fail(f"the repository at {repo} has no commits yet")
        since_commit = None if since is None else known_revision(repo, since)
        root = find_plan_root(repo, path, [head])
        if root is None:
            fail(f"no opsplan.yaml found in {path} or any folder above it at HEAD")
        with progress("walking history", "commits") as advance:
            found = build_history(repo, root, head, since_commit, goal=goal, progress=advance)
    except GitError as error:
        fail(str(error))
    emit(FORMATS[chosen].load()(found), output)
