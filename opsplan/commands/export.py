"""`opsplan export`: the plan, and with --report the report's figures and gaps, as spreadsheet
tables: one XLSX workbook, or one CSV file per table in a folder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsplan.commands.common import (
    actuals_option,
    fail,
    load,
    parse_as_of,
    plan_path_argument,
    protect_inputs,
    read_files,
    stop_on_plan_errors,
    write_output,
)
from opsplan.commands.selecting import exclude_option, select_option, stop_on_selection, uses_status

if TYPE_CHECKING:
    from opsplan.export.tables import Table
    from opsplan.model import Plan
    from opsplan.report.model import Report

FORMATS = ["xlsx", "csv"]


@click.command(epilog="""\b
Examples:
  opsplan export plans/acme --format xlsx -o acme.xlsx
  opsplan export plans/acme --report --as-of 2027-03-31 -o acme-2027-03.xlsx
  opsplan export plans/acme --select owner:transport --exclude kind:kpi -o transport.xlsx
\b
`--format csv -o DIR` writes one CSV file per table into the folder DIR.
Text from the plan and the actuals is never written as a formula. The same plan gives the same
bytes, so an exported workbook can be committed and diffed.
With --select or --exclude (docs/select.md) the plan tables keep the selected entities: a
process with its KPIs, a budget with its lines (less what --exclude takes), a line with its
months, a goal with its milestones, a program with its roles; the report tables are narrowed as
`opsplan report --select` narrows the report.
Exit codes: 0 written, 1 the plan has errors or the selection matches nothing, 2 could not run
(a malformed selector, with the column of the mistake).""")
@plan_path_argument
@click.option("--format", "named_format", type=click.Choice(FORMATS), default=None,
              help="xlsx (one workbook, a sheet per table) or csv (a folder, a file per table). "
                   "Default: xlsx, or csv when -o does not end in .xlsx.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The workbook (xlsx) or the folder (csv) to write.")
@click.option("--report", "with_report", is_flag=True,
              help="Add the report's figures and gaps on --as-of.")
@click.option("--as-of", "as_of", metavar="DATE", default=None, callback=parse_as_of,
              help="With --report or status: selectors, the date the report speaks for (default: today).")
@select_option
@exclude_option
@actuals_option
def export(path: Path, named_format: str | None, output: Path, with_report: bool, as_of: date | None,
           expression: str | None, exclusion: str | None, actuals_folder: Path | None) -> None:
    """Export the plan at PATH as tables: departments, processes, KPIs, budget lines, goals with
    milestones, programs and roles, and an About sheet."""
    output_format = named_format or ("xlsx" if output.suffix.lower() == ".xlsx" else "csv")
    if output_format == "xlsx" and str(output) == "-":
        fail("xlsx is binary: write it to a file with -o FILE.xlsx")
    by_status = uses_status(expression, exclusion)
    if as_of is not None and not (with_report or by_status):
        fail("--as-of dates the report: add --report (or select by status:)")
    root, result = load(path, actuals=with_report or by_status, actuals_folder=actuals_folder)
    protect_inputs(output, read_files(root, result))
    stop_on_plan_errors(result, root, "fix them before exporting it",
                        [d for d in result.diagnostics if not d.code.startswith("OPS7")])
    plan = result.plan

    from opsplan.export.tables import about_table, plan_tables, report_tables

    report_date = as_of or date.today()
    report = None
    if with_report or by_status:
        from opsplan.report.build import build_report

        report = build_report(plan, result.actuals, report_date)
    keys: frozenset[str] | None = None
    scope: list[tuple[str, str]] = []
    if expression is not None or exclusion is not None:
        keys = _chosen_keys(plan, report, expression, exclusion)
        scope = [(option, text) for option, text in (("select", expression), ("exclude", exclusion))
                 if text is not None] + ([("statuses as of", report_date.isoformat())] if by_status else [])
    tables = [about_table(plan, report_date if with_report else None, scope), *plan_tables(plan, keys)]
    if with_report and report is not None:
        if keys is not None:
            from opsplan.commands.report_scope import narrowed

            report = narrowed(report, plan, None, expression, exclusion)
        tables += report_tables(report)
    write_tables(tables, output_format, output, plan.currency)


def write_tables(tables: Sequence[Table], output_format: str, output: Path, currency: str) -> None:
    """Write the tables as one workbook, or as CSV files in the folder ``output``."""
    if output_format == "xlsx":
        from opsplan.export.render.xlsx import render_xlsx
        from opsplan.progress import progress

        with progress("writing the workbook", "rows") as advance:
            workbook = render_xlsx(tables, currency, advance)
        write_output(output, workbook)
        return
    from opsplan.export.render.csv import render_csv

    if output.exists() and not output.is_dir():
        fail(f"{output} is a file: csv export writes a folder of tables")
    for table in tables:
        write_output(output / f"{table.name}.csv", render_csv(table))


def _chosen_keys(plan: Plan, report: Report | None, expression: str | None,
                 exclusion: str | None) -> frozenset[str]:
    """The entity keys whose rows the plan tables keep; a mistake is exit 2, nothing chosen exit 1."""
    from opsplan.export.selection import with_belongings
    from opsplan.select import choose, plan_universe

    universe = plan_universe(plan)
    if report is not None:
        from opsplan.report.scope import statuses

        universe.statuses = statuses(report)
    selection = choose(plan, universe, expression, exclusion)
    stop_on_selection(selection.keys, selection.errors, "the plan")
    allowed = choose(plan, universe, None, exclusion).keys
    return with_belongings(plan, selection.keys, allowed)
