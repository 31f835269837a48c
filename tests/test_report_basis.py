"""Properties of what every report section is built from, on generated actuals: the readings of
each measure, grouped from the loader's order in one pass, are every reading of that measure in
date order (ties in the order read), whatever order the rows come in."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from opsplan.load.actuals import Actuals, Reading, RowOrigin
from opsplan.report.sections.shared import readings_by_measure

readings = st.lists(st.tuples(st.sampled_from(("a.k", "b.k", "goal")), st.integers(0, 20)), max_size=40)


def as_readings(rows: list[tuple[str, int]]) -> tuple[Reading, ...]:
    return tuple(Reading(date(2027, 1, 1) + timedelta(days=day), measure, Decimal(line), RowOrigin("r.csv", line))
                 for line, (measure, day) in enumerate(rows, start=2))


@settings(max_examples=300, deadline=None)
@given(rows=readings, in_loader_order=st.booleans())
def test_each_measure_gets_its_readings_in_date_order(rows: list[tuple[str, int]], in_loader_order: bool) -> None:
    every = as_readings(rows)
    if in_loader_order:
        every = tuple(sorted(every, key=lambda reading: (reading.measure, reading.date)))
    grouped = readings_by_measure(Actuals(readings=every))
    assert set(grouped) == {reading.measure for reading in every}
    for measure, found in grouped.items():
        assert isinstance(found, tuple)
        # sorted() is stable: readings of one date stay in the order they were read
        expected = sorted((reading for reading in every if reading.measure == measure), key=lambda r: r.date)
        assert [reading.origin for reading in found] == [reading.origin for reading in expected]


@settings(max_examples=200, deadline=None)
@given(rows=readings, as_of_day=st.integers(0, 21))
def test_the_loaders_grouping_is_kept_only_while_no_reading_is_left_out(rows: list[tuple[str, int]],
                                                                          as_of_day: int) -> None:
    every = tuple(sorted(as_readings(rows), key=lambda reading: (reading.measure, reading.date)))
    grouped = readings_by_measure(Actuals(readings=every))
    as_of = date(2027, 1, 1) + timedelta(days=as_of_day)
    known = Actuals(readings=every, readings_by_measure=grouped).until(as_of)
    assert readings_by_measure(known) == readings_by_measure(Actuals(readings=every).until(as_of))
    assert (known.readings_by_measure is grouped) == all(reading.date <= as_of for reading in every)
