"""The formats of `opsplan graph`, each a row naming the function that writes it (imported only
when chosen): a view drawn (``VIEW_FORMATS``) and ``--analyze`` written (``ANALYSIS_FORMATS``).

Every view format is ``render(graph, drawing) -> str | bytes``: text, or a picture's bytes.
Every analysis format is ``render(analysis) -> str``. Adding a format is one row here and one
function of that signature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from opsplan.output import Format, Formats


def _silent(note: str) -> None:
    """Drawing notes go nowhere unless a command says where."""


@dataclass(frozen=True, slots=True)
class Drawing:
    """What a picture needs besides the graph; the text formats have no use for it."""

    engine: str | None = None  # --engine: a Graphviz layout engine; None lets opsplan choose
    verbose: bool = False  # also say which renderer and layout drew the picture
    say: Callable[[str], None] = _silent  # a note for the reader (how it was laid out, scaled down)


VIEW_FORMATS = Formats(
    Format("dot", "opsplan.graph.render.dot:render_view", (".dot", ".gv")),
    Format("mermaid", "opsplan.graph.render.mermaid:render_view", (".mmd", ".mermaid")),
    Format("json", "opsplan.graph.render.json:render_view", (".json",)),
    Format("svg", "opsplan.graph.render.picture:render_svg", (".svg",)),
    Format("png", "opsplan.graph.render.picture:render_png", (".png",)),
    Format("pdf", "opsplan.graph.render.picture:render_pdf", (".pdf",)),
)
# Formats a terminal cannot show: written to a file, or to a pipe.
BINARY_FORMATS = frozenset({"png", "pdf"})

ANALYSIS_FORMATS = Formats(
    Format("text", "opsplan.graph.render.text:render_analysis_text", (".txt", ".text")),
    Format("json", "opsplan.graph.render.json:render_analysis_json", (".json",)),
)
