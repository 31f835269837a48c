"""The fast path for headcount rows against the careful path: on generated and hostile headcount
files, the same records in the same order with the same origins, and the same findings (code,
file:line:col, words and hint)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import ACME
from hypothesis import example, given, settings
from hypothesis import strategies as st

from opsplan.check.pipeline import check_path
from opsplan.load.actuals import load_actuals
from opsplan.model import Kind, Plan

ACME_PLAN = check_path(ACME)[1].plan
assert ACME_PLAN is not None


def tangled(plan: Plan) -> Plan:
    """The example plan with a department whose id is another's cost center (the id wins), one
    whose cost center is another's id, and a department dropped for a shape error (its rows are
    left out without a finding of their own)."""
    departments = dict(plan.departments)
    departments["CC-100"] = replace(departments["hr"], id="CC-100", cost_center="CC-999")
    departments["hr"] = replace(departments["hr"], cost_center="finance")
    return replace(plan, departments=departments,
                   invalid_ids={**plan.invalid_ids, Kind.DEPARTMENT: frozenset({"dropped"})})


PLANS = {"acme": ACME_PLAN, "tangled": tangled(ACME_PLAN)}

DATES = ["2027-01-31", "2027-02-28", " 2027-01-31 ", "2027-01-31\u00a0", "\t2027-02-28", "2027-02-30", "31/01/2027",
         "2027-1-31", "", "bad", "2027-W05-7", '"2027-01-31"']
DEPARTMENTS = ["warehouse", "transport", "CC-220", " CC-220", "CC-100", "CC-999", "finance", "hr", " warehouse ",
               "\twarehouse", "warehouse\u00a0", "Warehouse", "nowhere", "dropped", "", '"warehouse"', '"ware,house"']
COUNTS = ["183", "0", "7", "007", " 12 ", "12\u00a0", "-3", "-0", "+5", "12.0", "12.5", "0.0", "1e2", "1E2", "1e-1",
          "", "x", "NaN", "Infinity", "-Infinity", "1_000", '"1,000"', "1,000", "\u0661\u0662", "\u00b2",
          "999999999999999", "1000000000000000", "1000000000000001", "9" * 40, '"41"']
ODD_LINES = ["", "   ", ",,", " , , ", "2027-01-31,warehouse", "2027-01-31", "2027-01-31,warehouse,12,extra",
             "2027-01-31,warehouse,12,,", "2027-01-31,warehouse,12, ", '"broken', "x\ry", "2027-01-31,warehouse,12\r"]
HEADERS = ["date,department,headcount", "headcount,department,date", "date,department,headcount,note",
           " Date , Department ,HEADCOUNT", "department,date,headcount,,"]

row = st.tuples(st.sampled_from(DATES), st.sampled_from(DEPARTMENTS), st.sampled_from(COUNTS),
                st.sampled_from(["", "a note", '"a, b"']))
line = st.one_of(row.map(lambda cells: ("row", cells)), st.sampled_from(ODD_LINES).map(lambda text: ("odd", text)))


def render(header: str, cells: tuple[str, ...]) -> str:
    """A row's cells in the header's order; an unnamed column gets the note too."""
    date, department, count, note = cells
    by_name = {"date": date, "department": department, "headcount": count, "note": note, "": note}
    return ",".join(by_name[name.strip().lower()] for name in header.split(","))


def seen(result: tuple[Any, list[Any]]) -> tuple[Any, ...]:
    """Everything a report or a finding can show of the headcount, with each record's origin
    (which record equality leaves out)."""
    actuals, found = result
    headcount = [(row.date, row.department, row.headcount, str(row.origin)) for row in actuals.headcount]
    return (headcount, actuals, [(d.code, str(d.location), d.message, d.hint) for d in found])


@settings(max_examples=200, deadline=None)
@example("acme", [("date,department,headcount", [("row", ("2027-01-31", "warehouse", "12.5", ""))], "\n")], False, False)
@example("acme", [("date,department,headcount", [("row", ("2027-01-31", "warehouse", "12.0", "")),
                                                 ("row", ("2027-01-31", "warehouse", "-0", "")),
                                                 ("row", ("2027-01-31", "warehouse", "-3", "")),
                                                 ("row", ("2027-01-31", "warehouse", "1e2", "")),
                                                 ("row", ("2027-01-31", "warehouse", "", ""))], "\n")], False, False)
@example("tangled", [("date,department,headcount,note", [("row", ("2027-01-31", "CC-100", "4", "")),
                                                         ("row", ("2027-01-31", "finance", "5", "")),
                                                         ("row", (" 2027-01-31", "dropped", "6", "")),
                                                         ("odd", "2027-01-31,warehouse,12,extra")], "\r\n")], True, True)
@given(st.sampled_from(sorted(PLANS)),
       st.lists(st.tuples(st.sampled_from(HEADERS), st.lists(line, max_size=30), st.sampled_from(["\n", "\r\n"])),
                min_size=1, max_size=3), st.booleans(), st.booleans())
def test_the_fast_path_reads_headcount_exactly_as_the_careful_path_does(
        tmp_path_factory: pytest.TempPathFactory, plan: str, files: list[tuple[str, list[tuple[str, Any]], str]],
        doubled: bool, copy_first: bool) -> None:
    """Rows mix valid and hostile cells; ``doubled`` writes every row twice in a row (both are
    kept, in order), ``copy_first`` copies the first file (a duplicate export, OPS706)."""
    folder = tmp_path_factory.mktemp("headcount")
    for index, (header, lines, ending) in enumerate(files):
        text = [render(header, value) if kind == "row" else value for kind, value in lines]
        if doubled:
            text = [written for once in text for written in (once, once)]
        (folder / f"headcount-{index}.csv").write_bytes((ending.join([header, *text]) + ending).encode())
    if copy_first:
        shutil.copy(folder / "headcount-0.csv", folder / "headcount-9-copy.csv")
    fast = seen(load_actuals(folder, PLANS[plan]))
    assert fast == seen(load_actuals(folder, PLANS[plan], fast=False))


def test_plain_rows_are_read_by_the_fast_path_and_the_rest_carefully(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path takes the plain rows (ids, cost centers, padded cells, leading zeros) and
    hands every other row to the careful path, which reads the valid ones among them too."""
    from opsplan.load.actuals_reader import RowReader

    (tmp_path / "headcount.csv").write_text(
        "date,department,headcount\n2027-01-31,warehouse,183\n 2027-01-31 , CC-220 ,007\n"
        "2027-01-31,warehouse,12.0\n2027-01-31,warehouse,12.5\n2027-01-31,nowhere,3\n")
    careful: list[int] = []
    real = RowReader._read_row

    def read_row(reader: RowReader, *args: Any) -> None:
        careful.append(args[2])
        real(reader, *args)

    monkeypatch.setattr(RowReader, "_read_row", read_row)
    actuals, found = load_actuals(tmp_path, PLANS["acme"])
    assert careful == [4, 5, 6]
    assert [(row.department, row.headcount, row.origin.line) for row in actuals.headcount] == [
        ("warehouse", 183, 2), ("transport", 7, 3), ("warehouse", 12, 4)]
    assert [(d.code, str(d.location)) for d in found] == [("OPS703", "headcount.csv:5:22"),
                                                         ("OPS702", "headcount.csv:6:12")]
