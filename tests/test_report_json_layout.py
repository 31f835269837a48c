"""The report's JSON layout: small records on one line, deeper containers an item a line. Lists
made item by item as they are written (`Rows`) are written exactly as the same lists held whole,
and both exactly as the first layout wrote them (kept here as the reference)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplan.report.render import json_layout
from opsplan.report.render.json_layout import Rows, document_pieces, layout

_encode = json.JSONEncoder(ensure_ascii=False).encode


def reference(value: Any, depth: int = 0) -> str:
    """The layout as it was first written: every container measured, the small ones encoded whole."""
    text, _ = _reference_layout(value, depth)
    return text if text is not None else _encode(value)


def _reference_layout(value: Any, depth: int) -> tuple[str | None, int]:
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return None, 0
    laid = [_reference_layout(item, depth + 1) if isinstance(item, (dict, list)) else (None, 0) for _, item in items]
    height = 1 + max((child[1] for child in laid), default=0)
    if height <= 2:
        return None, height
    pad = "  " * (depth + 1)
    texts = [text if text is not None else _encode(item) for (_, item), (text, _) in zip(items, laid, strict=True)]
    if isinstance(value, dict):
        body = ",\n".join(f"{pad}{_encode(key)}: {text}" for (key, _), text in zip(items, texts, strict=True))
        return f"{{\n{body}\n{'  ' * depth}}}", height
    body = ",\n".join(f"{pad}{text}" for text in texts)
    return f"[\n{body}\n{'  ' * depth}]", height


plain = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), st.text(max_size=4))
documents = st.recursive(plain, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=3), inner, max_size=4)), max_leaves=30)


def as_rows(value: Any, pick: st.DataObject) -> Any:
    """The same document with some of its lists (at any depth) made item by item."""
    if isinstance(value, dict):
        return {key: as_rows(item, pick) for key, item in value.items()}
    if isinstance(value, list):
        items = [as_rows(item, pick) for item in value]
        return Rows(iter(items)) if pick.draw(st.booleans()) else items
    return value


@settings(max_examples=300)
@given(documents, st.data())
def test_rows_are_written_as_the_lists_they_stand_for(document: Any, pick: st.DataObject) -> None:
    expected = reference(document)
    assert layout(document, 0)[0] == expected
    assert layout(as_rows(document, pick), 0)[0] == expected
    assert json.loads(expected) == document


@settings(max_examples=300)
@given(st.dictionaries(st.text(max_size=3), documents, max_size=5), st.data())
def test_a_document_written_in_pieces_is_the_document_written_whole(document: Any, pick: st.DataObject) -> None:
    """How `opsplan report --format json` writes: a piece at a time, the same text."""
    assert "".join(document_pieces(as_rows(document, pick))) == reference(document)


def test_a_report_of_nothing_stays_on_one_line() -> None:
    document = {"budgets": Rows(iter([])), "horizon": {"start": "2027-01-01"}, "files": ["a.csv"]}
    expected = '{"budgets": [], "horizon": {"start": "2027-01-01"}, "files": ["a.csv"]}'
    assert layout(document, 0)[0] == expected
    assert "".join(document_pieces({**document, "budgets": Rows(iter([]))})) == expected


def test_records_stay_on_one_line_under_an_item_a_line() -> None:
    document = {"kpis": Rows(iter([{"ref": "p.k", "readings": [{"date": "2027-01-31", "value": "1.5"}]}]))}
    assert layout(document, 0)[0] == (
        '{\n  "kpis": [\n    {\n      "ref": "p.k",\n'
        '      "readings": [{"date": "2027-01-31", "value": "1.5"}]\n    }\n  ]\n}')


@pytest.mark.parametrize("items_a_piece", [1, 2, 3, 32])
@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 70])
def test_rows_written_a_few_items_a_piece_are_the_rows_written_whole(
        items_a_piece: int, count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_layout, "ITEMS_A_PIECE", items_a_piece)
    rows = [{"id": str(number), "readings": [{"value": number}]} for number in range(count)]
    document = {"kpis": rows, "as_of": "2027-12-31"}
    pieces = list(document_pieces({**document, "kpis": Rows(iter(rows))}))
    assert "".join(pieces) == reference(document)
    assert len(pieces) == 6 + (count - 1 + items_a_piece - 1) // items_a_piece  # a piece each few rows
