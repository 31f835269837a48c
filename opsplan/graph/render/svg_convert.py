"""PNG and PDF from an SVG picture with no system libraries: resvg draws PNG, svglib and
reportlab draw PDF. This is how pictures get made when the Graphviz `dot` program is missing
and Graphviz compiled to WebAssembly could draw SVG only.
"""

from __future__ import annotations

import html
import importlib.util
import math
import re
from dataclasses import dataclass
from pathlib import Path

# Graphviz measures labels with Helvetica's widths, so the fonts that share them come first;
# reportlab's Bitstream Vera (always there when reportlab is) keeps text readable on a machine
# without any font. A character none of them has is drawn from any installed font that has it.
PNG_FONTS = ('Helvetica, Arial, "Liberation Sans", "Nimbus Sans", "Nimbus Sans L", '
             '"TeX Gyre Heros", "DejaVu Sans", "Bitstream Vera Sans", sans-serif')
PNG_DPI = 96.0  # what `dot -Tpng` uses: one point is 4/3 pixel
# Past these a PNG is scaled down, as `dot -Tpng` does: 4 bytes a pixel while it is drawn.
MAX_SIDE = 32_767
MAX_PIXELS = 50_000_000
# Anti-aliasing long curves is slow in resvg: the edges of a 1,000-node `dot` layout take 20 s
# smooth and 4 s without it. Pictures with more edges than this draw them without it.
SMOOTH_EDGES_UP_TO = 500
# TrueType fonts for PDF labels that Helvetica's Latin-1 cannot show (looked up by file name in
# reportlab's font folders: the system's and its own).
PDF_UNICODE_FONTS = ("LiberationSans-Regular.ttf", "DejaVuSans.ttf", "NotoSans-Regular.ttf",
                     "FreeSans.ttf", "Arial.ttf", "arial.ttf", "Vera.ttf")
_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="([\d.]+)(pt|px)?"[^>]*?\sheight="([\d.]+)(pt|px)?"')
_TEXT = re.compile(rb"<text\b[^>]*>([^<]*)</text>")
_FONT_FAMILY = re.compile(rb'font-family="[^"]*"')
_TITLE = re.compile(rb"<title>([^<]*)</title>")  # Graphviz's first one is the graph's


class ConversionFailed(Exception):
    """The SVG could not be turned into the asked format (a converter is missing or failed)."""


@dataclass(frozen=True, slots=True)
class Converted:
    data: bytes
    converter: str
    notes: tuple[str, ...] = ()  # what the reader should know: scaled down, characters missing


def svg_size_in_pixels(svg: bytes, dpi: float = PNG_DPI) -> tuple[float, float] | None:
    """The picture's width and height in pixels at ``dpi``, from the root element's size."""
    found = _SIZE.search(svg)
    if found is None:
        return None

    def pixels(number: bytes, unit: bytes | None) -> float:
        return float(number) * (dpi / 72 if unit == b"pt" else 1.0)

    return pixels(found.group(1), found.group(2)), pixels(found.group(3), found.group(4))


def png_zoom(width: float, height: float) -> float:
    """How much to shrink a picture of this many pixels so it stays drawable (1.0: not at all)."""
    area_limit = math.sqrt(MAX_PIXELS / max(width * height, 1.0))
    return min(1.0, MAX_SIDE / max(width, height, 1.0), area_limit)


def scaled_note(width: float, height: float, zoom: float) -> str:
    return (f"the picture is {width:,.0f} x {height:,.0f} pixels: scaled to {zoom:.0%} "
            f"to stay under {MAX_PIXELS // 1_000_000} megapixels (svg and pdf keep every detail)")


def _reportlab_fonts() -> list[str]:
    spec = importlib.util.find_spec("reportlab")
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    return [str(folder)] if folder.is_dir() else []


def svg_to_png(svg: bytes) -> Converted:
    """A PNG of the SVG at 96 dpi, like Graphviz's own, with its labels drawn in a Helvetica-like
    font; scaled down when it would be too large to draw."""
    try:
        import resvg_py
    except ImportError:
        raise ConversionFailed("the `resvg-py` package is not installed (pip install resvg-py)") from None
    size = svg_size_in_pixels(svg)
    width, height = size if size is not None else (0.0, 0.0)
    zoom = png_zoom(width, height)
    notes = [scaled_note(width, height, zoom)] if zoom < 1.0 else []
    style_sheet = f"text {{ font-family: {PNG_FONTS}; }}"
    if svg.count(b'class="edge"') > SMOOTH_EDGES_UP_TO:
        style_sheet += " .edge path { shape-rendering: optimizeSpeed; }"
    try:
        png = resvg_py.svg_to_bytes(
            svg_string=svg.decode("utf-8"), dpi=PNG_DPI, zoom=zoom if zoom < 1.0 else None,
            style_sheet=style_sheet, font_dirs=_reportlab_fonts(), background="white")
    except BaseException as error:  # resvg reports some failures as a Rust panic, not an Exception
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        raise ConversionFailed(f"resvg could not draw the picture: {error}") from None
    return Converted(bytes(png), f"resvg-py {getattr(resvg_py, '__version__', '')}".strip(), tuple(notes))


def _label_text(svg: bytes) -> str:
    return "".join(html.unescape(text.decode("utf-8")) for text in _TEXT.findall(svg))


def _fits_helvetica(text: str) -> bool:
    try:
        text.encode("cp1252")  # what reportlab's built-in Helvetica can show
    except UnicodeEncodeError:
        return False
    return True


def _unicode_font(text: str) -> tuple[str | None, bool]:
    """The first installed TrueType font of ``PDF_UNICODE_FONTS`` that has every character of
    ``text``, else the one that has the most (None when there is none), and whether it has all."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    needed = {ord(character) for character in text if not character.isspace()}
    best: tuple[int, str | None] = (-1, None)
    for filename in PDF_UNICODE_FONTS:
        try:
            font = TTFont(f"opsplan-{Path(filename).stem}", filename)
        except (TTFError, OSError):
            continue  # not installed here
        covered = len(needed & set(font.face.charToGlyph))
        if covered == len(needed):
            return filename, True
        if covered > best[0]:
            best = (covered, filename)
    return best[1], False


def svg_to_pdf(svg: bytes) -> Converted:
    """A one-page vector PDF of the SVG, the page the picture's size; labels stay text (Helvetica,
    or an installed TrueType font when a label needs more than Latin-1)."""
    try:
        from reportlab.graphics import renderPDF
        from reportlab.pdfgen.canvas import Canvas
        from svglib.svglib import svg2rlg
    except ImportError:
        raise ConversionFailed("the `svglib` package (with reportlab) is not installed "
                               "(pip install svglib)") from None
    import io
    import logging

    from svglib.fonts import FontMap

    notes: list[str] = []
    font = "Helvetica"
    font_map = FontMap()
    text = _label_text(svg)
    if not _fits_helvetica(text):
        filename, complete = _unicode_font(text)
        if not complete:
            notes.append("no installed TrueType font has every character of the labels: some may "
                         "show as boxes in the pdf (install a font such as DejaVu Sans, or Graphviz)")
        if filename is not None:
            font = Path(filename).stem
            family = f"opsplan-{font}"
            font_map.register_font(family, filename, rlgFontName=family)
            svg = _FONT_FAMILY.sub(b'font-family="' + family.encode() + b'"', svg)
    logging.getLogger("svglib").setLevel(logging.ERROR)  # it warns about what it skips
    try:
        drawing = svg2rlg(io.BytesIO(svg), font_map=font_map)
        if drawing is None:
            raise ConversionFailed("svglib could not read the SVG")
        stream = io.BytesIO()
        # invariant: no timestamp or random id, so the same plan gives the same bytes
        canvas = Canvas(stream, pagesize=(drawing.width, drawing.height), invariant=1)
        canvas.setCreator("opsplan")
        if (title := _TITLE.search(svg)) is not None:
            canvas.setTitle(html.unescape(title.group(1).decode("utf-8")))
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.showPage()
        canvas.save()
    except ConversionFailed:
        raise
    except Exception as error:  # svglib and reportlab raise many kinds; none should reach the user raw
        raise ConversionFailed(f"svglib could not draw the PDF: {error}") from None
    return Converted(stream.getvalue(), f"svglib + reportlab (font: {font})", tuple(notes))
