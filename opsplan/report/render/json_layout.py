"""How the report's JSON document is laid out: a container nesting at most two levels deep (a
reading, a role, a burn) on one line, a deeper one an item a line, each item laid out the same way
one level further in. Easy to read and diff, and written in pieces while the report is made."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

# A record's text at a depth, and how deeply it nests: what ``layout`` makes of its dictionary.
RecordLayout = Callable[[Any, int], tuple[str, int]]


class Rows:
    """A list of a document whose items are made only as it is written (once: it is an
    iterator). It is written exactly as the list of the same items would be. Items that are
    report records rather than dictionaries are written by ``record``, each as ``layout`` writes
    its dictionary."""

    __slots__ = ("items", "record")

    def __init__(self, items: Iterable[Any], record: RecordLayout | None = None) -> None:
        self.items = items
        self.record = record


def _one_line_encoder() -> Callable[[Any], str]:
    """json's encoder of one line, made once: ``JSONEncoder.encode`` makes a new C encoder for
    every value, which cost more than encoding the report's small records."""
    standard = json.JSONEncoder(ensure_ascii=False).encode
    make = getattr(json.encoder, "c_make_encoder", None)  # not in the type stubs
    if make is None:  # a Python built without json's accelerator
        return standard
    try:
        encoder = make(None, _not_json, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    except TypeError:  # a Python whose accelerator takes other arguments
        return standard
    return lambda value: "".join(encoder(value, 0))


def _not_json(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON")


_encode = _one_line_encoder()
encode_string = json.encoder.encode_basestring  # what the encoder writes a string with, without ensure_ascii
_CONTAINERS = (dict, list, Rows)
_CONTAINER_TYPES = frozenset(_CONTAINERS)  # the document is made of these exact types
FLAT, SHALLOW, DEEP = 1, 2, 3  # how deeply a container nests, as far as its layout cares
HOLDS_ROWS = 4  # not known until its rows are made


def layout(value: Any, depth: int) -> tuple[str, int]:
    """The text of a value at ``depth`` and how deeply it nests (0 for a plain value). A
    container nesting at most two levels deep (a reading, a role, a burn) stays on one line,
    encoded whole by json's fast encoder; a deeper one has an item a line, each laid out the same
    way one level further in: easy to read and diff (indenting everything with ``indent=`` falls
    back to a pure-Python encoder, several times slower on large plans)."""
    keys: list[str] = []
    items: Iterable[Any]
    item_layout: RecordLayout = _item_layout
    if isinstance(value, (dict, list)):
        height = _nesting(value)
        if height < DEEP:
            return _encode(value), height
        if height == DEEP:
            return _deep(value, depth), DEEP
        if isinstance(value, dict):  # it holds rows still to be made: how deep is known once they are
            keys, items = list(value), list(value.values())
        else:
            items = value
    elif isinstance(value, Rows):
        items = value.items  # made one at a time, as they are laid out
        item_layout = value.record or _item_layout
    else:
        return _encode(value), 0
    texts: list[str] = []
    height = FLAT
    for item in items:
        text, child = item_layout(item, depth + 1)
        height = max(height, min(DEEP, child + 1))
        texts.append(text)
    if height < DEEP:  # rows made as they were written turned out plain: one line after all
        if keys:
            return f"{{{', '.join(f'{encode_string(key)}: {text}' for key, text in zip(keys, texts, strict=True))}}}", height
        return f"[{', '.join(texts)}]", height
    start = f"\n{'  ' * (depth + 1)}"
    if keys:
        texts = [f"{start}{encode_string(key)}: {text}" for key, text in zip(keys, texts, strict=True)]
    else:
        texts = [start + text for text in texts]
    return f"{'{' if keys else '['}{','.join(texts)}\n{'  ' * depth}{'}' if keys else ']'}", DEEP


def _item_layout(item: Any, depth: int) -> tuple[str, int]:
    return layout(item, depth) if isinstance(item, _CONTAINERS) else (_plain(item), 0)


def _deep(value: dict[str, Any] | list[Any], depth: int) -> str:
    """A container known to nest deeper than two levels, an item a line."""
    inner = depth + 1
    if isinstance(value, dict):
        starts = _key_starts.setdefault(inner, {})
        lines = []
        for key, item in value.items():
            start = starts.get(key)
            if start is None:
                start = f"\n{'  ' * inner}{encode_string(key)}: "
                if len(starts) < 1000:  # the document's own names, not data
                    starts[key] = start
            lines.append(start + _text(item, inner))
        return f"{{{','.join(lines)}\n{'  ' * depth}}}"
    start = f"\n{'  ' * inner}"
    return f"[{','.join([start + _text(item, inner) for item in value])}\n{'  ' * depth}]"


_key_starts: dict[int, dict[str, str]] = {}  # depth -> key -> its line's start


def _text(value: Any, depth: int) -> str:
    return _item_layout(value, depth)[0]


def _nesting(value: dict[str, Any] | list[Any]) -> int:
    """FLAT for a container of plain values, SHALLOW when it also holds flat containers, DEEP when
    deeper, else HOLDS_ROWS when it holds rows still to be made, whose depth is known only once
    they are."""
    children = value.values() if isinstance(value, dict) else value
    containers = [child for child in children if type(child) in _CONTAINER_TYPES]  # most hold none
    if not containers:
        return FLAT
    rows = False
    for child in containers:
        if type(child) is Rows:
            rows = True
        elif any(type(inner) in _CONTAINER_TYPES for inner in (child.values() if type(child) is dict else child)):
            return DEEP
    return HOLDS_ROWS if rows else SHALLOW


def _plain(value: Any) -> str:
    """A plain value as json writes it; strings and nulls, most of them, without its encoder's
    set-up for each."""
    if isinstance(value, str):
        return encode_string(value)
    return "null" if value is None else _encode(value)


# --- the document in pieces ----------------------------------------------------------------------


def document_pieces(document: dict[str, Any]) -> Iterator[str]:
    """The document laid out as ``layout`` lays it out, its sections' items a piece each."""
    peeked: dict[str, Any] = {}
    for key, value in document.items():
        if isinstance(value, Rows):
            value, nests = _peeked(value)
            if not nests:  # all made already, and plain: a list like any other
                value = list(value.items)
        peeked[key] = value
    if _nesting(peeked) < DEEP:  # a report of nothing: one line
        yield _encode(peeked)
        return
    separator = "{\n"
    for key, value in peeked.items():
        yield f"{separator}  {encode_string(key)}: "
        if isinstance(value, Rows):
            yield from _rows_pieces(value, 1)
        else:
            yield layout(value, 1)[0]
        separator = ",\n"
    yield "\n}"


def _peeked(rows: Rows) -> tuple[Rows, bool]:
    """The same rows, and whether one of them is a container (whatever holds the list is then
    laid out an item a line), found by making the items up to the first container (a record
    is one)."""
    items = iter(rows.items)
    made = []
    for item in items:
        made.append(item)
        if rows.record is not None or isinstance(item, _CONTAINERS):
            return Rows(itertools.chain(made, items), rows.record), True
    return Rows(made, rows.record), False


ITEMS_A_PIECE = 32  # a few KB of text a piece: still written while the rest is made


def _rows_pieces(rows: Rows, depth: int) -> Iterator[str]:
    """A section's list at ``depth``, an item a line as soon as one item nests two levels deep,
    else on one line (decided before any of it is written, by holding the items until then)."""
    items = iter(rows.items)
    item_layout = rows.record or _item_layout
    held: list[str] = []
    pad = "  " * (depth + 1)
    for item in items:
        text, height = item_layout(item, depth + 1)
        if height >= SHALLOW:  # the list nests deeper than two levels: an item a line
            yield "[\n" + "".join(f"{pad}{earlier},\n" for earlier in held) + pad + text
            # The rest in pieces of ITEMS_A_PIECE items: each piece passes through the escaping
            # and the writer's generators, which cost more per piece than joining a few.
            separator = f",\n{pad}"
            batch: list[str] = []
            for later in items:
                batch.append(item_layout(later, depth + 1)[0])
                if len(batch) == ITEMS_A_PIECE:
                    yield separator + separator.join(batch)
                    batch = []
            if batch:
                yield separator + separator.join(batch)
            yield f"\n{'  ' * depth}]"
            return
        held.append(text)
    yield f"[{', '.join(held)}]"
