"""The fast path for headcount rows: a row whose date is a plain date, whose department is a
department id or cost center of the plan, and whose headcount is a plain whole number is
recorded at once; anything else returns False and is read carefully (and explained) by the
reader. Both must agree on every valid row.

Only the plain spelling of a count is taken: ASCII digits alone (no sign, point, exponent,
separator or other script's digits), which the careful path reads as the same whole number and
which is in range by its length. Counts written otherwise ("12.0", "1e2", "-0") may be valid
too, but are rare: the careful path decides them."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from opsplan.load.actuals_records import HeadcountCount, RowOrigin
from opsplan.load.actuals_rows import parse_date

# At most 15 ASCII digits: below NUMBER_LIMIT (10**15) by construction, and never negative or
# fractional. Longer counts, signs, points and exponents are the careful path's to read.
PLAIN_COUNT = re.compile(r"[0-9]{1,15}")


def headcount_reader(departments: Mapping[str, str], columns: Mapping[str, int], width: int, name: str,
                     counts: list[HeadcountCount]) -> Callable[[Sequence[str], int], bool]:
    """A reader that appends a plainly valid row's count to ``counts`` and returns True, or
    returns False. ``departments`` maps each department id to itself and each cost center to
    its department, ids first, as the careful path resolves them."""
    at_date, at_department, at_count = columns["date"], columns["department"], columns["headcount"]
    plain = PLAIN_COUNT.fullmatch
    record = counts.append

    def read_headcount(cells: Sequence[str], line: int) -> bool:
        # A longer row is the careful path's: its extra cells may be empty, or a split value.
        if len(cells) > width:
            return False
        try:
            when = parse_date(cells[at_date].strip())
            department = departments.get(cells[at_department].strip())
            written = cells[at_count].strip()
        except IndexError:
            return False
        if when is None or department is None or not plain(written):
            return False
        record(HeadcountCount(when, department, int(written), RowOrigin(name, line)))
        return True

    return read_headcount
