"""Safe HTML building blocks for self-contained pages: escaped elements, sortable tables, and the
page shell with its inline style sheet and script (no network: nothing is fetched, ever).

Text is escaped when it becomes markup, never by the caller: :func:`element` escapes every
plain ``str`` child and every attribute value, and only :class:`Html` (made here) passes as is.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from opsplan.render.escape import html_text


class Html(str):
    """Markup that is safe to insert as it is: built by :func:`element` or :func:`join`."""

    __slots__ = ()


Attribute = str | int | Decimal | bool | None

# HTML elements that have no closing tag.
VOID_ELEMENTS = frozenset({"br", "hr", "img", "input", "link", "meta", "col", "wbr"})


def escape(text: str) -> str:
    """``text`` as HTML text or a double-quoted attribute value: control characters shown as
    escapes, ``& < > " '`` as entities."""
    return html_text(text)


# Checked in this order because it is the order of how often they occur; reports of large plans
# build hundreds of thousands of elements, so this path is kept short.
def _markup(child: object) -> str:
    if isinstance(child, str):
        return child if isinstance(child, Html) else escape(child)
    if child is None:
        return ""
    if isinstance(child, tuple | list):
        return "".join([_markup(part) for part in child])
    if isinstance(child, int | Decimal):
        return escape(str(child))
    if isinstance(child, Iterable):
        return "".join([_markup(part) for part in child])
    raise TypeError(f"cannot put a {type(child).__name__} into HTML")


_ATTRIBUTE_NAMES: dict[str, str] = {}


def _attribute_name(name: str) -> str:
    # Python names cannot hold '-' or be keywords: class_ -> class, aria_label -> aria-label.
    page_name = _ATTRIBUTE_NAMES.get(name)
    if page_name is None:
        page_name = _ATTRIBUTE_NAMES[name] = name.rstrip("_").replace("_", "-")
    return page_name


def attributes(values: Mapping[str, Attribute]) -> str:
    """` name="value"` pairs, each value escaped; ``True`` writes a bare name, ``None``/``False`` none."""
    parts = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        if value is True:
            parts.append(f" {_attribute_name(name)}")
        else:
            parts.append(f' {_attribute_name(name)}="{escape(value if isinstance(value, str) else str(value))}"')
    return "".join(parts)


def element(tag: str, *children: object, **attrs: Attribute) -> Html:
    """``<tag attrs>children</tag>``: plain strings and numbers among the children are escaped."""
    opening = _opening(tag, attrs)
    if tag in VOID_ELEMENTS:
        return Html(opening)
    return Html(f"{opening}{_markup(children)}</{tag}>")


def _opening(tag: str, attrs: Mapping[str, Attribute]) -> str:
    return f"<{tag}{attributes(attrs)}>" if attrs else f"<{tag}>"


def join(parts: Iterable[object], separator: str = "") -> Html:
    """Several pieces of content as one, escaping any plain text among them."""
    return Html(escape(separator).join([_markup(part) for part in parts]))


# --- tables ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: what it shows and, for numbers and dates, the key it sorts by."""

    content: object
    sort_key: str | int | Decimal | None = None
    numeric: bool = False  # right-aligned, tabular figures


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its header, and how its cells are laid out and sorted."""

    title: str
    numeric: bool = False
    sortable: bool = True
    wide: bool = False  # names and lists: kept readable while numbers give way


def table(columns: Sequence[Column], rows: Iterable[Sequence[Cell | object]], *, caption: str,
          table_id: str | None = None, empty: str = "Nothing to show.") -> Html:
    """A table whose headers sort it when clicked (or pressed: they are buttons), with a caption.

    A table without rows is written as the sentence ``empty`` instead.
    """
    return Html("".join(table_pieces(columns, rows, caption=caption, table_id=table_id, empty=empty)))


def table_pieces(columns: Sequence[Column], rows: Iterable[Sequence[Cell | object]], *, caption: str,
                 table_id: str | None = None, empty: str = "Nothing to show.") -> Iterator[Html]:
    """:func:`table` in pieces, a row each: a plan's KPI table has thousands of rows, written as
    they are made."""
    made = (_table_row(columns, row) for row in rows)
    first = next(made, None)
    if first is None:
        yield element("p", empty, class_="empty")
        return
    headers = []
    for column in columns:
        label: object = column.title
        if column.sortable:
            label = element("button", column.title, element("span", class_="arrow", aria_hidden="true"),
                            type="button", title=f"Sort by {column.title}")
        classes = " ".join(name for name, wanted in (("num", column.numeric), ("wide", column.wide)) if wanted)
        headers.append(element("th", label, scope="col", class_=classes or None,
                               aria_sort="none" if column.sortable else None))
    sortable = any(column.sortable for column in columns)
    opening = _opening("table", {"id": table_id, "class_": "sortable" if sortable else None})
    yield Html(f'<div class="table-wrap">{opening}{element("caption", caption)}'
               f'{element("thead", element("tr", headers))}<tbody>{first}')
    yield from made
    yield Html("</tbody></table></div>")


def _table_row(columns: Sequence[Column], row: Sequence[Cell | object]) -> Html:
    cells = []
    for column, value in zip(columns, row, strict=True):
        item = value if isinstance(value, Cell) else Cell(value)
        numeric = item.numeric or column.numeric
        cells.append(element("td", item.content, class_="num" if numeric else None,
                             data_sort=None if item.sort_key is None else str(item.sort_key)))
    return element("tr", cells)


# --- the page ----------------------------------------------------------------------------------

# Sorting: numbers compare as numbers (thousands separators, signs and % allowed), other text in
# natural order ("item 2" before "item 10"); empty cells stay last in both directions.
# Printing: folded details open for the printout and fold again after it.
PAGE_SCRIPT = """\
(function () {
  "use strict";
  var NUMBER = /^[-+]?(\\d+\\.?\\d*|\\.\\d+)(e[-+]?\\d+)?$/i;
  var TEXT = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  function sortKey(row, column) {
    var cell = row.cells[column];
    if (!cell) { return ""; }
    var key = cell.getAttribute("data-sort");
    return (key !== null ? key : cell.textContent).trim();
  }
  function asNumber(text) {
    var bare = text.replace(/[,\\s%\\u2212]/g, function (c) { return c === "\\u2212" ? "-" : ""; });
    return NUMBER.test(bare) ? Number(bare) : null;
  }
  function sortBy(table, header) {
    var column = header.cellIndex;
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    // Each row's key is read once, not at every comparison: tables of large plans hold
    // tens of thousands of rows.
    var keyed = Array.prototype.map.call(body.rows, function (row, index) {
      var key = sortKey(row, column);
      return {row: row, key: key, number: asNumber(key), index: index};
    });
    keyed.sort(function (r, s) {
      if (r.key === "" || s.key === "") { return (r.key === "") - (s.key === "") || r.index - s.index; }
      var order = (r.number !== null && s.number !== null) ? r.number - s.number
        : TEXT.compare(r.key, s.key);
      return (ascending ? order : -order) || r.index - s.index;
    });
    var sorted = document.createDocumentFragment();
    keyed.forEach(function (item) { sorted.appendChild(item.row); });
    body.appendChild(sorted);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
      if (other.hasAttribute("aria-sort")) { other.setAttribute("aria-sort", "none"); }
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.querySelectorAll("thead th[aria-sort]"), function (header) {
      var button = header.querySelector("button");
      if (button) { button.addEventListener("click", function () { sortBy(table, header); }); }
    });
  });
  var folded = [];
  window.addEventListener("beforeprint", function () {
    folded = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    folded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    folded.forEach(function (d) { d.open = false; });
    folded = [];
  });
})();
"""

STYLE_SHEET = """\
:root {
  color-scheme: light;
  --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --paper: #ffffff; --wash: #f8fafc;
  --accent: #2563eb;
  --good: #166534; --good-bg: #dcfce7; --warn: #92400e; --warn-bg: #fef3c7;
  --bad: #991b1b; --bad-bg: #fee2e2; --info: #1e40af; --info-bg: #dbeafe;
  --neutral: #374151; --neutral-bg: #f3f4f6;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--wash); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
        "Noto Sans", "Liberation Sans", sans-serif;
}
header.page { background: var(--paper); border-bottom: 1px solid var(--line); }
header.page .inner, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
header.page .inner { padding-top: 20px; padding-bottom: 8px; }
h1 { font-size: 1.6rem; margin: 0 0 2px; letter-spacing: -0.01em; }
h2 { font-size: 1.25rem; margin: 0 0 12px; }
h3 { font-size: 1.02rem; margin: 20px 0 8px; }
.subtitle { color: var(--muted); margin: 0 0 12px; }
nav.sections { display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 8px 0 12px; }
nav.sections a { color: var(--accent); text-decoration: none; font-weight: 500; }
nav.sections a:hover, nav.sections a:focus-visible { text-decoration: underline; }
main section {
  background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
  padding: 20px 24px; margin: 20px 0;
  /* Sections out of view are not laid out until scrolled to: reports of large plans hold
     tens of thousands of rows, which would otherwise take the browser many seconds to open. */
  content-visibility: auto; contain-intrinsic-size: auto 1000px;
}
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; }
.cards + .cards { margin-top: 12px; }
.budget-cards { grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); }
.card svg.burn-bar { margin: 6px 0 2px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: var(--wash); }
.card .figure { font-size: 1.45rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 0.85rem; }
.card .detail { font-size: 0.85rem; margin-top: 4px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.86rem; }
caption { text-align: left; color: var(--muted); font-size: 0.85rem; padding-bottom: 6px; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--wash); font-weight: 600; vertical-align: bottom; }
tbody tr:hover { background: #fafafa; }
th.wide { min-width: 12em; }
th.num { white-space: normal; }
td .sub { display: block; color: var(--muted); font-size: 0.78rem; white-space: normal; }
.date, td .date { white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th button { all: unset; cursor: pointer; font-weight: 600; border-radius: 4px; }
th button:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
th .arrow::after { content: "\\00A0\\2195"; color: #9ca3af; font-size: 0.8em; }
th[aria-sort="ascending"] .arrow::after { content: "\\25B2"; color: var(--accent); }
th[aria-sort="descending"] .arrow::after { content: "\\25BC"; color: var(--accent); }
.status {
  display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 0.8rem;
  font-weight: 600; white-space: nowrap; border: 1px solid transparent;
}
.status::before { content: "\\25CF\\00A0"; }
.tone-good { color: var(--good); background: var(--good-bg); border-color: #bbf7d0; }
.tone-warn { color: var(--warn); background: var(--warn-bg); border-color: #fde68a; }
.tone-bad { color: var(--bad); background: var(--bad-bg); border-color: #fecaca; }
.tone-info { color: var(--info); background: var(--info-bg); border-color: #bfdbfe; }
.tone-neutral { color: var(--neutral); background: var(--neutral-bg); border-color: var(--line); }
.muted { color: var(--muted); }
ul.plain { margin: 0; padding: 0; list-style: none; }
ul.plain > li + li { margin-top: 2px; }
.indent { display: inline-block; }
.funded, .unfunded { font-size: 0.75rem; font-weight: 600; white-space: nowrap; }
.funded { color: var(--good); }
.unfunded { color: var(--bad); }
details.lines { margin-top: 10px; }
details > summary { cursor: pointer; color: var(--accent); }
.empty { color: var(--muted); font-style: italic; }
.small { font-size: 0.82rem; }
ol.gaps { list-style: none; margin: 0; padding: 0; counter-reset: gap; }
ol.gaps > li {
  border: 1px solid var(--line); border-left-width: 4px; border-radius: 8px;
  padding: 10px 14px; margin: 0 0 10px; background: var(--paper);
}
ol.gaps > li.tone-bad { border-left-color: #dc2626; background: var(--paper); color: inherit; }
ol.gaps > li.tone-warn { border-left-color: #d97706; background: var(--paper); color: inherit; }
ol.gaps > li.tone-info, ol.gaps > li.tone-neutral { border-left-color: #9ca3af; background: var(--paper); color: inherit; }
.gap-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 10px; }
.gap-title { font-weight: 600; }
.evidence { color: var(--muted); font-size: 0.84rem; margin: 4px 0; }
.evidence strong { color: var(--ink); font-weight: 600; }
.concerned { font-size: 0.8rem; color: var(--muted); }
.concerned code { font-size: 0.78rem; color: var(--ink); }
.concerned details { display: inline; }
.concerned summary { display: inline; cursor: pointer; color: var(--accent); }
.recommendation { margin: 4px 0 0; }
.recommendation::before { content: "\\2192\\00A0"; color: var(--accent); font-weight: 700; }
.burn { display: grid; grid-template-columns: 210px minmax(160px, 1fr) 330px; gap: 6px 16px; align-items: center; }
.burn .who { font-weight: 500; }
.burn .figures { font-size: 0.82rem; color: var(--muted); font-variant-numeric: tabular-nums; }
svg.burn-bar { display: block; width: 100%; height: 18px; overflow: visible; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.82rem; color: var(--muted); margin: 4px 0 10px; }
.legend > span { display: inline-flex; align-items: center; }
.legend i { display: inline-block; width: 12px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.legend i.tick { width: 3px; background: #111827; }
svg.sparkline { display: block; width: 100px; height: 28px; overflow: visible; }
.graph { overflow: auto; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
.graph svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
footer { color: var(--muted); font-size: 0.8rem; padding-top: 4px; padding-bottom: 32px; }
@media (max-width: 720px) {
  header.page .inner, main, footer { padding-left: 12px; padding-right: 12px; }
  main section { padding: 14px; }
  .burn { grid-template-columns: 1fr; gap: 2px; }
  .burn .figures { margin-bottom: 8px; }
}
@media print {
  body { background: #fff; font-size: 11pt; }
  nav.sections { display: none; }
  main section { border: 0; padding: 0; margin: 0 0 18pt; break-inside: auto; content-visibility: visible; }
  .table-wrap, .graph { overflow: visible; max-height: none; border: 0; }
  tr, .card, ol.gaps > li, .burn > * { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  th .arrow { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


# The page may load nothing at all and run only its own script: even if markup slipped through
# escaping, the browser would neither fetch nor execute it.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; "
    "style-src 'unsafe-inline'; "
    "img-src data:; "
    f"script-src '{_script_hash(PAGE_SCRIPT)}'; "
    "base-uri 'none'; form-action 'none'"
)


Body = Html | Iterable[Html]  # a section's markup, whole or in pieces


@dataclass(frozen=True, slots=True)
class Section:
    """A section of the page: its anchor id, heading, and what makes its body (made when the page
    reaches it, so that a large plan's page is written a section at a time)."""

    id: str
    title: str
    body: Callable[[], Body]


def page(*, title: str, heading: str, subtitle: str, sections: Sequence[Section],
         footer: object = None) -> Iterator[str]:
    """A whole, self-contained HTML document: a header with links to each section, then the
    sections; in pieces, written as they are made."""
    navigation = element("nav", (element("a", s.title, href=f"#{s.id}") for s in sections),
                         class_="sections", aria_label="Sections")
    head = element(
        "head",
        element("meta", charset="utf-8"),
        element("meta", http_equiv="Content-Security-Policy", content=CONTENT_SECURITY_POLICY),
        element("meta", name="viewport", content="width=device-width, initial-scale=1"),
        element("meta", name="color-scheme", content="light"),
        element("title", title),
        # An empty icon, so the browser does not ask the file system or a server for favicon.ico.
        element("link", rel="icon", href="data:,"),
        element("style", Html(STYLE_SHEET)),
    )
    header = element("header", element("div", element("h1", heading), element("p", subtitle, class_="subtitle"),
                                        navigation, class_="inner"), class_="page")
    yield f"<!DOCTYPE html>\n{_opening('html', {'lang': 'en'})}{head}<body>{header}<main>"
    for section in sections:
        opening = _opening("section", {"id": section.id, "aria_labelledby": f"{section.id}-title"})
        yield f"{opening}{element('h2', section.title, id=f'{section.id}-title')}"
        body = section.body()
        if isinstance(body, str):
            yield body
        else:
            yield from body
        yield "</section>"
    yield f"</main>{element('footer', footer)}{element('script', Html(PAGE_SCRIPT))}</body></html>\n"
