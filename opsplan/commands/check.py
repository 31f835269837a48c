"""`opsplan check`: every finding of the whole plan, in the format the reader needs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from opsplan.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    actuals_option,
    emit,
    for_display,
    load,
    plan_path_argument,
    protect_inputs,
    read_files,
    shown_path,
    use_colour,
)

FORMATS = ["text", "json", "github", "sarif", "junit"]


@click.command(epilog="""\b
Examples:
  opsplan check                       # the plan around the current folder
  opsplan check plans/acme --strict   # warnings fail too
  opsplan check --format json | jq '.summary'
  opsplan check --format github       # annotations in GitHub Actions
  opsplan check --format sarif -o opsplan.sarif   # code scanning
  opsplan check --format junit -o opsplan-junit.xml
\b
Exit codes: 0 no errors, 1 errors (or warnings with --strict), 2 could not run.""")
@plan_path_argument
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("--strict", is_flag=True, help="Fail on warnings as well as errors.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the findings to FILE (atomically); the text summary still goes to the terminal.")
@actuals_option
def check(path: Path, output_format: str, strict: bool, output: Path | None,
          actuals_folder: Path | None) -> None:
    """Check the plan at PATH (default: the plan around the current folder).

    Parses every plan file strictly, validates its shape against the JSON Schemas and runs
    every semantic rule, then reads the CSV files of actuals/ (or --actuals DIR) when there are
    any; prints each finding as `path:line:col: CODE message`.
    """
    root, result = load(path, actuals=True, actuals_folder=actuals_folder)
    protect_inputs(output, read_files(root, result))
    diagnostics = for_display(result.diagnostics, root)
    files = len(result.files)
    if output_format == "json":
        from opsplan.check.render.json import render_diagnostics as render_json

        rendered = render_json(diagnostics, files)
    elif output_format == "github":
        from opsplan.check.render.github import render_diagnostics as render_github

        rendered = render_github(diagnostics, files)
    elif output_format == "sarif":
        from opsplan.check.render.sarif import render_diagnostics as render_sarif
        from opsplan.rules import registry

        rendered = render_sarif(diagnostics, list(registry().values()))
    elif output_format == "junit":
        from opsplan.check.render.junit import render_diagnostics as render_junit
        from opsplan.rules import registry

        rendered = render_junit(diagnostics, [shown_path(root, file) for file in result.files],
                                list(registry().values()), strict=strict)
    else:
        from opsplan.check.render.text import render_diagnostics as render_text

        rendered = render_text(diagnostics, files, colour=use_colour() and output is None)
    emit(rendered, output)
    if output is not None and str(output) != "-":
        from opsplan.check.render.text import summary_line

        click.echo(summary_line(result.errors, result.warnings, files), err=False)
    failed = result.errors > 0 or (strict and result.warnings > 0)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)
