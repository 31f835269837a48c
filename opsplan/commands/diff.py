"""`opsplan diff`: what a change does to the plan, between two git revisions (or a revision
and the working tree), read from git's objects without a checkout."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsplan.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    choose_format,
    emit,
    fail,
    for_display,
    known_revision,
    protect_inputs,
    read_files,
)
from opsplan.diff.render import DIFF_FORMATS

if TYPE_CHECKING:
    from opsplan.check.pipeline import CheckResult


@click.command(epilog="""\b
Examples:
  opsplan diff main                         # main against the working tree
  opsplan diff main HEAD plans/acme         # two commits, the plan in plans/acme
  opsplan diff origin/main --format markdown -o plan-diff.md   # a pull-request comment
  opsplan diff HEAD~1 --exit-code           # exit 1 if the last commit changed the plan
\b
Exit codes: 0 compared (whatever the diff; with --exit-code: no change), 1 the plan changed
(--exit-code only), 2 could not run (not a git repository, unknown revision, no plan).""")
@click.argument("arguments", nargs=-1, metavar="BASE [HEAD] [PATH]")
@click.option("--format", "output_format", type=click.Choice(list(DIFF_FORMATS)), default="text", show_default=True,
              help="Output format; markdown is made for a pull-request comment.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when the plan changed, like `git diff --exit-code`.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of standard output.")
def diff(arguments: tuple[str, ...], output_format: str, exit_code: bool, output: Path | None) -> None:
    """Compare the plan at revision BASE with revision HEAD (default: the working tree).

    PATH is the plan's folder or any path inside it (default: the plan around the current
    folder). Shows entities added, removed and changed field by field, budget totals,
    headcount, goals moved, dependencies and the critical path, and findings introduced
    and fixed.
    """
    from opsplan.check.pipeline import check_source
    from opsplan.diff.compare import diff_plans
    from opsplan.load.gitsource import (
        GitError,
        GitSource,
        find_plan_root,
        repository_top,
        resolve_revision,
    )
    from opsplan.load.source import DirectorySource, PlanSource

    written_format = choose_format(DIFF_FORMATS, output_format, output, "text")
    if not 1 <= len(arguments) <= 3:
        fail("give BASE, and optionally HEAD and PATH: `opsplan diff BASE [HEAD] [PATH]`")
    base, head, path = arguments[0], None, Path(".")
    try:
        if len(arguments) == 3:
            head, path = arguments[1], Path(arguments[2])
        elif len(arguments) == 2:
            # Like git: the second word is a revision if it names one, else a path.
            word = arguments[1]
            if resolve_revision(repository_top(Path(".")), word) is not None:
                head = word
            elif Path(word).exists():
                path = Path(word)
            else:
                fail(f"`{word}` is neither a revision nor a path")
        repo = repository_top(path)
        base_commit = known_revision(repo, base)
        head_commit = None if head is None else known_revision(repo, head)
        try:
            path.resolve().relative_to(repo.resolve())
        except ValueError:
            fail(f"{path} is not inside the git repository at {repo}")
        root = find_plan_root(repo, path, [head_commit, base_commit])
        if root is None:
            fail(f"no opsplan.yaml found in {path} or any folder above it, in the working tree, "
                 f"at `{base}`{f' or at `{head}`' if head else ''}")
        base_source = GitSource(repo, base_commit, root)
        head_source: PlanSource = (GitSource(repo, head_commit, root) if head_commit is not None
                                   else DirectorySource(repo / root))
        base_result = check_source(base_source)
        head_result = check_source(head_source)
    except GitError as error:
        fail(str(error))
    if head_commit is None:
        protect_inputs(output, read_files(repo / root, head_result))
    for label, result in ((base, base_result), (head or "working tree", head_result)):
        _stop_if_unreadable(label, result, repo / root)
    plan_diff = diff_plans(base_result, head_result, base_label=base, head_label=head or "working tree",
                           root=root)
    emit(DIFF_FORMATS[written_format].load()(plan_diff), output)
    sys.exit(EXIT_FINDINGS if exit_code and plan_diff.changed else EXIT_OK)


def _stop_if_unreadable(label: str, result: CheckResult, root: Path) -> None:
    """A revision whose plan could not be read is no plan to compare: "no changes" would be a
    silent wrong answer. Its errors go to standard error and the command stops (exit 2). A
    plan that does not exist at all at a revision (added or removed by the change) is compared
    as an empty one."""
    from opsplan.check.render.text import render_diagnostics
    from opsplan.diagnostics import Severity

    if result.plan is not None:
        return
    if not result.files and [diagnostic.code for diagnostic in result.diagnostics] == ["OPS006"]:
        return
    errors = [diagnostic for diagnostic in result.diagnostics if diagnostic.severity is Severity.ERROR]
    click.echo(render_diagnostics(for_display(errors, root), len(result.files)), err=True, nl=False)
    fail(f"cannot read the plan at `{label}`; fix the errors above to compare it")
