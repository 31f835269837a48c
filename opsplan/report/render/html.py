"""The gap report as one self-contained HTML page: the page frame (title, subtitle, sections in
their order, footer), the summary cards and the gaps with their recommendations. The sections
about the plan's entities (budgets, KPIs, goals, programs) are in html_sections.py; headcount,
requisitions and capacity in html_people.py; earned value in html_budget.py; waivers in
html_waivers.py.

Formatting only: every figure comes from :class:`~opsplan.report.model.Report`, display names
and the goals view (drawn before rendering) from :class:`~opsplan.report.render.view.RenderOptions`. All plan text is escaped (see
:mod:`opsplan.report.render.html_page`), and the page loads nothing from anywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from opsplan import __version__
from opsplan.figures import money_grouped, pct
from opsplan.render.words import plural
from opsplan.report.model import Report
from opsplan.report.render import html_people
from opsplan.report.render.html_budget import initiatives
from opsplan.report.render.html_cells import (
    NO_FIGURE,
    badge,
    card,
    status_counts,
    worst_first,
)
from opsplan.report.render.html_page import Html, Section, element, join, page
from opsplan.report.render.html_sections import _budgets, _goals, _kpis, _programs
from opsplan.report.render.html_waivers import waivers_section
from opsplan.report.render.svg_charts import burn_bar
from opsplan.report.render.view import Names, RenderOptions
from opsplan.report.sections.shared import (
    Gap,
    GapSeverity,
    KpiStatus,
    PaceStatus,
    ScheduleStatus,
)


def render(report: Report, options: RenderOptions) -> Iterator[str]:
    """The whole page, as text to write to a ``.html`` file, a section at a time."""
    names = options.names
    sections = [
        Section("summary", "Summary", lambda: _summary(report, names)),
        Section("gaps", "Gaps and recommendations", lambda: _gaps(report.gaps, names)),
        Section("budgets", "Budgets", lambda: _budgets(report, names)),
        Section("kpis", "KPIs", lambda: _kpis(report, names)),
        Section("goals", "Goals", lambda: _goals(report, options.goals_view, names)),
        Section("headcount", "Headcount", lambda: html_people.headcount(report, names)),
        Section("requisitions", "Requisitions", lambda: html_people.requisitions(report, names)),
        Section("programs", "Programs", lambda: _programs(report, names)),
        Section("earned-value", "Earned value", lambda: initiatives(report, names)),
        Section("capacity", "Capacity", lambda: html_people.capacity(report, names)),
        *([Section("waivers", "Waivers", lambda: waivers_section(report))] if report.waivers else []),
    ]
    horizon = f"horizon {report.horizon_start.isoformat()} to {report.horizon_end.isoformat()}"
    subtitle = f"As of {report.as_of.isoformat()} · {horizon} · money in {report.currency}"
    if report.actuals_files:
        subtitle += f" · actuals from {plural(len(report.actuals_files), 'file')}"
    else:
        subtitle += " · no actuals: figures from the plan only"
    footer = join([f"Made by opsplan {__version__} from the plan and its actuals; ",
                   "money rounded to cents, percentages to one decimal."])
    return page(title=f"{report.organization}: gap report as of {report.as_of.isoformat()}",
                heading=f"{report.organization}: gap report", subtitle=subtitle, sections=sections,
                footer=footer)


# --- sections ----------------------------------------------------------------------------------


def _summary(report: Report, names: Names) -> Html:
    severities = Counter(gap.severity for gap in report.gaps)
    gap_detail = join([badge(f"{severities[severity]} {severity.value}", severity.tone)
                       for severity in worst_first(GapSeverity)], " ")
    cards = [card("gaps to act on", len(report.gaps), gap_detail)]
    if report.goals:
        cards.append(card("goals", len(report.goals),
                           status_counts((goal.status for goal in report.goals), PaceStatus)))
    if report.kpis:
        cards.append(card("KPIs", len(report.kpis),
                           status_counts((kpi.figures.status for kpi in report.kpis), KpiStatus)))
    if report.programs:
        behind = [program for program in report.programs if program.behind]
        cards.append(card("programs", len(report.programs),
                           status_counts((program.schedule for program in report.programs), ScheduleStatus),
                           badge(f"{len(behind)} behind plan", "bad" if behind else "good")))
    staffing = report.headcount_total
    if staffing is not None:
        actual = f"{staffing.actual:,}" if staffing.actual is not None else NO_FIGURE
        cards.append(card("people in the organisation (actual)", actual,
                           f"planned by now {staffing.planned:,}", f"in the plan {staffing.current:,}"))
    budget_cards = []
    for budget in report.budgets:
        burn = budget.burn
        bar = burn_bar(allocated=burn.allocated, expected=burn.expected, actual=burn.actual,
                       tone=burn.status.tone, label=f"{budget.name}: {money_grouped(burn.actual)} spent")
        pace = (f"starts {budget.start.isoformat()}" if budget.elapsed_days == 0
                else f"expected by now {money_grouped(burn.expected)}")
        budget_cards.append(card(
            f"of {budget.name} spent: {money_grouped(burn.actual)} of {money_grouped(burn.allocated)} "
            f"{report.currency}",
            f"{pct(burn.used_pct)}%" if burn.used_pct is not None else money_grouped(burn.actual),
            bar, join([pace, " ", badge(burn.status.value, burn.status.tone)])))
    return join([element("div", cards, class_="cards"),
                 element("div", budget_cards, class_="cards budget-cards") if budget_cards else None])


# A gap that concerns more entities than this lists the first few and folds the rest away.
ENTITIES_SHOWN = 6


def _concerned(gap: Gap) -> Html:
    entities = [element("span", f"{entity.kind} ", element("code", entity.id)) for entity in gap.entities]
    if len(entities) <= ENTITIES_SHOWN:
        return element("div", join(entities, ", "), class_="concerned")
    shown, folded = entities[:ENTITIES_SHOWN - 1], entities[ENTITIES_SHOWN - 1:]
    return element("div", join(shown, ", "), ", ",
                   element("details", element("summary", f"and {len(folded)} more"), join(folded, ", ")),
                   class_="concerned")


def _gaps(gaps: Sequence[Gap], names: Names) -> Html:
    if not gaps:
        return element("p", "No gaps: everything the report measures is on plan.", class_="empty")
    items = []
    for rank, gap in enumerate(gaps, start=1):
        tone = gap.severity.tone
        evidence = join([join([f"{item.label}: ", element("strong", item.value)]) for item in gap.evidence],
                        " · ")
        items.append(element(
            "li",
            element("div",
                    element("span", f"{rank}.", class_="muted"),
                    badge(gap.severity.value, tone),
                    element("span", gap.title, class_="gap-title"),
                    element("span", gap.kind.value.replace("-", " "), class_="muted small"),
                    class_="gap-head"),
            element("p", gap.recommendation, class_="recommendation"),
            element("p", evidence, class_="evidence") if gap.evidence else None,
            _concerned(gap) if gap.entities else None,
            class_=f"tone-{tone.value}", data_severity=gap.severity.value))
    return element("ol", items, class_="gaps")
