"""`opsplan ls`: list the plan's entities that a selector chooses, with their key figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from opsplan.commands.common import (
    actuals_option,
    choose_format,
    emit,
    fail,
    load,
    parse_as_of,
    plan_path_argument,
    protect_inputs,
    read_files,
    stop_on_plan_errors,
)
from opsplan.commands.selecting import exclude_option, select_option, stop_on_selection, uses_status
from opsplan.output import Format, Formats

# The listing's formats, each ``render(entries, fields, root) -> str``, imported when chosen.
FORMATS = Formats(
    Format("text", "opsplan.listing.render:render_text", (".txt", ".text")),
    Format("json", "opsplan.listing.render:render_json", (".json",)),
    Format("csv", "opsplan.listing.render:render_csv", (".csv",)),
)


@click.command(epilog="""\b
Examples:
  opsplan ls plans/acme --select kind:goal
  opsplan ls plans/acme --select 'owner:transport' --exclude kind:kpi
  opsplan ls plans/acme --select 'funds:improve-margin' --format csv
  opsplan ls plans/acme --select 'status:off-track' --as-of 2027-03-31
  opsplan ls plans/acme --fields kind,id,owner,allocated --format json
\b
Exit codes: 0 listed, 1 the plan has errors or the selection matches nothing, 2 could not run
(a malformed selector, with the column of the mistake; an unknown field).""")
@plan_path_argument
@select_option
@exclude_option
@click.option("--fields", "field_list", default=None, metavar="F1,F2",
              help="Columns to show, comma separated: kind id name owner file line where status type headcount "
                   "kpis cycle_time allocated currency baseline target unit due start end figures.")
@click.option("--as-of", "as_of", metavar="DATE", default=None, callback=parse_as_of,
              help="With status: selectors or the status field, the date the report speaks for (default: today).")
@actuals_option
@click.option("--format", "named_format", type=click.Choice(list(FORMATS)), default=None,
              help="A table for people (text, the default), or every field as JSON or CSV.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of standard output.")
def ls(path: Path, expression: str | None, exclusion: str | None, field_list: str | None, as_of: date | None,
       actuals_folder: Path | None, named_format: str | None, output: Path | None) -> None:
    """List the entities of the plan at PATH: kind, id, name, owner, where it is written and its
    key figures (headcount; KPIs and cycle time; allocated amount; due date and target; window)."""
    from opsplan.listing.entries import FIELDS, TEXT_FIELDS

    output_format = choose_format(FORMATS, named_format, output, "text")
    fields = _fields(field_list, (*FIELDS, "where", "figures")) if field_list else (
        TEXT_FIELDS if output_format == "text" else FIELDS)
    needs_report = ("status" in fields and field_list is not None) or uses_status(expression, exclusion)
    root, result = load(path, actuals=needs_report, actuals_folder=actuals_folder)
    protect_inputs(output, read_files(root, result))
    stop_on_plan_errors(result, root, "fix them before listing it",
                        [d for d in result.diagnostics if not d.code.startswith("OPS7")])
    plan = result.plan

    from opsplan.listing.entries import plan_entries
    from opsplan.select import choose, plan_universe

    universe = plan_universe(plan)
    statuses = None
    if needs_report:
        from opsplan.report.build import build_report
        from opsplan.report.scope import statuses as report_statuses

        statuses = report_statuses(build_report(plan, result.actuals, as_of or date.today()))
        universe.statuses = statuses
    selection = choose(plan, universe, expression, exclusion)
    stop_on_selection(selection.keys, selection.errors, "the plan")
    entries = [entry for entry in plan_entries(plan, statuses) if entry.key in selection.keys]

    emit(FORMATS[output_format].load()(entries, fields, root.as_posix()), output)


def _fields(field_list: str, known: tuple[str, ...]) -> tuple[str, ...]:
    from opsplan.diagnostics import did_you_mean

    fields = tuple(field.strip() for field in field_list.split(",") if field.strip())
    unknown = [field for field in fields if field not in known]
    if unknown or not fields:
        hints = [f"`{click.unstyle(field)}`" + (f" ({hint})" if (hint := did_you_mean(field, list(known))) else "")
                 for field in unknown]
        fail(("unknown field " + ", ".join(hints) if unknown else "--fields names no field")
             + f"; fields: {', '.join(known)}")
    return fields
