"""`opsplan report`: where the organisation stands against its plan on a date, with the gaps
and what to do about them."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsplan.commands.common import (
    actuals_option,
    choose_format,
    emit,
    fail,
    for_display,
    load,
    parse_as_of,
    plan_path_argument,
    protect_inputs,
    read_files,
    stop_on_plan_errors,
    use_colour,
)
from opsplan.commands.selecting import exclude_option, select_option
from opsplan.lifetime import keep_until_exit
from opsplan.report.render import FORMATS

if TYPE_CHECKING:
    from opsplan.model import Plan
    from opsplan.report.model import Report
    from opsplan.report.render.view import RenderOptions

HTML_RENDERER = "opsplan.report.render.html"


@click.command(epilog="""\b
Examples:
  opsplan report plans/acme --as-of 2027-03-31
  opsplan report -o report.md                          # Markdown, for a pull request or a wiki page
  opsplan report -o report.html                        # one self-contained HTML page
  opsplan report --format json | jq '.gaps[0]'
  opsplan report --actuals exports/2027-03 --as-of 2027-03-31
  opsplan report plans/acme --owner transport --as-of 2027-03-31   # what Transport owns and must act on
  opsplan report plans/acme --as-of 2027-03-31 -o report.xlsx      # the figures and gaps as a workbook
\b
Actuals are the CSV and Parquet files in the plan's actuals/ folder (or --actuals DIR); rows dated after
--as-of are ignored. The JSON output is described by `opsplan schema report`.
Exit codes: 0 report written (bad actuals rows are skipped and listed on standard error),
1 the plan has errors (nothing is written), 2 could not run (no plan, bad option).""")
@plan_path_argument
@click.option("--as-of", "as_of", metavar="DATE", default=None, callback=parse_as_of,
              help="The date the report speaks for (default: today).")
@actuals_option
@click.option("--format", "named_format", type=click.Choice(list(FORMATS)), default=None,
              help="Output format: a terminal dashboard, Markdown, a self-contained HTML page, or JSON. "
                   "Default: the one the -o file's extension names (.txt .md .html .json), else text.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of standard output.")
@click.option("--owner", "owner", default=None, metavar="DEPT",
              help="Narrow every section to what DEPT and its sub-departments own, fund or must act on.")
@select_option
@exclude_option
def report(path: Path, as_of: date | None, actuals_folder: Path | None, named_format: str | None,
           output: Path | None, owner: str | None, expression: str | None, exclusion: str | None) -> None:
    """Report the plan at PATH against its actuals: budget burn, KPIs, goal pace, headcount,
    programs, and a ranked list of gaps with recommendations."""
    output_format = choose_format(FORMATS, named_format, output, "text")
    if output_format == "html" and importlib.util.find_spec(HTML_RENDERER) is None:
        fail("html format is not available in this version of opsplan; use text, markdown or json")
    root, result = load(path, actuals=True, actuals_folder=actuals_folder)
    protect_inputs(output, read_files(root, result))
    plan_findings = [d for d in result.diagnostics if not d.code.startswith("OPS7")]
    actuals_findings = [d for d in result.diagnostics if d.code.startswith("OPS7") and d.waived is None]
    stop_on_plan_errors(result, root, "fix them before reporting on it", plan_findings)
    if actuals_findings:
        from opsplan.check.render.text import render_diagnostics

        click.echo(render_diagnostics(for_display(actuals_findings, root), len(result.actuals.files)),
                   err=True, nl=False)
        click.echo("opsplan: the rows above were skipped; the report uses every other row", err=True)

    from opsplan.report.build import build_report

    figures = build_report(result.plan, result.actuals, as_of or date.today())
    keep_until_exit(figures)
    if owner is not None or expression is not None or exclusion is not None:
        from opsplan.commands.report_scope import narrowed

        figures = narrowed(figures, result.plan, owner, expression, exclusion)
    if output_format == "xlsx":
        from opsplan.commands.export import write_tables
        from opsplan.export.tables import about_table, report_tables

        if output is None or str(output) == "-":
            fail("xlsx is binary: write it to a file with -o FILE.xlsx")
        write_tables([about_table(result.plan, figures.as_of), *report_tables(figures)], "xlsx", output,
                     figures.currency)
        return
    to_terminal = output is None or str(output) == "-"
    options = render_options(output_format, figures, result.plan, colour=to_terminal and use_colour())
    emit(FORMATS[output_format].load()(figures, options), output)


def render_options(output_format: str, figures: Report, plan: Plan, *, colour: bool) -> RenderOptions:
    """What the chosen format needs beside the figures: the HTML page its names and goals view
    (drawn here, before rendering), the terminal its colours."""
    from opsplan.report.render.view import RenderOptions, html_options

    if output_format == "html":
        return html_options(figures, plan)
    return RenderOptions(colour=colour)


def render_html(figures: Report, plan: Plan) -> str:
    """The HTML page of a report on ``plan``, as `opsplan report --format html` writes it."""
    return "".join(FORMATS["html"].load()(figures, render_options("html", figures, plan, colour=False)))
