"""The HTML page's people and capacity sections: headcount with attrition and a chart of planned
against counted per department, requisitions per department, and process capacity with the
bottleneck of each part of the process graph. Formatting only, like the page module."""

from __future__ import annotations

from decimal import Decimal

from opsplan.figures import number
from opsplan.report.model import Report
from opsplan.report.render.html_cells import (
    NO_FIGURE,
    badge,
    date_cell,
    int_cell,
    list_of,
    pct_cell,
)
from opsplan.report.render.html_page import Cell, Column, Html, element, join, table
from opsplan.report.render.shared import attrition
from opsplan.report.render.svg_charts import planned_against_actual
from opsplan.report.render.view import Names
from opsplan.report.sections.capacity import CapacityReport, grouped, rate
from opsplan.report.sections.headcount import HeadcountReport
from opsplan.report.sections.programs import openings
from opsplan.report.sections.shared import Tone

HEADCOUNT_COLUMNS = (
    Column("Department", wide=True), Column("In the plan", numeric=True), Column("Planned by now", numeric=True),
    Column("Actual", numeric=True), Column("Attrition"), Column("Planned and counted", sortable=False),
    Column("Total planned", numeric=True), Column("Total actual", numeric=True),
    Column("Planned when hiring ends", wide=True),
)


def _headcount_row(department: HeadcountReport, names: Names) -> list[Cell]:
    at_ends = [join([f"{planned.planned:,} ", element("span", f"by {planned.date.isoformat()}, "
                                                              f"{names.program(planned.program)}", class_="muted")])
               for planned in department.at_program_ends]
    actual = department.own.actual
    history = [(point.date, point.planned, point.actual) for point in department.history]
    return [
        Cell(element("span", department.name, class_="indent", style=f"padding-left:{department.depth * 14}px"),
             sort_key=department.name),
        int_cell(department.own.current),
        int_cell(department.own.planned),
        (int_cell(None) if actual is None else
         Cell(join([f"{actual:,}", element("span", department.actual_date.isoformat() if department.actual_date
                                           else "", class_="sub", title=department.actual_origin)]),
              sort_key=actual, numeric=True)),
        Cell(NO_FIGURE if department.leavers is None else attrition(department.leavers, department.attrition_pct),
             sort_key=department.attrition_pct if department.attrition_pct is not None else ""),
        Cell(planned_against_actual(history, label=f"{department.name}, planned against counted")
             if history else NO_FIGURE),
        int_cell(department.rolled_up.planned),
        int_cell(department.rolled_up.actual),
        Cell(list_of(at_ends), sort_key=len(at_ends)),
    ]


def headcount(report: Report, names: Names) -> Html:
    return table(HEADCOUNT_COLUMNS, (_headcount_row(department, names) for department in report.headcount),
                 caption="Headcount per department: the plan's figure, planned by the as-of date (hires spread "
                         "from each role's start to its `by` date, on the department the role names, net of "
                         "attrition), the latest count, people who left since the horizon started; the chart "
                         "draws planned (dashed) against counted on each headcount row; totals include "
                         "sub-departments",
                 table_id="headcount-table", empty="The plan has no departments.")


REQUISITION_COLUMNS = (
    Column("Department", wide=True), Column("Program", wide=True), Column("Role"),
    Column("Open by now", numeric=True), Column("Hired", numeric=True), Column("Due in 30 days", numeric=True),
    Column("Next opens"),
)


def requisitions(report: Report, names: Names) -> Html:
    rows = ([Cell(names.department(opening.department), sort_key=opening.department),
             Cell(names.program(opening.program), sort_key=opening.program), opening.role.id,
             int_cell(opening.requisitions.open_by_now), int_cell(opening.role.hired),
             int_cell(opening.requisitions.due_next_30_days), date_cell(opening.requisitions.next_open_date)]
            for opening in openings(report.programs))
    return table(REQUISITION_COLUMNS, rows,
                 caption=f"Requisitions that should be open by {report.as_of.isoformat()} (each opens its role's "
                         "time to fill before its planned hire) and those due in the next 30 days",
                 table_id="requisitions-table", empty="No requisition is open or due.")


CAPACITY_COLUMNS = (
    Column("Process", wide=True), Column("Capacity", numeric=True), Column("Demand", numeric=True),
    Column("Planned", numeric=True), Column("Actual", numeric=True), Column("Target", numeric=True),
    Column("WIP", numeric=True), Column("FTE needed", numeric=True),
)


def _rate(figure: Decimal | None, process: CapacityReport) -> Cell:
    if figure is None:
        return Cell(NO_FIGURE, sort_key="", numeric=True)
    return Cell(rate(figure, process.unit, process.per), sort_key=figure, numeric=True)


def _figure(value: Decimal | None) -> Cell:
    return Cell(NO_FIGURE if value is None else grouped(value), sort_key="" if value is None else value, numeric=True)


def _capacity_row(process: CapacityReport, names: Names) -> list[Cell]:
    name: list[object] = [names.process(process.process)]
    if process.bottleneck:
        name += [" ", badge("bottleneck", Tone.WARNING)]
    return [Cell(join(name), sort_key=process.process), _rate(process.capacity, process),
            _rate(process.demand, process), pct_cell(process.planned_utilisation),
            pct_cell(process.actual_utilisation),
            Cell(f"{number(process.utilisation_target)}%", sort_key=process.utilisation_target, numeric=True),
            _figure(process.wip), _figure(process.fte_needed)]


def capacity(report: Report, names: Names) -> Html:
    return table(CAPACITY_COLUMNS, (_capacity_row(process, names) for process in report.capacity),
                 caption="Process capacity: utilisation planned from demand and actual from the latest complete "
                         "period of volume, against the target; work in progress by Little's law; the "
                         "bottleneck is the busiest process of its part of the process graph",
                 table_id="capacity-table", empty="No process has a capacity or a demand.")
