"""`opsplan check`: every finding of the whole plan, in the format the reader needs."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from opsplan.check.render import DEFAULT_FORMAT, FORMATS, Findings
from opsplan.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    actuals_option,
    choose_format,
    emit,
    for_display,
    load,
    parse_as_of,
    plan_path_argument,
    protect_inputs,
    read_files,
    shown_path,
    use_colour,
)


@click.command(epilog="""\b
Examples:
  opsplan check                       # the plan around the current folder
  opsplan check plans/acme --strict   # warnings fail too
  opsplan check --format json | jq '.summary'
  opsplan check --format github       # annotations in GitHub Actions
  opsplan check --format sarif -o opsplan.sarif   # code scanning
  opsplan check --format junit -o opsplan-junit.xml
  opsplan check --as-of 2027-10-01 --show-waived   # which waivers will have expired
\b
Exit codes: 0 no errors, 1 errors (or warnings with --strict), 2 could not run.""")
@plan_path_argument
@click.option("--format", "named_format", type=click.Choice(list(FORMATS)), default=None,
              help="Output format. Default: the one the -o file's extension names (.txt text, .json json, "
                   ".sarif sarif, .xml junit), else text.")
@click.option("--strict", is_flag=True, help="Fail on warnings as well as errors.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the findings to FILE (atomically); the text summary still goes to the terminal.")
@click.option("--as-of", "as_of", metavar="DATE", default=None, callback=parse_as_of,
              help="Judge the plan's waivers on DATE (YYYY-MM-DD; default today): a waiver holds to the end of "
                   "its expiry date.")
@click.option("--show-waived", is_flag=True,
              help="List the findings the plan's waivers accept too (text); other formats always carry them, marked.")
@click.option("--cache", "use_cache", is_flag=True,
              help="Keep each plan file's parsed and validated result, and what the actuals' files gave, "
              "under .opsplan-cache/ at the plan root, so that a re-check parses again only the plan files "
              "that changed, and reads the actuals again only when their files, or the ids, cost centres and "
              "budget lines they are matched against, changed. The output is the same.")
@actuals_option
def check(path: Path, named_format: str | None, strict: bool, output: Path | None, as_of: date | None,
          show_waived: bool, actuals_folder: Path | None, use_cache: bool = False) -> None:
    """Check the plan at PATH (default: the plan around the current folder).

    Parses every plan file strictly, validates its shape against the JSON Schemas and runs
    every semantic rule, then reads the CSV and Parquet files of actuals/ (or --actuals DIR) when
    there are any; prints each finding as `path:line:col: CODE message`.
    """
    from opsplan.rules import registry

    output_format = choose_format(FORMATS, named_format, output, DEFAULT_FORMAT)
    root, result = load(path, actuals=True, actuals_folder=actuals_folder, as_of=as_of, cache=use_cache)
    protect_inputs(output, read_files(root, result))
    to_terminal = output is None
    findings = Findings.of(for_display(result.diagnostics, root), [shown_path(root, file) for file in result.files],
                           registry().values(), strict=strict, colour=to_terminal and use_colour(),
                           show_waived=show_waived, justifications=justifications(result.plan))
    emit(FORMATS[output_format].load()(findings), output)
    if output is not None and str(output) != "-":
        from opsplan.check.render.text import summary_line

        click.echo(summary_line(findings.errors, findings.warnings, len(findings.files)), err=False)
    sys.exit(EXIT_FINDINGS if findings.failed else EXIT_OK)


def justifications(plan: Any) -> dict[str, str]:
    """Why each of the plan's waivers accepts its findings, as SARIF and JUnit carry it."""
    if plan is None:
        return {}
    return {waiver.id: f"{waiver.reason} (waiver `{waiver.id}`, owner `{waiver.owner}`, until {waiver.expires})"
            for waiver in plan.waivers.values()}
