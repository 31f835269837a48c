"""Export tables as CSV files, one per table: numbers plain (a dot for decimals, money to cents),
dates as YYYY-MM-DD, and text that a spreadsheet would read as a formula led by `'`."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from opsplan.export.tables import Cell, CellType, Table
from opsplan.figures import money
from opsplan.render.escape import csv_text


def render_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.name for column in table.columns])
    for row in table.rows:
        writer.writerow([_cell(column.type, value) for column, value in zip(table.columns, row, strict=True)])
    return buffer.getvalue()


def _cell(kind: CellType, value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal) and kind is CellType.MONEY:
        return money(value)
    return format(value, "f") if isinstance(value, Decimal) else str(value)
