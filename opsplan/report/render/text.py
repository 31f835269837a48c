"""The report as a terminal dashboard: the gaps first, then compact tables of goals, KPIs,
budgets, headcount, requisitions, programs and process capacity. Colour only marks statuses, and only when asked for."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

import click

from opsplan.figures import measured, money_grouped, number, pct
from opsplan.render.escape import text as shown
from opsplan.report.model import Report
from opsplan.report.render.shared import (
    BURN_HEADERS,
    INITIATIVE_HEADERS,
    MONTH_HEADERS,
    TONE_OF_WORD,
    attrition,
    burn_cells,
    counts,
    initiative_cells,
    month_cells,
    percent,
    severities,
)
from opsplan.report.render.view import RenderOptions
from opsplan.report.sections.budgets import BudgetReport, DepartmentBurn
from opsplan.report.sections.capacity import CapacityReport, grouped, rate
from opsplan.report.sections.goals import GoalReport
from opsplan.report.sections.headcount import Staffing
from opsplan.report.sections.programs import ProgramReport, openings
from opsplan.report.sections.shared import Gap, KpiStatus, Tone
from opsplan.report.sections.waivers import EXPIRING_WITHIN, expiring

WIDTH = 100
# The terminal colour of each tone; a status is coloured by the tone it carries.
COLOURS = {Tone.BAD: "red", Tone.WARNING: "yellow", Tone.INFO: "cyan", Tone.NEUTRAL: "bright_black",
           Tone.GOOD: "green"}

Style = Callable[[str], str]


def render(report: Report, options: RenderOptions) -> str:
    return render_report_text(report, colour=options.colour)


def render_report_text(report: Report, *, colour: bool = False) -> str:
    def status(text: str) -> str:
        word = text.strip()
        if not colour or word.lower() not in TONE_OF_WORD:
            return text
        return text.replace(word, click.style(word, fg=COLOURS[TONE_OF_WORD[word.lower()]], bold=True))

    def heading(text: str) -> str:
        return click.style(text, bold=True) if colour else text

    # Escaped as a whole line too: a name of ":" followed by ": plan report" would start with `::`.
    lines = [heading(shown(f"{shown(report.organization)}: plan report as of {report.as_of}"))
             + f" (amounts in {shown(report.currency)})"]
    files = report.actuals_files
    lines.append(f"actuals: {', '.join(shown(file) for file in files)}" if files else "actuals: none (plan values only)")
    lines += ["", *_gaps(report, heading, status)]
    lines += ["", *_goals(report, heading, status)]
    lines += ["", *_kpis(report, heading, status)]
    for budget in report.budgets:
        lines += ["", *_budget(budget, heading, status)]
    lines += ["", *_headcount(report, heading)]
    lines += ["", *_requisitions(report, heading)]
    lines += ["", *_programs(report, heading, status)]
    lines += _initiatives(report, heading)
    lines += ["", *_capacity(report, heading)]
    if report.waivers:
        lines += ["", *_waivers(report, heading, status)]
    return "\n".join(lines) + "\n"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int], status_columns: set[int],
           status: Style, indent: str = "  ") -> list[str]:
    """Columns padded to their widest cell; statuses styled after padding so colour codes do not
    count towards widths. Every cell is shown as text (plan strings on one line)."""
    headers = [shown(cell) for cell in headers]
    rows = [[shown(cell) for cell in row] for row in rows]
    widths = [max(len(str(row[index])) for row in [headers, *rows]) for index in range(len(headers))]

    def line(row: Sequence[str], styled: bool) -> str:
        cells = []
        for index, cell in enumerate(row):
            text = cell.rjust(widths[index]) if index in right else cell.ljust(widths[index])
            cells.append(status(text) if styled and index in status_columns else text)
        return (indent + "  ".join(cells)).rstrip()

    return [line(headers, False), *(line(row, True) for row in rows)]


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_on_hyphens=False) or [indent]


# --- sections --------------------------------------------------------------------------------


def _gaps(report: Report, heading: Style, status: Style) -> list[str]:
    if not report.gaps:
        return [heading("GAPS") + "  none: everything measured is on plan"]
    lines = [heading("GAPS") + f"  {len(report.gaps)}: {counts(severities(report.gaps))}"]
    number_width = len(str(len(report.gaps)))
    for rank, gap in enumerate(report.gaps, start=1):
        lines += _gap(rank, gap, number_width, status)
    return lines


def _gap(rank: int, gap: Gap, number_width: int, status: Style) -> list[str]:
    indent = " " * (number_width + 12)
    severity = gap.severity.value.upper().ljust(6)
    lines = [f"  {str(rank).rjust(number_width)}  {status(severity)}  {shown(gap.title)}"]
    for item in gap.evidence:
        lines += _wrap(f"{shown(item.label)}: {shown(item.value)}", indent)
    lines += _wrap(f"-> {shown(gap.recommendation)}", indent)
    return lines


def _goals(report: Report, heading: Style, status: Style) -> list[str]:
    if not report.goals:
        return [heading("GOALS") + "  none in the plan"]
    rows = [_goal_row(goal, report.currency) for goal in report.goals]
    lines = [heading("GOALS") + f"  {len(report.goals)}: {counts([goal.status.value for goal in report.goals])}"]
    return lines + _table(["status", "goal", "current", f"expected {report.as_of}", "target", "due", "measure", "funded"],
                          rows, right={2, 3, 4}, status_columns={0}, status=status)


def _goal_row(goal: GoalReport, currency: str) -> list[str]:
    figures = goal.figures
    current = measured(figures.current.value, figures.unit, currency) if figures.current else "-"
    expected = measured(goal.expected, figures.unit, currency) if goal.expected is not None else "-"
    return [goal.status.value, goal.id, current, expected, measured(figures.target, figures.unit, currency),
            str(goal.due), goal.measure, "yes" if goal.funded else "no"]


def _kpis(report: Report, heading: Style, status: Style) -> list[str]:
    lines = [heading("KPIS") + f"  {len(report.kpis)}: {counts([kpi.figures.status.value for kpi in report.kpis])}"]
    moving = [kpi for kpi in report.kpis if kpi.figures.status in (KpiStatus.WORSENING, KpiStatus.IMPROVING)]
    moving.sort(key=lambda kpi: kpi.figures.status is not KpiStatus.WORSENING)
    if not moving:
        return lines
    rows = []
    for kpi in moving:
        figures = kpi.figures
        assert figures.current is not None
        rows.append([figures.status.value, kpi.ref, measured(figures.current.value, figures.unit, report.currency),
                     measured(figures.baseline, figures.unit, report.currency) if figures.baseline is not None else "-",
                     measured(figures.target, figures.unit, report.currency),
                     f"{pct(figures.attainment_pct)}%" if figures.attainment_pct is not None else "-",
                     str(figures.current.date) if figures.current.date else "plan"])
    lines.append("  worsening and improving (met and no-data not listed):")
    return lines + _table(["status", "KPI", "current", "baseline", "target", "attainment", "as of"], rows,
                          right={2, 3, 4, 5}, status_columns={0}, status=status)


def _depths(departments: Sequence[DepartmentBurn]) -> list[tuple[int, DepartmentBurn]]:
    """Departments in tree order (parents before their sub-departments), with their depth."""
    listed = {department.department for department in departments}
    children: dict[str | None, list[DepartmentBurn]] = {}
    for department in departments:
        parent = department.parent if department.parent in listed else None
        children.setdefault(parent, []).append(department)
    ordered: list[tuple[int, DepartmentBurn]] = []
    seen: set[str] = set()
    _visit(children, None, 0, seen, ordered)
    ordered += [(0, department) for department in departments if department.department not in seen]
    return ordered


def _visit(children: Mapping[str | None, list[DepartmentBurn]], parent: str | None, depth: int, seen: set[str],
           ordered: list[tuple[int, DepartmentBurn]]) -> None:
    # Not a closure: one calling itself is a reference cycle, and the command line runs without
    # the cyclic collector.
    for department in children.get(parent, []):
        if department.department not in seen:
            seen.add(department.department)
            ordered.append((depth, department))
            _visit(children, department.department, depth + 1, seen, ordered)


def _budget(budget: BudgetReport, heading: Style, status: Style) -> list[str]:
    title = heading(f"BUDGET {shown(budget.id)}") + f"  {shown(budget.name)}, {budget.start} to {budget.end}"
    if budget.elapsed_days == 0 and not budget.burn.actual:
        return [f"{title}: not started, {money_grouped(budget.burn.allocated)} allocated, nothing spent yet"]
    lines = [f"{title}, day {budget.elapsed_days} of {budget.period_days}"]
    rows = [["all departments", *burn_cells(budget.burn)]]
    for depth, department in _depths(budget.departments):
        label = "  " * depth + department.department
        if department.lines:
            rows.append([label, *burn_cells(department.own)])
        if department.rolled_up != department.own or not department.lines:
            rows.append([f"{label} + sub-departments" if department.lines else f"{label} (sub-departments)",
                         *burn_cells(department.rolled_up)])
    lines += _table(["department (own lines)", *BURN_HEADERS], rows, right={1, 2, 3, 4, 5, 6},
                    status_columns={8}, status=status)
    lines += ["  month by month (the departments above)"]
    return lines + _table(MONTH_HEADERS, [month_cells(row) for row in budget.months], right={1, 2, 3, 4, 5},
                          status_columns=set(), status=status, indent="    ")


def _initiatives(report: Report, heading: Style) -> list[str]:
    if not report.initiatives:
        return []
    lines = ["", heading("EARNED VALUE") + f"  {len(report.initiatives)} funded programs, as of {report.as_of}"]
    return lines + _table(INITIATIVE_HEADERS, [initiative_cells(item) for item in report.initiatives],
                          right=set(range(1, 11)), status_columns=set(), status=str)


def _staffing_cells(staffing: Staffing) -> list[str]:
    return [str(staffing.current), str(staffing.planned), "-" if staffing.actual is None else str(staffing.actual)]


def _headcount(report: Report, heading: Style) -> list[str]:
    lines = [heading("HEADCOUNT") + f"  planned at {report.as_of}; actual from the latest headcount row"]
    rows = []
    for head in report.headcount:
        ends = "; ".join(f"{end.planned} at end of {end.program} ({end.date})" for end in head.at_program_ends)
        rows.append([head.department, *_staffing_cells(head.own),
                     str(head.actual_date) if head.actual_date else "-", attrition(head.leavers, head.attrition_pct),
                     *_staffing_cells(head.rolled_up), ends])
    return lines + _table(["department", "current", "planned", "actual", "actual on", "attrition", "total current",
                           "total planned", "total actual", "hiring programs"], rows, right={1, 2, 3, 5, 6, 7, 8},
                          status_columns=set(), status=str)


def _requisitions(report: Report, heading: Style) -> list[str]:
    found = openings(report.programs)
    if not found:
        return [heading("REQUISITIONS") + "  none open or due"]
    lines = [heading("REQUISITIONS") + f"  should be open by {report.as_of}, and due in the next 30 days"]
    rows = [[opening.department, opening.program, opening.role.id, str(opening.requisitions.open_by_now),
             str(opening.role.hired), str(opening.requisitions.due_next_30_days),
             str(opening.requisitions.next_open_date or "-")] for opening in found]
    return lines + _table(["department", "program", "role", "open by now", "hired", "due in 30 days", "next opens"],
                          rows, right={3, 4, 5}, status_columns=set(), status=str)


def _capacity(report: Report, heading: Style) -> list[str]:
    if not report.capacity:
        return [heading("CAPACITY") + "  no process has a capacity or a demand"]
    lines = [heading("CAPACITY") + "  utilisation planned from demand, actual from the latest complete period; "
                                   "* the bottleneck of its part of the process graph"]
    rows = [[("* " if process.bottleneck else "") + process.process, _rate(process.capacity, process),
             _rate(process.demand, process), percent(process.planned_utilisation),
             percent(process.actual_utilisation), f"{number(process.utilisation_target)}%",
             "-" if process.wip is None else grouped(process.wip),
             "-" if process.fte_needed is None else grouped(process.fte_needed)] for process in report.capacity]
    return lines + _table(["process", "capacity", "demand", "planned", "actual", "target", "WIP", "FTE needed"],
                          rows, right={1, 2, 3, 4, 5, 6, 7}, status_columns=set(), status=str)


def _rate(figure: Decimal | None, process: CapacityReport) -> str:
    # The terminal's table leaves the unit out, to stay within 100 columns.
    return "-" if figure is None else rate(figure, None, process.per)


def _progress(program: ProgramReport) -> str:
    parts = []
    if program.roles:
        parts.append(f"{program.hired} of {program.planned_hires} hired by now")
        short = [f"{role.id} -{role.short}" for role in program.roles if role.short]
        if short:
            parts[-1] += f" ({', '.join(short)})"
    training = program.training
    if training is not None:
        completion = f"{pct(training.completion_pct)}%" if training.completion_pct is not None else "-"
        expected = f"{pct(training.expected_pct)}%" if training.expected_pct is not None else "-"
        target = f"{number(training.completion_target)}%" if training.completion_target is not None else "-"
        parts.append(f"{training.completed} completed ({completion}; {expected} expected by now, target {target})")
    if program.supports_goals:
        parts.append(f"goals: {', '.join(program.supports_goals)}")
    return "; ".join(parts)


def _programs(report: Report, heading: Style, status: Style) -> list[str]:
    if not report.programs:
        return [heading("PROGRAMS") + "  none in the plan"]
    lines = [heading("PROGRAMS") + f"  {len(report.programs)}: {counts([p.schedule.value for p in report.programs])}"]
    rows = [[program.schedule.value, program.id, program.type, f"{program.start} to {program.end}",
             "yes" if program.funded_by else "no", _progress(program)] for program in report.programs]
    return lines + _table(["schedule", "program", "type", "period", "funded", "progress"], rows, right=set(),
                          status_columns={0}, status=status)



def _waivers(report: Report, heading: Style, status: Style) -> list[str]:
    soon = len(expiring(report.waivers))
    lines = [heading("WAIVERS") + f"  {len(report.waivers)} active, {soon} expiring within {EXPIRING_WITHIN.days} days"]
    rows = [[waiver.id, waiver.rule, waiver.about, waiver.owner, waiver.expires.isoformat(), str(waiver.days_left),
             "expiring" if waiver.expiring else ""] for waiver in report.waivers]
    lines += _table(["waiver", "rule", "about", "owner", "expires", "days left", ""], rows, right={5},
                    status_columns=set(), status=status)
    return lines
