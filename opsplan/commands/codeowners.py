"""`opsplan codeowners`: route each plan file's review to its departments' reviewers."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from opsplan.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    emit,
    fail,
    load,
    plan_path_argument,
    stop_on_plan_errors,
    write_output,
)


@click.command(epilog="""\b
Examples:
  opsplan codeowners plans/acme               # print the block
  opsplan codeowners plans/acme --write       # put it into the repository's CODEOWNERS
  opsplan codeowners plans/acme --check       # in CI: exit 1 when CODEOWNERS is out of date
\b
Exit codes: 0 done (with --check: up to date), 1 the plan has errors, or with --check the
CODEOWNERS block differs (the diff is printed), 2 could not run.""")
@plan_path_argument
@click.option("--write", "write", is_flag=True, help="Replace (or add) the block in the repository's CODEOWNERS.")
@click.option("--check", "check", is_flag=True, help="Exit 1 and print the diff when the CODEOWNERS block differs.")
@click.option("--file", "codeowners_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The CODEOWNERS file (default: the one GitHub or GitLab reads: .github/CODEOWNERS, "
                   "CODEOWNERS, docs/CODEOWNERS or .gitlab/CODEOWNERS, else a new CODEOWNERS).")
def codeowners(path: Path, write: bool, check: bool, codeowners_file: Path | None) -> None:
    """Write a CODEOWNERS block that sends each plan file of the plan at PATH to the reviewers
    of the departments its entities belong to.

    Departments list `reviewers:` (git host users or teams, e.g. @acme/warehouse-leads); a
    department without them is reviewed by its nearest parent's. Budget files and opsplan.yaml
    go to every department they fund and to `finance_reviewers:` of opsplan.yaml. Paths are
    relative to the top of the git repository (the current folder outside one), sorted.
    """
    from opsplan.review.codeowners import (
        CODEOWNERS_PLACES,
        NEW_CODEOWNERS,
        current_block,
        render_block,
        route,
        splice,
    )

    if write and check:
        fail("give --write or --check, not both")
    root, result = load(path)
    stop_on_plan_errors(result, root, "no CODEOWNERS block was written")
    top = _top(root)
    relative = root.resolve().relative_to(top).as_posix()
    relative = "" if relative == "." else relative
    routes = route(result.plan, relative, actuals_folder=(root / "actuals").is_dir())
    for unwritable in routes.unwritable:
        click.echo(f"opsplan: warning: {unwritable!r} cannot be written as a CODEOWNERS pattern "
                   "(it holds a character CODEOWNERS reads as a pattern); rename it to route its review", err=True)
    block = render_block(routes, relative)
    if not write and not check:
        emit(block, None)
        return
    target = codeowners_file
    if target is None:
        target = next((top / place for place in CODEOWNERS_PLACES if (top / place).is_file()), top / NEW_CODEOWNERS)
    try:
        text = target.read_text(encoding="utf-8") if target.is_file() else ""
    except (OSError, UnicodeDecodeError) as error:
        fail(f"cannot read {target}: {error}")
    if check:
        written = current_block(text, relative) or ""
        if written == block:
            sys.exit(EXIT_OK)
        shown = _shown(target)
        diff = difflib.unified_diff(written.splitlines(keepends=True), block.splitlines(keepends=True),
                                    fromfile=f"{shown} (as written)", tofile=f"{shown} (from the plan)")
        click.echo("".join(diff), nl=False)
        click.echo(f"opsplan: the CODEOWNERS block in {shown} is out of date; run "
                   f"`opsplan codeowners {path} --write` and commit it", err=True)
        sys.exit(EXIT_FINDINGS)
    updated = splice(text, block, relative)
    if updated != text:
        write_output(target, updated)
    click.echo(f"{_shown(target)}: {len(routes.reviewers)} plan files routed")


def _top(root: Path) -> Path:
    from opsplan.load.gitsource import GitError, repository_top

    try:
        return repository_top(root).resolve()
    except GitError:
        cwd = Path.cwd().resolve()
        try:
            root.resolve().relative_to(cwd)
        except ValueError:
            return root.resolve()
        return cwd


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
