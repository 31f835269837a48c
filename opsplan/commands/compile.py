"""`opsplan compile`: the resolved plan as one JSON document, only from a plan without errors."""

from __future__ import annotations

from pathlib import Path

import click

from opsplan.commands.common import (
    emit,
    load,
    plan_path_argument,
    protect_inputs,
    read_files,
    stop_on_plan_errors,
)


@click.command(epilog="""\b
Examples:
  opsplan compile plans/acme -o plan.json
  opsplan compile | jq '.budgets[].total'
\b
The output is described by `opsplan schema compiled`. Exit codes: 0 compiled,
1 the plan has errors (nothing is written), 2 could not run.""")
@plan_path_argument
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of standard output.")
def compile_command(path: Path, output: Path | None) -> None:
    """Compile the plan at PATH into one JSON document: defaults applied, references resolved,
    KPI measures of goals filled in, money as exact decimal strings, every entity with its
    source file:line."""
    root, result = load(path)
    protect_inputs(output, read_files(root, result))
    stop_on_plan_errors(result, root, "nothing was compiled")
    from opsplan.check.render.compiled import render_compiled

    emit(render_compiled(result.plan), output)
