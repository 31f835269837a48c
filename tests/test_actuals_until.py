"""Property of the actuals known on a date: exactly the rows dated on or before it, in their
order; the same rows, not a copy, when none is later."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from opsplan.load.actuals_records import Actuals, Reading, RowOrigin

days = st.integers(0, 60).map(lambda day: date(2027, 1, 1) + timedelta(days=day))


@settings(max_examples=300, deadline=None)
@given(dates=st.lists(days, max_size=20), as_of=days)
def test_the_rows_known_on_a_date_are_those_dated_on_or_before_it(dates: list[date], as_of: date) -> None:
    readings = tuple(Reading(when, "p.k", Decimal(number), RowOrigin("kpi.csv", number + 2))
                     for number, when in enumerate(dates))
    known = Actuals(readings=readings).until(as_of).readings
    assert list(known) == [reading for reading in readings if reading.date <= as_of]
    assert [reading.origin.line for reading in known] == [reading.origin.line for reading in readings
                                                           if reading.date <= as_of]
    if all(when <= as_of for when in dates):
        assert known is readings
