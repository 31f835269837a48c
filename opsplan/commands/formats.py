"""Which format a command writes: the one `--format` names, else the one the `-o` file's extension
says, else the command's default. A `--format` that contradicts the extension is refused: a file
called `graph.png` holding DOT text, or `report.html` holding plain text, is a silent mistake."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from opsplan.commands.common import fail


def chosen_format(named: str | None, output: Path | None, by_extension: Mapping[str, str], default: str) -> str:
    """The format to write; stops with exit 2 when ``named`` and the output's extension disagree.
    An extension the command does not know (``.out``, ``.log``) says nothing."""
    implied = implied_format(output, by_extension)
    if named is not None and implied is not None and named != implied:
        assert output is not None
        fail(f"-o {output} ends in {output.suffix}, which is written as {implied}, but --format {named} "
             f"was given: drop --format, or give the file an extension of {named}")
    return named or implied or default


def implied_format(output: Path | None, by_extension: Mapping[str, str]) -> str | None:
    """The format an output file's extension stands for (case-insensitive); None for standard
    output or an extension with no format."""
    if output is None or str(output) == "-":
        return None
    return by_extension.get(output.suffix.lower())
