"""`opsplan ls` output: a table for people (within 100 columns), CSV and JSON with every field."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from opsplan.figures import money
from opsplan.listing.entries import Entry
from opsplan.render.escape import csv_text, json_safe, text

WIDTH = 100
# Columns that give way when the table would be wider than WIDTH: never the kind or the id,
# which people copy into a selector.
SHRINKABLE = frozenset({"name", "owner", "where", "figures", "file"})
MINIMUM = 8
NAME_FLOOR = 18


def value_of(entry: Entry, field: str) -> str | int | Decimal | date | None:
    if field == "where":
        return entry.where
    if field == "figures":
        return entry.figures()
    value: str | int | Decimal | date | None = getattr(entry, field)
    return value


def _shown(value: str | int | Decimal | date | None, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return money(value) if field == "allocated" else format(value, "f")
    return text(str(value))


def render_text(entries: Sequence[Entry], fields: Sequence[str], root: str) -> str:
    """A table within WIDTH columns; files relative to the plan's ``root`` (as the user wrote it)."""
    rows = [[_shown(value_of(entry, field), field) for field in fields] for entry in entries]
    widths = [max([len(field), *(len(row[i]) for row in rows)]) for i, field in enumerate(fields)]
    gaps = 2 * (len(fields) - 1)
    # Names give way first, down to NAME_FLOOR: the figures are what a listing is read for.
    if "name" in fields:
        i = list(fields).index("name")
        widths[i] = max(min(widths[i], NAME_FLOOR), widths[i] - (sum(widths) + gaps - WIDTH))
    # Then the widest of name, owner and where, a character at a time; the figures last.
    for shrinkable in (SHRINKABLE - {"figures"}, SHRINKABLE):
        columns = [i for i, field in enumerate(fields) if field in shrinkable]
        while sum(widths) + gaps > WIDTH:
            candidates = [i for i in columns if widths[i] > max(MINIMUM, len(fields[i]))]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: (widths[i], -i))
            widths[widest] -= 1
    lines = ["  ".join(field.upper().ljust(widths[i]) for i, field in enumerate(fields)).rstrip()]
    for row in rows:
        lines.append("  ".join(_fit(cell, widths[i]).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    count = len(entries)
    lines.append(f"{count} entit{'y' if count == 1 else 'ies'}"
                 + (f"; files relative to {text(root)}/" if "where" in fields or "file" in fields else ""))
    return "\n".join(lines) + "\n"


def _fit(cell: str, width: int) -> str:
    return cell if len(cell) <= width else cell[: width - 1] + "~"


def render_csv(entries: Sequence[Entry], fields: Sequence[str], root: str) -> str:
    entries = _from_here(entries, root)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for entry in entries:
        writer.writerow([_csv_cell(value_of(entry, field), field) for field in fields])
    return buffer.getvalue()


def _csv_cell(value: str | int | Decimal | date | None, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    if isinstance(value, Decimal):
        return money(value) if field == "allocated" else format(value, "f")
    return str(value)


def render_json(entries: Sequence[Entry], fields: Sequence[str], root: str) -> str:
    entries = _from_here(entries, root)
    document = {"entities": [{field: _json_value(value_of(entry, field), field) for field in fields}
                             for entry in entries]}
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def _json_value(value: str | int | Decimal | date | None, field: str) -> str | int | None:
    # Money and measured values as decimal strings, as in the report's JSON: exact, never a float.
    if value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, Decimal):
        return money(value) if field == "allocated" else format(value, "f")
    return value.isoformat()


def _from_here(entries: Sequence[Entry], root: str) -> list[Entry]:
    """Files as paths from the current folder (as the plan root was given), for tools."""
    from dataclasses import replace

    prefix = "" if root in ("", ".") else root.rstrip("/") + "/"
    return [replace(entry, file=prefix + entry.file) for entry in entries]
