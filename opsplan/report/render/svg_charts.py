"""Small inline SVG pictures for HTML pages: trend sparklines, budget burn bars, and Graphviz
drawings made safe to embed (re-serialised, so every text is escaped and nothing is active).

Positions are layout only: each picture scales the figures it is given and computes nothing else.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from opsplan.report.render.html_page import Html, element

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

# Stroke and fill colours of each tone (the page's badges use the same names).
TONE_COLOURS = {
    "good": "#16a34a",
    "warn": "#d97706",
    "bad": "#dc2626",
    "info": "#2563eb",
    "neutral": "#6b7280",
}

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 100, 28, 3


def _coordinate(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") or "0"


def sparkline(readings: Sequence[tuple[date, Decimal]], *, label: str, target: Decimal | None = None,
              tone: str = "neutral") -> Html:
    """A trend line of dated readings, the latest as a dot.

    The scale is the readings' own, so that the trend shows even when the target is far away;
    the target is drawn as a dashed line only when it lies within that range (the tooltip
    always names it). ``label`` names the series for screen readers and the tooltip.
    """
    points = sorted(readings)
    if not points:
        return element("span", "no readings", class_="muted small")
    values = [float(value) for _, value in points]
    low, high = min(values), max(values)
    first_day, last_day = points[0][0].toordinal(), points[-1][0].toordinal()
    inner_width = SPARK_WIDTH - 2 * SPARK_PAD
    inner_height = SPARK_HEIGHT - 2 * SPARK_PAD

    def x(day: date) -> float:
        if last_day == first_day:
            return SPARK_WIDTH / 2
        return SPARK_PAD + inner_width * (day.toordinal() - first_day) / (last_day - first_day)

    def y(value: float) -> float:
        if high == low:
            return SPARK_HEIGHT / 2
        return SPARK_PAD + inner_height * (high - value) / (high - low)

    colour = TONE_COLOURS.get(tone, TONE_COLOURS["neutral"])
    shapes: list[Html] = []
    if target is not None and low <= float(target) <= high and high > low:
        shapes.append(element("line", x1=_coordinate(SPARK_PAD), x2=_coordinate(SPARK_WIDTH - SPARK_PAD),
                              y1=_coordinate(y(float(target))), y2=_coordinate(y(float(target))),
                              stroke="#9ca3af", stroke_width="1", stroke_dasharray="3 2"))
    if len(points) > 1:
        path = " ".join(f"{_coordinate(x(day))},{_coordinate(y(float(value)))}" for day, value in points)
        shapes.append(element("polyline", points=path, fill="none", stroke=colour, stroke_width="1.6",
                              stroke_linejoin="round", stroke_linecap="round"))
    last_day_seen, last_value = points[-1]
    shapes.append(element("circle", cx=_coordinate(x(last_day_seen)), cy=_coordinate(y(float(last_value))),
                          r="2.6", fill=colour))
    described = "; ".join(f"{day.isoformat()}: {value}" for day, value in points)
    if target is not None:
        described += f"; target {target}"
    summary = f"{label}: {described}"
    return element("svg", element("title", summary), shapes,
                   xmlns=SVG_NAMESPACE, viewBox=f"0 0 {SPARK_WIDTH} {SPARK_HEIGHT}", class_="sparkline",
                   role="img", aria_label=summary)


def _percent(part: Decimal, whole: Decimal) -> str:
    if whole <= 0:
        return "0%"
    share = max(Decimal(0), min(Decimal(100), part * 100 / whole))
    return f"{share:.2f}%"


def burn_bar(*, allocated: Decimal, expected: Decimal, actual: Decimal, tone: str, label: str) -> Html:
    """Spend against its budget: the grey track is the allocation, the coloured bar what was
    spent, the dark tick what should have been spent by now. Overspending runs past the track."""
    scale = max(allocated, expected, actual, Decimal(0))
    colour = TONE_COLOURS.get(tone, TONE_COLOURS["neutral"])
    expected_at = _percent(expected, scale)
    shapes = [
        element("rect", x="0", y="3", width=_percent(allocated, scale), height="12", rx="3", fill="#e5e7eb"),
        element("rect", x="0", y="5", width=_percent(actual, scale), height="8", rx="2", fill=colour),
        element("line", x1=expected_at, x2=expected_at, y1="0", y2="18", stroke="#111827", stroke_width="2"),
    ]
    return element("svg", element("title", label), shapes, xmlns=SVG_NAMESPACE, class_="burn-bar",
                   role="img", aria_label=label)


# --- Graphviz drawings -------------------------------------------------------------------------

# Graphviz draws with these; anything else (scripts, links, foreign HTML) is dropped.
_DRAWING_ELEMENTS = frozenset({
    "svg", "g", "title", "desc", "polygon", "polyline", "path", "ellipse", "circle", "rect", "line",
    "text", "tspan", "defs", "linearGradient", "radialGradient", "stop",
})


XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _attribute(name: str) -> str | None:
    """The attribute's name in the page, or None to drop it (events, links, ids, styling)."""
    if name.startswith("{"):
        return f"xml:{_local(name)}" if name.startswith(f"{{{XML_NAMESPACE}}}") else None
    if name.lower().startswith("on") or name in {"href", "id", "style", "class"}:
        return None
    return name


def _rebuild(node: ET.Element) -> Html:
    """The element written out again with :func:`element`, so its text is escaped like the page's."""
    content: list[object] = [node.text]
    for child in node:
        if _local(child.tag) in _DRAWING_ELEMENTS:
            content.append(_rebuild(child))
        content.append(child.tail)
    kept = {}
    for name, value in node.attrib.items():
        page_name = _attribute(name)
        if page_name is not None:
            kept[page_name] = value
    return element(_local(node.tag), content, **kept)


def _fill_nodes(root: ET.Element, fills: Mapping[str, str]) -> None:
    """Colour the shape of each node whose title (Graphviz writes the node's key there) is in ``fills``."""
    for group in root.iter(f"{{{SVG_NAMESPACE}}}g"):
        title = group.find(f"{{{SVG_NAMESPACE}}}title")
        if title is None or title.text is None or title.text not in fills:
            continue
        for shape in group:
            if _local(shape.tag) in {"ellipse", "polygon", "path"}:
                shape.set("fill", fills[title.text])
                break


def inline_svg(picture: bytes, *, label: str, fills: Mapping[str, str] | None = None) -> Html:
    """A standalone SVG document (as Graphviz writes it) as an element to put inside a page.

    The drawing is parsed and written out again: the XML prolog, DOCTYPE and comments go, ids
    go (they could clash with the page's), every text and attribute is escaped anew, and
    anything that is not a plain drawing element is removed. It scales down to fit its box.
    ``fills`` maps node keys to the colour to fill them with.
    """
    root = ET.fromstring(picture)
    if _local(root.tag) != "svg":
        raise ValueError("not an SVG drawing")
    _fill_nodes(root, fills or {})
    for dimension in ("width", "height"):
        value = root.get(dimension, "")
        if value.endswith("pt"):
            # Graphviz sizes in points; as CSS pixels the drawing is a little smaller and crisper.
            root.set(dimension, value[:-2])
    root.set("xmlns", SVG_NAMESPACE)
    root.set("role", "img")
    root.set("aria-label", label)
    return _rebuild(root)


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 140, 40, 4


def planned_against_actual(points: Sequence[tuple[date, int, int]], *, label: str) -> Html:
    """Two lines over the same dates: the plan's figure (dashed grey) and the counted one
    (coloured, the latest as a dot), on one scale so that the gap between them shows."""
    points = sorted(points)
    if not points:
        return element("span", "no counts", class_="muted small")
    values = [float(figure) for _, planned, actual in points for figure in (planned, actual)]
    low, high = min(values), max(values)
    first_day, last_day = points[0][0].toordinal(), points[-1][0].toordinal()
    inner_width, inner_height = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD

    def x(day: date) -> str:
        if last_day == first_day:
            return _coordinate(CHART_WIDTH / 2)
        return _coordinate(CHART_PAD + inner_width * (day.toordinal() - first_day) / (last_day - first_day))

    def y(value: int) -> str:
        if high == low:
            return _coordinate(CHART_HEIGHT / 2)
        return _coordinate(CHART_PAD + inner_height * (high - value) / (high - low))

    shapes: list[Html] = []
    if len(points) > 1:
        shapes.append(element("polyline", points=" ".join(f"{x(day)},{y(planned)}" for day, planned, _ in points),
                              fill="none", stroke="#9ca3af", stroke_width="1.4", stroke_dasharray="3 2"))
        shapes.append(element("polyline", points=" ".join(f"{x(day)},{y(actual)}" for day, _, actual in points),
                              fill="none", stroke=TONE_COLOURS["info"], stroke_width="1.6",
                              stroke_linejoin="round", stroke_linecap="round"))
    last_day_seen, last_planned, last_actual = points[-1]
    shapes.append(element("circle", cx=x(last_day_seen), cy=y(last_planned), r="2.2", fill="#9ca3af"))
    shapes.append(element("circle", cx=x(last_day_seen), cy=y(last_actual), r="2.6", fill=TONE_COLOURS["info"]))
    described = "; ".join(f"{day.isoformat()}: planned {planned}, counted {actual}" for day, planned, actual in points)
    summary = f"{label}: {described}"
    return element("svg", element("title", summary), shapes,
                   xmlns=SVG_NAMESPACE, viewBox=f"0 0 {CHART_WIDTH} {CHART_HEIGHT}", class_="sparkline",
                   role="img", aria_label=summary)
