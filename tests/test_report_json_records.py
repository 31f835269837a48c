"""The report's largest records (KPIs, budgets, goals, gaps) are written straight as text: exactly the
text the layout makes of them as dictionaries, the dictionaries the report wrote them as before
(kept here as the reference), for any record at any depth."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_report_json_layout import reference

from opsplan.figures import money, number, pct
from opsplan.model import Better
from opsplan.report.phasing import MonthRow
from opsplan.report.render.json_layout import Rows, document_pieces, layout
from opsplan.report.render.json_records import RecordWriter
from opsplan.report.sections.budgets import BudgetReport, Burn, DepartmentBurn, LineReport
from opsplan.report.sections.goals import GoalReport, PathPoint, Supporter
from opsplan.report.sections.kpis import KpiReport, MeasureFigures, Observation, ReadingPoint
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
)

# --- the records as dictionaries ---------------------------------------------------------------


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _optional(write: Any, value: Decimal | None) -> str | None:
    return None if value is None else write(value)


def burn_record(figures: Burn) -> dict[str, Any]:
    return {"allocated": money(figures.allocated), "actual": money(figures.actual),
            "expected": money(figures.expected), "variance": money(figures.variance),
            "used_pct": _optional(pct, figures.used_pct), "status": figures.status.value,
            "forecast": _optional(money, figures.forecast),
            "forecast_variance": _optional(money, figures.forecast_variance), "run_out": _date(figures.run_out)}


def line_record(line: LineReport) -> dict[str, Any]:
    return {"id": line.id, "type": line.type, "category": line.category, "process": line.process,
            "program": line.program, "account": line.account, "phasing": line.phasing, **burn_record(line.burn),
            "supports_goals": list(line.supports_goals), "source": line.source}


def budget_record(budget: BudgetReport) -> dict[str, Any]:
    return {"id": budget.id, "name": budget.name, "start": _date(budget.start), "end": _date(budget.end),
            "elapsed_days": budget.elapsed_days, "period_days": budget.period_days, **burn_record(budget.burn),
            "departments": [{"department": department.department, "name": department.name,
                             "parent": department.parent, "own": burn_record(department.own),
                             "rolled_up": burn_record(department.rolled_up),
                             "lines": [line_record(line) for line in department.lines]}
                            for department in budget.departments],
            "months": [{"month": row.month, "planned": money(row.planned), "actual": _optional(money, row.actual),
                        "variance": _optional(money, row.variance),
                        "cumulative_planned": money(row.cumulative_planned),
                        "cumulative_actual": _optional(money, row.cumulative_actual)} for row in budget.months],
            "source": budget.source}


def figures_record(figures: MeasureFigures) -> dict[str, Any]:
    current = figures.current
    return {"unit": figures.unit, "better": figures.better.value, "baseline": _optional(number, figures.baseline),
            "target": number(figures.target),
            "current": None if current is None else {"value": number(current.value), "date": _date(current.date),
                                                     "source": current.source.value, "origin": current.origin},
            "gap": _optional(number, figures.gap), "attainment_pct": _optional(pct, figures.attainment_pct),
            "status": figures.status.value,
            "readings": [{"date": _date(point.date), "value": number(point.value)} for point in figures.history]}


def kpi_record(kpi: KpiReport) -> dict[str, Any]:
    return {"ref": kpi.ref, "process": kpi.process, "owner": kpi.owner, "name": kpi.name,
            **figures_record(kpi.figures), "cadence": kpi.cadence, "improved_by": list(kpi.improved_by),
            "measures_goals": list(kpi.measures_goals), "source": kpi.source}


def goal_record(goal: GoalReport) -> dict[str, Any]:
    figures = figures_record(goal.figures)
    status = figures.pop("status")
    return {"id": goal.id, "title": goal.title, "owner": goal.owner, "parent": goal.parent,
            "due": _date(goal.due), "perspective": goal.perspective, "measure": goal.measure, **figures,
            "measure_status": status, "path": [{"date": _date(point.date), "value": number(point.value),
                                                "kind": point.kind} for point in goal.path],
            "expected": _optional(number, goal.expected), "behind": _optional(number, goal.behind),
            "status": goal.status.value,
            "supporters": [{"kind": s.kind, "id": s.id, "name": s.name, "funded_by": list(s.funded_by)}
                           for s in goal.supporters],
            "supported": goal.supported, "supported_through": list(goal.supported_through),
            "funded": goal.funded, "source": goal.source}


def gap_record(rank: int, gap: Gap) -> dict[str, Any]:
    return {"rank": rank, "kind": gap.kind.value, "severity": gap.severity.value, "size_pct": pct(gap.size * 100),
            "title": gap.title, "entities": [{"kind": entity.kind, "id": entity.id} for entity in gap.entities],
            "evidence": [{"label": item.label, "value": item.value} for item in gap.evidence],
            "recommendation": gap.recommendation}


# --- random records ----------------------------------------------------------------------------

# Strings needing escapes, and the template's own `%` (a value holding `%s` is written as it is).
texts = st.one_of(st.text(max_size=5), st.sampled_from(['"', "\\", "\n", "\x7f", "\u2028", "%s", "100%", "é"]))
maybe_texts = st.none() | texts
names = st.lists(texts, max_size=3).map(tuple)
# Few digits and exponents: the same value written two ways (1.5, 1.50) comes up, as do values
# with more than four decimals (rounded) and with an exponent.
decimals = st.builds(lambda sign, digits, exponent: Decimal((sign, tuple(map(int, str(digits))), exponent)),
                     st.sampled_from([0, 1]), st.integers(0, 2000), st.integers(-6, 2))
maybe_decimals = st.none() | decimals
dates = st.dates(date(1999, 1, 1), date(2040, 12, 31))
maybe_dates = st.none() | dates
small = st.lists  # every list of a record: empty or a few

burns = st.builds(Burn, allocated=decimals, actual=decimals, expected=decimals, variance=decimals,
                  used_pct=maybe_decimals, status=st.sampled_from(BudgetStatus), forecast=maybe_decimals,
                  forecast_variance=maybe_decimals, run_out=maybe_dates)
lines = st.builds(LineReport, id=texts, department=texts, type=texts, category=maybe_texts, process=maybe_texts,
                  program=maybe_texts, account=maybe_texts, burn=burns, supports_goals=names, source=texts,
                  phasing=texts)
departments = st.builds(DepartmentBurn, department=texts, name=texts, parent=maybe_texts, own=burns,
                        rolled_up=burns, lines=small(lines, max_size=3).map(tuple))
months = st.builds(MonthRow, month=texts, planned=decimals, actual=maybe_decimals, variance=maybe_decimals,
                   cumulative_planned=decimals, cumulative_actual=maybe_decimals)
budgets = st.builds(BudgetReport, id=texts, name=texts, start=dates, end=dates, elapsed_days=st.integers(0, 999),
                    period_days=st.integers(0, 999), burn=burns, departments=small(departments, max_size=3).map(tuple),
                    source=texts, months=small(months, max_size=3).map(tuple))
measures = st.builds(
    MeasureFigures, unit=maybe_texts, better=st.sampled_from(Better), baseline=maybe_decimals, target=decimals,
    current=st.none() | st.builds(Observation, value=decimals, date=maybe_dates,
                                  source=st.sampled_from(CurrentSource), origin=texts),
    gap=maybe_decimals, attainment_pct=maybe_decimals, status=st.sampled_from(KpiStatus),
    history=small(st.builds(ReadingPoint, date=dates, value=decimals), max_size=4).map(tuple))
# As from actuals: the current value is the latest reading's own value object.
measures = measures | measures.map(lambda figures: replace(
    figures, current=replace(figures.current, value=figures.history[-1].value))
    if figures.current is not None and figures.history else figures)
kpis = st.builds(KpiReport, ref=texts, process=texts, owner=texts, name=texts, figures=measures, improved_by=names,
                 measures_goals=names, source=texts, cadence=maybe_texts)
goals = st.builds(
    GoalReport, id=texts, title=texts, owner=texts, parent=maybe_texts, due=dates, perspective=maybe_texts,
    measure=texts, figures=measures,
    path=small(st.builds(PathPoint, date=dates, value=decimals, kind=texts), max_size=3).map(tuple),
    expected=maybe_decimals, behind=maybe_decimals, status=st.sampled_from(PaceStatus),
    supporters=small(st.builds(Supporter, kind=texts, id=texts, name=texts, funded_by=names), max_size=2).map(tuple),
    funded=st.booleans(), source=texts, supported_through=names)
gaps = st.builds(Gap, kind=st.sampled_from(GapKind), severity=st.sampled_from(GapSeverity), size=decimals,
                 title=texts, entities=small(st.builds(EntityRef, kind=texts, id=texts), max_size=3).map(tuple),
                 evidence=small(st.builds(Evidence, label=texts, value=texts), max_size=3).map(tuple),
                 recommendation=texts)
depths = st.integers(0, 4)


# --- the records written -----------------------------------------------------------------------


@settings(max_examples=200)
@given(small(kpis, max_size=4), depths)
def test_kpis_are_written_as_their_dictionaries(records: list[KpiReport], depth: int) -> None:
    writer = RecordWriter()  # one for all: readings written before are written the same again
    for kpi in records:
        text, height = writer.kpi(kpi, depth)
        assert (text, height) == layout(kpi_record(kpi), depth)
        assert text == reference(kpi_record(kpi), depth)


@settings(max_examples=100)
@given(budgets, depths)
def test_a_budget_is_written_as_its_dictionary(budget: BudgetReport, depth: int) -> None:
    text, height = RecordWriter().budget(budget, depth)
    assert (text, height) == layout(budget_record(budget), depth)
    assert text == reference(budget_record(budget), depth)


@settings(max_examples=200)
@given(small(goals, max_size=3), depths)
def test_goals_are_written_as_their_dictionaries(records: list[GoalReport], depth: int) -> None:
    writer = RecordWriter()
    for goal in records:
        text, height = writer.goal(goal, depth)
        assert (text, height) == layout(goal_record(goal), depth)
        assert text == reference(goal_record(goal), depth)


@given(gaps, st.integers(1, 1000), depths)
def test_a_gap_is_written_as_its_dictionary(gap: Gap, rank: int, depth: int) -> None:
    text, height = RecordWriter().gap((rank, gap), depth)
    assert (text, height) == layout(gap_record(rank, gap), depth)
    assert text == reference(gap_record(rank, gap), depth)


@settings(max_examples=50)
@given(small(budgets, max_size=2), small(kpis, max_size=3), small(goals, max_size=2), small(gaps, max_size=2))
def test_a_document_of_records_is_written_as_the_document_of_their_dictionaries(
        budget_list: list[BudgetReport], kpi_list: list[KpiReport], goal_list: list[GoalReport],
        gap_list: list[Gap]) -> None:
    """How `opsplan report --format json` writes them: sections of rows, a record a piece."""
    expected = reference({"as_of": "2027-12-31", "budgets": [budget_record(budget) for budget in budget_list],
                          "kpis": [kpi_record(kpi) for kpi in kpi_list],
                          "goals": [goal_record(goal) for goal in goal_list],
                          "gaps": [gap_record(rank, gap) for rank, gap in enumerate(gap_list, start=1)]})

    def document() -> dict[str, Any]:
        writer = RecordWriter()
        return {"as_of": "2027-12-31", "budgets": Rows(budget_list, writer.budget),
                "kpis": Rows(kpi_list, writer.kpi), "goals": Rows(goal_list, writer.goal),
                "gaps": Rows(enumerate(gap_list, start=1), writer.gap)}

    assert "".join(document_pieces(document())) == expected
    assert layout(document(), 0)[0] == expected


def test_a_value_written_two_ways_keeps_each_way_in_readings() -> None:
    """Readings' values are written once each and reused: 1.5 and 1.50 are equal, yet each is
    written as it was measured."""
    writer = RecordWriter()
    history = (ReadingPoint(date(2027, 1, 31), Decimal("1.5")), ReadingPoint(date(2027, 2, 28), Decimal("1.50")))
    figures = MeasureFigures(None, Better.HIGHER, None, Decimal(2), None, None, None, KpiStatus.NO_DATA, history)
    kpi = KpiReport("p.k", "p", "ops", "K", figures, (), (), "plan.yaml:1")
    assert '"readings": [{"date": "2027-01-31", "value": "1.5"}, {"date": "2027-02-28", "value": "1.50"}]' in (
        writer.kpi(kpi, 2)[0])


def test_a_value_read_again_by_later_readings_is_written_as_first_written() -> None:
    """The loader makes one value object for each text it reads, shared by all the readings of that
    text: each is written as measured, in any KPI."""
    writer = RecordWriter()
    shared = Decimal("7.10")
    for month in (1, 2, 3):
        history = (ReadingPoint(date(2027, month, 1), shared), ReadingPoint(date(2027, month, 2), Decimal("7.1")))
        figures = MeasureFigures(None, Better.HIGHER, None, Decimal(2), None, None, None, KpiStatus.NO_DATA, history)
        text = writer.kpi(KpiReport("p.k", "p", "ops", "K", figures, (), (), "plan.yaml:1"), 2)[0]
        assert (f'"readings": [{{"date": "2027-0{month}-01", "value": "7.10"}}, '
                f'{{"date": "2027-0{month}-02", "value": "7.1"}}]') in text


def test_values_made_one_after_another_are_each_written_as_they_are() -> None:
    """A value gone is not taken for a new one made where it was (the same id): the writer keeps
    each value whose text it keeps."""
    writer = RecordWriter()
    for count in range(200):
        written = f"{count}.{'0' * (count % 4)}".rstrip(".")
        history = (ReadingPoint(date(2027, 1, 31), Decimal(written)),)
        figures = MeasureFigures(None, Better.HIGHER, None, Decimal(2), None, None, None, KpiStatus.NO_DATA, history)
        text = writer.kpi(KpiReport("p.k", "p", "ops", "K", figures, (), (), "plan.yaml:1"), 2)[0]
        assert f'"readings": [{{"date": "2027-01-31", "value": "{written}"}}]' in text
