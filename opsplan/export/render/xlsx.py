"""Export tables as one XLSX workbook, written with XlsxWriter (imported here only), a row at a
time (its constant-memory mode, text written in each cell rather than in a table of shared
strings): the report of a large plan is never held whole as cells.

Every text cell is written as a string, never a formula; money, counts and percentages are
numbers with number formats, dates are dates; each sheet has its header frozen, an auto-filter
and fitted column widths. The same tables give the same bytes: the document's timestamps are
fixed, so an exported workbook can be committed and diffed.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from opsplan.export.tables import Cell, CellType, Table

# Wider columns than this wrap nothing and only push the next one off the screen.
MAX_WIDTH = 60
# Document properties are fixed so that the bytes depend on the tables alone.
FIXED_TIME = datetime(2000, 1, 1)
# Rows written between two reports of progress: XlsxWriter takes about 50 us a row of the
# 10,000-process plan's tables (250,000 rows, 13 s in all).
ROWS_A_STEP = 1024


def render_xlsx(tables: Sequence[Table], currency: str,
                advance: Callable[[int, int], None] | None = None) -> bytes:
    """The workbook's bytes; ``advance``, when given, is told the rows written so far and the
    rows of all the tables, now and then."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {
        "constant_memory": True,  # the 2,000,000-row ledger plan's report: 436 -> 359 MiB
        # XlsxWriter's conveniences would read `=...` text as a formula, `123` as a number and
        # `http://...` as a link: plan text stays text.
        "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
    })
    workbook.set_properties({"title": "opsplan export", "author": "opsplan", "created": FIXED_TIME})
    header = workbook.add_format({"bold": True, "bottom": 1})
    formats = {
        CellType.MONEY: workbook.add_format({"num_format": f'#,##0.00 "{_quoted(currency)}"'}),
        CellType.PERCENT: workbook.add_format({"num_format": "0.0%"}),
        CellType.DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        CellType.COUNT: workbook.add_format({"num_format": "0"}),
        CellType.NUMBER: workbook.add_format({"num_format": "General"}),
        CellType.TEXT: workbook.add_format({}),
    }
    total, before = sum(len(table.rows) for table in tables), 0
    for table in tables:
        sheet = workbook.add_worksheet(table.name[:31])
        widths = [len(column.name) for column in table.columns]
        for col, column in enumerate(table.columns):
            sheet.write_string(0, col, column.name, header)
        for row_number, row in enumerate(table.rows, start=1):
            for col, (column, value) in enumerate(zip(table.columns, row, strict=True)):
                shown = _write(sheet, row_number, col, column.type, value, formats[column.type])
                widths[col] = max(widths[col], len(shown))
            if advance is not None and row_number % ROWS_A_STEP == 0:
                advance(before + row_number, total)
        before += len(table.rows)
        if advance is not None:
            advance(before, total)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(width, MAX_WIDTH) + 2)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(table.rows), 1), max(len(table.columns) - 1, 0))
    workbook.close()
    return buffer.getvalue()


def _quoted(currency: str) -> str:
    # A currency is an ISO code by the schema; a quote in it would end the format's literal.
    return currency.replace('"', "")


def _write(sheet: Any, row: int, col: int, kind: CellType, value: Cell, cell_format: Any) -> str:
    """Write one cell by its type; return the text it shows, to fit the column's width."""
    if value is None:
        return ""
    if isinstance(value, str):
        sheet.write_string(row, col, value, cell_format)
        return value
    if isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), cell_format)
        return value.isoformat()
    number = Decimal(value)
    if kind is CellType.PERCENT:
        sheet.write_number(row, col, float(number / 100), cell_format)
        return f"{number}%"
    sheet.write_number(row, col, float(number), cell_format)
    return f"{number:,.2f}" if kind is CellType.MONEY else str(number)
