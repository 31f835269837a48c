"""Plan and CSV strings made safe for each output format, one helper per format.

Names, titles, ids, file names and CSV cells arrive in pull requests, and what opsplan prints is
read by terminals, posted by CI as annotations and comments, and parsed by tools. Every renderer
of a format escapes through the helper of that format here, so no plan string can start a line,
a workflow command, a terminal escape sequence or markup of its own.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

# Characters no output should carry raw: C0 and C1 controls and DEL (terminal escape sequences,
# line breaks), the bidirectional overrides and isolates (text that reads other than it is),
# line and paragraph separators, lone surrogates (a file name that is not UTF-8, decoded with
# surrogateescape) and the two non-characters XML forbids.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufffe\uffff]")
# In JSON text the C0 controls are escaped by the encoder already; a raw line break there is
# layout between values, never inside a string.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                          "\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    character = match.group()
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as surrogateescape kept it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


# --- text (terminal, CI logs) --------------------------------------------------------------------


# A value that begins a line of output (an organisation's name heads the report) must not begin
# with `::`, which GitHub's runner reads as a workflow command even after leading spaces.
_COMMAND_START = re.compile(r"^(\s*):(?=:)")


def text(value: str) -> str:
    """``value`` on one line with every control character shown as an escape (``\\n``, ``\\x1b``,
    ``\\u202e``): it cannot start a new line, move the cursor, set the clipboard or reorder text,
    and a leading ``::`` is written ``\\x3a:`` so it cannot start a workflow command either."""
    if _UNSAFE.search(value):
        value = _UNSAFE.sub(_visible, value)
    return _COMMAND_START.sub(r"\1\\x3a", value) if value.lstrip().startswith("::") else value


# --- GitHub workflow commands --------------------------------------------------------------------


def github_data(value: str) -> str:
    """The message of a workflow command: GitHub decodes ``%25``, ``%0D`` and ``%0A``, so those
    three are encoded; other controls are shown as escapes, as in text."""
    return text(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def github_property(value: str) -> str:
    """A property value (``file=...``, ``title=...``): ``:`` and ``,`` would end it, so they are
    encoded too."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


# --- Markdown (pull-request comments, wikis) -----------------------------------------------------

# Characters Markdown (CommonMark and GitHub's tables) would read as markup inside a line; with
# `[` and `]` escaped, parentheses cannot form a link, and no escaped text starts a line.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_SPACES = re.compile(r"\s+")
_BACKTICKS = re.compile("`+")


def markdown_text(value: str) -> str:
    """A plan string as literal Markdown on one line: markup escaped, line breaks as spaces, other
    controls shown as escapes."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text(_SPACES.sub(" ", value)))


def _longest_backticks(value: str) -> int:
    return max((len(run) for run in _BACKTICKS.findall(value)), default=0)


def markdown_code(value: str, *, in_table: bool = False) -> str:
    """``value`` as inline code, shown exactly: delimited by more backticks than any run inside it
    (padded with a space where it starts or ends with one); in a table cell ``|`` is escaped,
    which GitHub's tables require even inside code."""
    shown = text(value)
    if not shown:
        return "` `"
    ticks = "`" * (_longest_backticks(shown) + 1)
    padded = f" {shown} " if shown[0] in "` " or shown[-1] in "` " else shown
    if in_table:
        padded = padded.replace("|", "\\|")
    return f"{ticks}{padded}{ticks}"


def markdown_fence(lines: Iterable[str], info: str = "") -> list[str]:
    """A fenced code block holding ``lines`` as written: each line shown as in text (so none can
    end the block early by holding a line break), fenced by more backticks than any run inside."""
    shown = [text(line) for line in lines]
    fence = "`" * max(3, max((_longest_backticks(line) for line in shown), default=0) + 1)
    return [f"{fence}{info}", *shown, fence]


# --- HTML and XML --------------------------------------------------------------------------------


def xml_text(value: str) -> str:
    """Text for an XML (or HTML) document: XML 1.0 cannot carry most control characters even as
    references, so they are shown as escapes; ``&``, ``<`` and ``>`` are left to the serialiser."""
    return text(value)


def html_text(value: str) -> str:
    """Text or a double-quoted attribute value in HTML: controls shown as escapes, then
    ``& < > " '`` as entities."""
    return html.escape(text(value), quote=True)


# --- JSON ----------------------------------------------------------------------------------------


def json_document(document: Any, *, sort_keys: bool = False) -> str:
    """``document`` as indented JSON ending in a line break. JSON escapes C0 controls itself; C1
    controls, bidi characters, separators and lone surrogates are written as ``\\uXXXX`` escapes
    too, so the bytes hold no controls and always encode as UTF-8, while the values stay exact."""
    return json_safe(json.dumps(document, indent=2, sort_keys=sort_keys, ensure_ascii=False)) + "\n"


def json_safe(encoded: str) -> str:
    """JSON text with the characters ``json_document`` escapes written as ``\\uXXXX``: in JSON
    text they can only stand inside strings, where the escape means the same character."""
    if encoded.isascii() and "\x7f" not in encoded:  # of them only DEL is ASCII: no search needed
        return encoded
    return _JSON_UNSAFE.sub(_json_escape, encoded) if _JSON_UNSAFE.search(encoded) else encoded


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


# --- Graphviz DOT and Mermaid --------------------------------------------------------------------


def dot_string(value: str) -> str:
    """A DOT quoted string that Graphviz shows exactly as ``value``: quotes and backslashes
    escaped, line breaks as DOT's ``\\n`` line breaks, ``&`` as ``&amp;`` (Graphviz decodes
    character entities in ordinary labels), other controls shown as escapes."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # An empty line is written as one space: Graphviz compiled to WebAssembly fails to lay out
    # some labels that start with an empty line (a name starting with a line break).
    escaped = [text(line).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;") or " " for line in lines]
    return '"' + "\\n".join(escaped) + '"'


_MERMAID_ENTITIES = {
    "#": "#35;", '"': "#quot;", "&": "#amp;", "<": "#lt;", ">": "#gt;", "{": "#123;", "}": "#125;",
    "|": "#124;", "[": "#91;", "]": "#93;", "(": "#40;", ")": "#41;", "`": "#96;", "\\": "#92;",
    "*": "#42;", "_": "#95;", "~": "#126;",
}


def mermaid_label(value: str) -> str:
    """A quoted Mermaid label showing ``value`` as written: anything Mermaid could read as syntax
    or markup as an entity code, line breaks as ``<br/>``, other controls shown as escapes."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    escaped = ["".join(_MERMAID_ENTITIES.get(character, character) for character in text(line)) for line in lines]
    return '["' + "<br/>".join(escaped) + '"]'


# --- spreadsheets (CSV and XLSX) -------------------------------------------------------------------

# A cell whose text starts with one of these is read by spreadsheet programs as a formula (or, for
# tab and CR, may become one once trimmed): `=HYPERLINK(...)` in a process name would run on open.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """Plan or CSV text for a CSV cell: one that a spreadsheet would take for a formula gets a
    leading `'`, which shows it as text (numbers opsplan writes are not text and keep their sign)."""
    return f"'{value}" if value.startswith(FORMULA_START) else value
