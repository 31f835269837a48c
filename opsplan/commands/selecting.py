"""`--select` and `--exclude`, as every command that chooses entities takes them."""

from __future__ import annotations

import sys
from collections.abc import Iterable

import click

from opsplan.commands.common import EXIT_FINDINGS, fail

SELECT_HELP = ("Which entities (docs/select.md): ID, +ID, ID+, kind:K, owner:DEPT, tag:T, status:S, "
               "funds:X, funded-by:B; spaces make a union, commas an intersection.")
select_option = click.option("--select", "expression", default=None, metavar="EXPR", help=SELECT_HELP)
exclude_option = click.option("--exclude", "exclusion", default=None, metavar="EXPR",
                              help="Leave out what this expression selects (same language as --select).")


def stop_on_selection(keys: Iterable[str], errors: Iterable[str], where: str) -> None:
    """A malformed expression, or one naming what the plan does not know, is exit 2 with each
    mistake's column; a valid one that selects nothing is exit 1, said plainly."""
    mistakes = list(errors)
    if mistakes:
        fail("\n".join(mistakes))
    if not any(True for _ in keys):
        click.echo(f"opsplan: the selection matches nothing in {where}", err=True)
        sys.exit(EXIT_FINDINGS)


def uses_status(*expressions: str | None) -> bool:
    """Whether a readable expression holds a `status:` atom, which needs the report built."""
    from opsplan.select import parse

    for expression in expressions:
        if expression is not None:
            selector, _ = parse(expression)
            if selector is not None and selector.uses_status:
                return True
    return False
