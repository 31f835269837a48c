"""The report in Markdown, to paste into a pull request, an issue or a wiki page: the gaps first,
then tables. Plan strings are escaped (:mod:`opsplan.render.escape`) so that a `|` or a line break cannot
break a table and markup in a name or title shows as written."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from opsplan.figures import measured, money_grouped, number
from opsplan.render.escape import markdown_code, markdown_text
from opsplan.report.model import Report
from opsplan.report.render.shared import (
    BURN_HEADERS,
    INITIATIVE_HEADERS,
    MONTH_HEADERS,
    attrition,
    burn_cells,
    counts,
    initiative_cells,
    month_cells,
    percent,
    severities,
)
from opsplan.report.render.view import RenderOptions
from opsplan.report.sections.budgets import BudgetReport
from opsplan.report.sections.capacity import CapacityReport, grouped, rate
from opsplan.report.sections.kpis import KpiReport
from opsplan.report.sections.programs import ProgramReport, openings
from opsplan.report.sections.shared import Gap, Tone
from opsplan.report.sections.waivers import EXPIRING_WITHIN, expiring

MARKER = "<!-- opsplan-report -->"  # lets a CI job find and update its earlier comment
# The mark of each tone; a gap is marked by the tone its severity carries.
TONE_MARKS = {Tone.BAD: "🔴", Tone.WARNING: "🟠", Tone.INFO: "🔵", Tone.NEUTRAL: "⚪", Tone.GOOD: "🟢"}


def text(value: str) -> str:
    """A plan string as literal Markdown on one line: markup escaped, line breaks as spaces."""
    return markdown_text(value)


def prose(value: str) -> str:
    """Generated sentences (gap titles, evidence, recommendations): like ``text``, but a
    `backticked` span stays inline code, so `improves: [x]` reads as the YAML to write."""
    pieces = value.split("`")
    if len(pieces) % 2 == 0:  # an unpaired backtick: no code spans
        return text(value)
    return "".join(code(piece) if index % 2 else text(piece) for index, piece in enumerate(pieces))


def code(value: str) -> str:
    """An id, reference or file name as inline code, shown exactly (safe in a table cell too)."""
    return markdown_code(value, in_table=True)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    aligns = ["---:" if index in right else "---" for index in range(len(headers))]
    return [f"| {' | '.join(headers)} |", f"|{'|'.join(aligns)}|", *(f"| {' | '.join(row)} |" for row in rows)]


def render(report: Report, options: RenderOptions) -> str:
    return render_report_markdown(report)


def render_report_markdown(report: Report) -> str:
    parts = [MARKER, f"## {text(report.organization)}: plan report as of {report.as_of}", "",
             f"Amounts in {text(report.currency)}. "
             + (f"Actuals: {', '.join(markdown_code(file) for file in report.actuals_files)}." if report.actuals_files
                else "No actuals: plan values only.")]
    parts += ["", *_summary(report)]
    parts += ["", *_gaps(report)]
    parts += ["", *_goals(report)]
    parts += ["", *_kpis(report)]
    parts += ["", "### Budgets"]
    for budget in report.budgets:
        parts += ["", *_budget(budget, report.currency)]
    parts += ["", *_headcount(report)]
    parts += ["", *_requisitions(report)]
    parts += ["", *_programs(report)]
    parts += _initiatives(report)
    parts += ["", *_capacity(report)]
    if report.waivers:
        parts += ["", *_waivers(report)]
    return "\n".join(parts) + "\n"


def _counted(values: Sequence[str]) -> str:
    return counts(values) or "none"


def _summary(report: Report) -> list[str]:
    return [f"- **Gaps:** {len(report.gaps)} ({_counted(severities(report.gaps))})",
            f"- **Goals:** {_counted([goal.status.value for goal in report.goals])}",
            f"- **KPIs:** {_counted([kpi.figures.status.value for kpi in report.kpis])}",
            "- **Budgets:** " + ("; ".join(
                f"{code(budget.id)} {budget.burn.status.value}, {percent(budget.burn.used_pct)} used on day "
                f"{budget.elapsed_days} of {budget.period_days}" for budget in report.budgets) or "none"),
            f"- **Programs:** {_counted([program.schedule.value for program in report.programs])}"]


def _gaps(report: Report) -> list[str]:
    lines = ["### Gaps and recommendations"]
    if not report.gaps:
        return [*lines, "", "None: everything measured is on plan."]
    for rank, gap in enumerate(report.gaps, start=1):
        lines += ["", *_gap(rank, gap)]
    return lines


def _gap(rank: int, gap: Gap) -> list[str]:
    mark = TONE_MARKS[gap.severity.tone]
    lines = [f"{rank}. {mark} **{gap.severity.value}** · {code(gap.kind.value)} · {prose(gap.title)}"]
    lines += [f"   - {prose(item.label)}: {prose(item.value)}" for item in gap.evidence]
    lines.append(f"   - **Recommendation:** {prose(gap.recommendation)}")
    return lines


def _goals(report: Report) -> list[str]:
    lines = ["### Goals"]
    if not report.goals:
        return [*lines, "", "No goals in the plan."]
    rows = []
    for goal in report.goals:
        figures = goal.figures
        current = figures.current
        rows.append([
            goal.status.value, code(goal.id), text(goal.title), code(goal.measure),
            text(measured(current.value, figures.unit, report.currency)) if current else "-",
            text(measured(goal.expected, figures.unit, report.currency)) if goal.expected is not None else "-",
            text(measured(figures.target, figures.unit, report.currency)), str(goal.due),
            ", ".join(code(s.id) for s in goal.supporters)
            or ("through " + ", ".join(code(below) for below in goal.supported_through) if goal.supported else "-"),
            "yes" if goal.funded else "**no**"])
    return [*lines, "", *_table(["status", "goal", "title", "measure", "current", f"expected {report.as_of}",
                                 "target", "due", "supported by", "funded"], rows, right=(4, 5, 6))]


def _kpi_row(kpi: KpiReport, currency: str) -> list[str]:
    figures = kpi.figures
    current = figures.current
    if current is None:
        seen = "-"
    elif current.date is not None:
        seen = f"{current.date} ({code(current.origin)})"
    else:
        seen = f"plan ({code(current.origin)})"
    return [figures.status.value, code(kpi.ref), text(kpi.name),
            text(measured(current.value, figures.unit, currency)) if current else "-",
            text(measured(figures.baseline, figures.unit, currency)) if figures.baseline is not None else "-",
            text(measured(figures.target, figures.unit, currency)),
            number(figures.gap) if figures.gap is not None else "-", percent(figures.attainment_pct), seen]


def _kpis(report: Report) -> list[str]:
    lines = ["### KPIs"]
    if not report.kpis:
        return [*lines, "", "No KPIs in the plan."]
    rows = [_kpi_row(kpi, report.currency) for kpi in report.kpis]
    return [*lines, "", f"<details><summary>{len(report.kpis)} KPIs: "
            f"{_counted([kpi.figures.status.value for kpi in report.kpis])}</summary>", "",
            *_table(["status", "KPI", "name", "current", "baseline", "target", "gap", "attainment", "from"], rows,
                    right=(3, 4, 5, 6, 7)), "", "</details>"]


def _budget(budget: BudgetReport, currency: str) -> list[str]:
    title = (f"#### {code(budget.id)} {text(budget.name)}: {budget.start} to {budget.end}, day "
             f"{budget.elapsed_days} of {budget.period_days} ({currency})")
    headers = ["department", *BURN_HEADERS]
    right = (1, 2, 3, 4, 5, 6)
    rows = [["**all departments**", *burn_cells(budget.burn)]]
    for department in budget.departments:
        if department.lines:
            rows.append([f"{code(department.department)} {text(department.name)}", *burn_cells(department.own)])
        if department.rolled_up != department.own or not department.lines:
            rows.append([f"{code(department.department)} with sub-departments", *burn_cells(department.rolled_up)])
    if budget.elapsed_days == 0 and not budget.burn.actual:
        return [title, "", f"Not started: {money_grouped(budget.burn.allocated)} allocated, nothing spent yet."]
    lines = [title, "", *_table(headers, rows, right)]
    off_pace = [(department, line) for department in budget.departments for line in department.lines
                if line.burn.status.value != "on-plan"]
    if off_pace:
        line_rows = [[f"{code(department.department)} / {code(line.id)}", text(line.type), *burn_cells(line.burn)]
                     for department, line in off_pace]
        lines += ["", f"<details><summary>{len(off_pace)} lines off pace</summary>", "",
                  *_table(["line", "type", *headers[1:]], line_rows, right=(2, 3, 4, 5, 6, 7)), "", "</details>"]
    lines += ["", f"<details><summary>{len(budget.months)} months of {code(budget.id)}</summary>", "",
              *_table(MONTH_HEADERS, [month_cells(row) for row in budget.months], right=(1, 2, 3, 4, 5)),
              "", "</details>"]
    return lines


def _initiatives(report: Report) -> list[str]:
    if not report.initiatives:
        return []
    rows = [[code(cells[0]), *cells[1:]] for cells in map(initiative_cells, report.initiatives)]
    return ["", "### Earned value of funded programs", "",
            f"As of {report.as_of} ({report.currency}); CPI and SPI below 1 are behind: cost or schedule.", "",
            *_table(INITIATIVE_HEADERS, rows, right=tuple(range(1, 11)))]


def _headcount(report: Report) -> list[str]:
    rows = []
    for head in report.headcount:
        actual = "-" if head.own.actual is None else f"{head.own.actual} ({head.actual_date})"
        ends = "; ".join(f"{end.planned} at end of {code(end.program)} ({end.date})" for end in head.at_program_ends)
        rows.append([f"{code(head.department)} {text(head.name)}", str(head.own.current), str(head.own.planned),
                     actual, attrition(head.leavers, head.attrition_pct), str(head.rolled_up.current),
                     str(head.rolled_up.planned),
                     "-" if head.rolled_up.actual is None else str(head.rolled_up.actual), ends or "-"])
    return ["### Headcount", "", f"Planned at {report.as_of}: headcount plus the hires planned by then on roles "
            "landing on the department, net of its attrition. Totals include sub-departments; one without "
            "headcount rows counts as last counted.", "",
            *_table(["department", "current", "planned", "actual", "attrition", "total current", "total planned",
                     "total actual", "planned at program end"], rows, right=(1, 2, 3, 5, 6, 7))]


def _requisitions(report: Report) -> list[str]:
    found = openings(report.programs)
    if not found:
        return ["### Requisitions", "", "No requisition is open or due."]
    rows = [[code(opening.department), code(opening.program), code(opening.role.id),
             str(opening.requisitions.open_by_now), str(opening.role.hired),
             str(opening.requisitions.due_next_30_days), str(opening.requisitions.next_open_date or "-")]
            for opening in found]
    return ["### Requisitions", "", f"Requisitions that should be open by {report.as_of} (each opens its role's "
            "time to fill before its hire) and those due in the next 30 days, per department.", "",
            *_table(["department", "program", "role", "open by now", "hired", "due in 30 days", "next opens"], rows,
                    right=(3, 4, 5))]


def _capacity(report: Report) -> list[str]:
    if not report.capacity:
        return ["### Capacity", "", "No process has a capacity or a demand."]
    rows = [[code(process.process) + (" **bottleneck**" if process.bottleneck else ""),
             _rate(process.capacity, process), _rate(process.demand, process),
             percent(process.planned_utilisation), percent(process.actual_utilisation),
             f"{number(process.utilisation_target)}%", "-" if process.wip is None else grouped(process.wip),
             "-" if process.fte_needed is None else grouped(process.fte_needed)] for process in report.capacity]
    return ["### Capacity", "", "Utilisation planned from demand and actual from the latest complete period of "
            "volume; the bottleneck is the busiest process of its part of the process graph.", "",
            *_table(["process", "capacity", "demand", "planned", "actual", "target", "WIP", "FTE needed"], rows,
                    right=(1, 2, 3, 4, 5, 6, 7))]


def _rate(figure: Decimal | None, process: CapacityReport) -> str:
    return "-" if figure is None else rate(figure, text(process.unit) if process.unit else None, process.per)


def _program_progress(program: ProgramReport) -> str:
    parts = []
    if program.roles:
        parts.append(f"{program.hired} of {program.planned_hires} hired")
        parts += [f"{code(role.id)} {role.hired}/{role.planned}" for role in program.roles if role.planned]
    training = program.training
    if training is not None:
        parts.append(f"{training.completed} completed ({percent(training.completion_pct)}; "
                     f"{percent(training.expected_pct)} expected, target "
                     f"{number(training.completion_target) + '%' if training.completion_target is not None else '-'})")
    return "; ".join(parts) or "-"


def _programs(report: Report) -> list[str]:
    if not report.programs:
        return ["### Programs", "", "No programs in the plan."]
    rows = [[program.schedule.value, code(program.id), text(program.name), program.type,
             f"{program.start} to {program.end}", _program_progress(program),
             ", ".join(code(goal) for goal in program.supports_goals) or "-",
             "yes" if program.funded_by else "**no**"] for program in report.programs]
    return ["### Programs", "", *_table(["schedule", "program", "name", "type", "period", "progress", "goals",
                                         "funded"], rows)]



def _waivers(report: Report) -> list[str]:
    soon = len(expiring(report.waivers))
    rows = [[code(waiver.id), code(waiver.rule), text(waiver.about), code(waiver.owner),
             f"**{waiver.expires}**" if waiver.expiring else str(waiver.expires), str(waiver.days_left),
             text(waiver.reason)] for waiver in report.waivers]
    return ["### Waivers", "", f"{len(report.waivers)} active, {soon} expiring within {EXPIRING_WITHIN.days} days.", "",
            *_table(["waiver", "rule", "about", "owner", "expires", "days left", "reason"], rows, right=[5])]
