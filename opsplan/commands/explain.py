"""`opsplan explain`: what a rule checks, why, and a bad and a good example."""

from __future__ import annotations

import click

from opsplan.commands.common import fail
from opsplan.diagnostics import did_you_mean
from opsplan.rules import registry


@click.command(epilog="""\b
Examples:
  opsplan explain OPS302
  opsplan explain --list""")
@click.argument("code", required=False)
@click.option("--list", "list_all", is_flag=True, help="List every rule code with its summary.")
def explain(code: str | None, list_all: bool) -> None:
    """Explain the rule CODE (e.g. OPS302)."""
    from opsplan.rules.docs import render_rule, render_rule_list

    rules = registry()
    if list_all or code is None:
        click.echo(render_rule_list(list(rules.values())), nl=False)
        return
    wanted = code.upper()
    if wanted not in rules:
        hint = did_you_mean(wanted, list(rules))
        fail(f"unknown rule code `{code}`" + (f"; {hint}" if hint else "; see `opsplan explain --list`"))
    click.echo(render_rule(rules[wanted]), nl=False)
