"""What several commands share: finding the plan, showing paths, writing outputs."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from opsplan.diagnostics import Diagnostic
from opsplan.lifetime import keep_until_exit
from opsplan.output import Content, FormatMismatch, Formats, is_one_of, text_blocks, write_atomic
from opsplan.progress import Advance, progress

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2

plan_path_argument = click.argument(
    "path", required=False, default=".", type=click.Path(path_type=Path, exists=False))


def fail(message: str) -> NoReturn:
    """Stop with exit code 2: the command could not run (no plan, bad usage, unreadable input)."""
    click.echo(f"opsplan: error: {message}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


def known_revision(repo: Path, revision: str) -> str:
    """The commit ``revision`` names in ``repo``; exit 2 when it names none."""
    from opsplan.load.gitsource import resolve_revision

    commit = resolve_revision(repo, revision)
    if commit is None:
        fail(f"unknown revision `{revision}` in {repo}")
    return commit


actuals_option = click.option(
    "--actuals", "actuals_folder", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Read measured figures from the CSV (and Parquet) files in DIR instead of the plan's actuals/ folder.")


def load(path: Path, *, actuals: bool = False, actuals_folder: Path | None = None,
         as_of: date | None = None, cache: bool = False) -> tuple[Path, Any]:
    """Find the plan at or above ``path`` and run the checking pipeline on it; with ``actuals``,
    read and check its actuals too. The root comes back written the way ``path`` was (see
    :func:`as_given`), for showing paths."""
    from opsplan.check.pipeline import PlanNotFound, check_path, check_source, locate_root
    from opsplan.load.source import DirectorySource

    try:
        if actuals:
            with progress("reading actuals", "bytes") as advance:
                root, result = check_path(path, actuals_folder, as_of, cache=cache, progress=advance)
        else:
            root = locate_root(path)
            result = check_source(DirectorySource(root), as_of)
    except PlanNotFound as error:
        fail(str(error))
    keep_until_exit(result)
    return as_given(path, root), result


def as_given(given: Path, root: Path) -> Path:
    """The plan root (resolved) written the way the user wrote ``given``, a path at or below it:
    `../../x` stays `../../x`, `/srv/plan/ops` gives `/srv/plan`. The resolved root where the
    given path cannot be trimmed to it (it climbs through `..` or links)."""
    try:
        depth = len(given.resolve().relative_to(root).parts)
    except (OSError, ValueError):
        return root
    if depth == 0:
        candidate = given
    elif depth < len(given.parts) and ".." not in given.parts[-depth:]:
        candidate = Path(*given.parts[:-depth])
    else:
        return root
    try:
        return candidate if candidate.resolve() == root else root
    except OSError:
        return root


def shown_path(root: Path, file: str) -> str:
    """A plan file's path as people and CI problem matchers read it: joined to the root as the
    user wrote it when that is relative; for an absolute root, relative to the current folder
    when the plan holds the current folder or lies below it, else absolute (`../../x` from a
    folder elsewhere helps nobody)."""
    full = root / file
    if not root.is_absolute():
        return full.as_posix()
    try:
        relative = Path(os.path.relpath(full, Path.cwd()))
    except ValueError:  # another drive on Windows
        return full.as_posix()
    if relative.parts[:1] == ("..",) and not _holds(root, Path.cwd()):
        return full.as_posix()
    return relative.as_posix()


def _holds(folder: Path, inner: Path) -> bool:
    try:
        inner.resolve().relative_to(folder.resolve())
    except (OSError, ValueError):
        return False
    return True


def for_display(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic], root: Path) -> list[Diagnostic]:
    return [replace(d, location=replace(d.location, file=shown_path(root, d.location.file)))
            for d in diagnostics]


def choose_format(formats: Formats, named: str | None, output: Path | None, default: str) -> str:
    """The format to write (see :meth:`Formats.choose`); a contradiction is exit 2."""
    try:
        return formats.choose(named, output, default)
    except FormatMismatch as error:
        fail(str(error))


def stop_on_plan_errors(result: Any, root: Path, consequence: str,
                        findings: Iterable[Diagnostic] | None = None) -> None:
    """Commands that work from the plan's figures (compile, graph, report) stop with exit 1 when
    the plan has errors: its findings go to standard error, then ``consequence``, what was not
    done. ``findings`` narrows what is shown and judged (the report leaves actuals findings out)."""
    from opsplan.check.render import count_by_severity

    shown = list(result.diagnostics if findings is None else findings)
    errors, _ = count_by_severity(shown)
    if result.plan is not None and not errors:
        return
    from opsplan.check.render.text import render_diagnostics

    click.echo(render_diagnostics(for_display(shown, root), len(result.files), colour=use_colour()),
               err=True, nl=False)
    click.echo(f"opsplan: the plan has errors; {consequence}", err=True)
    sys.exit(EXIT_FINDINGS)


def protect_inputs(output: Path | None, inputs: Iterable[Path]) -> None:
    """Stop (exit 2) before any work when ``-o`` names a file the command reads: an output must
    never replace the plan (`-o plan/opsplan.yaml`) or its actuals."""
    if output is not None and str(output) != "-" and is_one_of(output, inputs):
        fail(f"{output} is a file this command reads; write the output elsewhere")


def read_files(root: Path, result: Any) -> list[Path]:
    """The files a check result read (plan files and actuals), as paths to compare ``-o`` with."""
    return [root / file for file in result.files]


def emit(content: Content, output: Path | None) -> None:
    """Print, or write the file atomically when ``-o`` names one (``-`` is standard output);
    text given in pieces is written a block at a time as the pieces are made."""
    if output is not None and str(output) != "-":
        if isinstance(content, (str, bytes)):
            write_output(output, content)
        else:
            with progress("writing", "bytes") as advance:
                write_output(output, _counted(content, advance))
        return
    try:
        if isinstance(content, (str, bytes)) or _is_terminal(sys.stdout):
            _print(content)  # on a terminal the text appearing is the progress
        else:
            with progress("writing", "bytes") as advance:
                _print(_counted(content, advance))
        sys.stdout.flush()
    except OSError as error:
        if error.errno == errno.EPIPE:
            raise  # the reader stopped reading (`| head`): click ends quietly, as for any output
        fail(f"cannot write to standard output: {error.strerror or error}")


def _counted(pieces: Iterable[str], advance: Advance) -> Iterator[str]:
    """The pieces, telling ``advance`` how much text has gone by (a report of a large plan takes
    seconds to make; its size is known only once it is made)."""
    written = 0
    for piece in pieces:
        written += len(piece)
        advance(written, 0)
        yield piece


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def _print(content: Content) -> None:
    if isinstance(content, bytes):  # binary formats are refused on standard output before this
        click.echo(content, nl=False)
    elif isinstance(content, str):
        click.echo(content, nl=not content.endswith("\n"))
    else:
        block = ""
        for block in text_blocks(content):
            click.echo(block, nl=False)
        if not block.endswith("\n"):
            click.echo("")


def write_output(output: Path, content: Content) -> None:
    """Write an output file atomically; a folder that cannot be written is exit 2, not a traceback."""
    try:
        write_atomic(output, content)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")


def use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def parse_as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """--as-of: a date written YYYY-MM-DD (click's DateTime would accept times, and give a datetime)."""
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"`{value}` is not a date: write it as YYYY-MM-DD, e.g. 2027-03-31") from None
