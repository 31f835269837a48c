"""A view drawn as a picture (svg, png, pdf): laid out (node by node, or one box per department),
written as DOT, then drawn by whatever can draw it here (see :mod:`opsplan.graph.render.image`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from opsplan.graph.render import Drawing


def render_svg(graph: nx.DiGraph, drawing: Drawing) -> bytes:
    return _draw(graph, drawing, "svg")


def render_png(graph: nx.DiGraph, drawing: Drawing) -> bytes:
    return _draw(graph, drawing, "png")


def render_pdf(graph: nx.DiGraph, drawing: Drawing) -> bytes:
    return _draw(graph, drawing, "pdf")


def _draw(graph: nx.DiGraph, drawing: Drawing, image_format: str) -> bytes:
    """The picture's bytes; raises ``NoImageRenderer`` when nothing here can draw it, after the
    layout's notes were said (they explain a slow or coarse picture even when it fails)."""
    from opsplan.graph.layout import choose_layout
    from opsplan.graph.render.dot import FORCE_DIRECTED, render_dot
    from opsplan.graph.render.image import render_image

    layout = choose_layout(graph, drawing.engine)
    for note in layout.notes:
        drawing.say(note)
    picture = render_image(render_dot(layout.graph, spread=layout.engine in FORCE_DIRECTED), image_format,
                           layout.engine)
    for note in picture.notes:
        drawing.say(note)
    if drawing.verbose:
        drawing.say(f"drew {image_format} with {picture.renderer}, layout {layout.engine}")
    return picture.data
