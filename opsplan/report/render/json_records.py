"""The report's largest records, its KPIs, budgets (with their departments and lines), goals
and gaps, written straight as the text ``layout`` makes of their dictionaries. A ledger's report
has tens of thousands of them; making a dictionary of each and measuring how deeply it nests
took most of the time of writing the report, while the shape of each is known beforehand."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from opsplan.figures import money, number, pct
from opsplan.report.render.json_layout import DEEP, SHALLOW, encode_string
from opsplan.report.sections.budgets import BudgetReport, Burn, DepartmentBurn, LineReport
from opsplan.report.sections.goals import GoalReport, PathPoint
from opsplan.report.sections.kpis import HistoryPoint, KpiReport, MeasureFigures
from opsplan.report.sections.shared import Gap

# Statuses, sources and directions are str enums: their text is their value, written as any string.


class _Shape:
    """A record's keys in order, and its text in each layout as a frame around its values' texts:
    the text between the values, with a slot for each value, filled and joined at once. (Joining
    takes half the time of ``%`` formatting a template, which reads it character by character:
    a ledger's KPIs and budget lines have about twenty values each.)"""

    __slots__ = ("_item_a_line", "_names", "_one_line")

    def __init__(self, *keys: str) -> None:
        self._names = [encode_string(key) for key in keys]
        self._one_line = self._frame("{", ", ", "}")
        self._item_a_line: dict[int, list[str]] = {}  # by depth

    def one_line(self, values: tuple[str, ...]) -> str:
        """The record on one line."""
        return _filled(self._one_line, values)

    def written(self, values: tuple[str, ...], depth: int, *, nests_deep: bool) -> tuple[str, int]:
        """The record at ``depth``, an item a line when it nests deeper than two levels. Each of
        these records holds a list, so one on one line nests two levels."""
        if not nests_deep:
            return _filled(self._one_line, values), SHALLOW
        frame = self._item_a_line.get(depth)
        if frame is None:
            start = "\n" + "  " * (depth + 1)
            frame = self._item_a_line[depth] = self._frame("{" + start, "," + start, "\n" + "  " * depth + "}")
        return _filled(frame, values), DEEP

    def _frame(self, opening: str, separator: str, closing: str) -> list[str]:
        """The text around the values, with an empty slot after each key for its value."""
        frame: list[str] = []
        for at, name in enumerate(self._names):
            frame += [f"{separator if at else opening}{name}: ", ""]
        frame.append(closing)
        return frame


def _filled(frame: list[str], values: tuple[str, ...]) -> str:
    """A record's text: its frame with the values' texts in its slots."""
    text = frame.copy()
    text[1::2] = values  # ValueError unless there is a value for each slot
    return "".join(text)


_BURN_KEYS = ("allocated", "actual", "expected", "variance", "used_pct", "status", "forecast", "forecast_variance",
              "run_out")
_BURN = _Shape(*_BURN_KEYS)
_LINE = _Shape("id", "type", "category", "process", "program", "account", "phasing", *_BURN_KEYS, "supports_goals",
               "source")
_DEPARTMENT = _Shape("department", "name", "parent", "own", "rolled_up", "lines")
_MONTH = _Shape("month", "planned", "actual", "variance", "cumulative_planned", "cumulative_actual")
_BUDGET = _Shape("id", "name", "start", "end", "elapsed_days", "period_days", *_BURN_KEYS, "departments", "months",
                 "source")
_CURRENT = _Shape("value", "date", "source", "origin")
_MEASURE_KEYS = ("unit", "better", "baseline", "target", "current", "gap", "attainment_pct")
_KPI = _Shape("ref", "process", "owner", "name", *_MEASURE_KEYS, "status", "readings", "cadence", "improved_by",
              "measures_goals", "source")
_PATH_POINT = _Shape("date", "value", "kind")
_SUPPORTER = _Shape("kind", "id", "name", "funded_by")
_GOAL = _Shape("id", "title", "owner", "parent", "due", "perspective", "measure", *_MEASURE_KEYS, "readings",
               "measure_status", "path", "expected", "behind", "status", "supporters", "supported",
               "supported_through", "funded", "source")
_ENTITY = _Shape("kind", "id")
_EVIDENCE = _Shape("label", "value")
_GAP = _Shape("rank", "kind", "severity", "size_pct", "title", "entities", "evidence", "recommendation")


class RecordWriter:
    """Writes the records of one report. It keeps the text of each date and value of the
    readings it has written: a ledger's 215,000 readings hold 12 dates and 25,000 values."""

    def __init__(self) -> None:
        self._reading_starts: dict[date, str] = {}
        # A value's text by the value object itself (its id): the loader makes one Decimal for
        # each text it reads, so a ledger's readings share 25,000 of them, and looking one up by
        # id costs less than writing it with str (which must still tell 1.5 from 1.50, as == does
        # not). The values are kept, so no id is reused by another value while this writer lives.
        self._reading_ends: dict[int, str] = {}
        self._values: list[Decimal] = []

    def kpi(self, kpi: KpiReport, depth: int) -> tuple[str, int]:
        figures = kpi.figures
        return _KPI.written((
            encode_string(kpi.ref), encode_string(kpi.process), encode_string(kpi.owner), encode_string(kpi.name),
            *self._measure(figures), encode_string(figures.status), self._readings(figures.history),
            _string(kpi.cadence), _strings(kpi.improved_by), _strings(kpi.measures_goals), encode_string(kpi.source),
        ), depth, nests_deep=bool(figures.history))

    def goal(self, goal: GoalReport, depth: int) -> tuple[str, int]:
        figures = goal.figures
        supporters = [_SUPPORTER.one_line((encode_string(supporter.kind), encode_string(supporter.id),
                                              encode_string(supporter.name), _strings(supporter.funded_by)))
                      for supporter in goal.supporters]
        return _GOAL.written((
            encode_string(goal.id), encode_string(goal.title), encode_string(goal.owner), _string(goal.parent),
            _date(goal.due), _string(goal.perspective), encode_string(goal.measure), *self._measure(figures),
            self._readings(figures.history), encode_string(figures.status), _path(goal.path),
            _number(goal.expected), _number(goal.behind), encode_string(goal.status),
            _item_a_line(supporters, depth + 1), _boolean(goal.supported), _strings(goal.supported_through),
            _boolean(goal.funded), encode_string(goal.source),
        ), depth, nests_deep=bool(figures.history or goal.path or goal.supporters))

    def budget(self, budget: BudgetReport, depth: int) -> tuple[str, int]:
        departments = [_department(department, depth + 2) for department in budget.departments]
        months = [_MONTH.one_line((encode_string(row.month), _money(row.planned), _money(row.actual),
                                      _money(row.variance), _money(row.cumulative_planned),
                                      _money(row.cumulative_actual)))
                  for row in budget.months]
        return _BUDGET.written((
            encode_string(budget.id), encode_string(budget.name), _date(budget.start), _date(budget.end),
            str(budget.elapsed_days), str(budget.period_days), *_burn(budget.burn),
            _item_a_line(departments, depth + 1), f"[{', '.join(months)}]", encode_string(budget.source),
        ), depth, nests_deep=bool(departments or months))

    def gap(self, ranked: tuple[int, Gap], depth: int) -> tuple[str, int]:
        rank, gap = ranked
        entities = [_ENTITY.one_line((encode_string(entity.kind), encode_string(entity.id)))
                    for entity in gap.entities]
        evidence = [_EVIDENCE.one_line((encode_string(item.label), encode_string(item.value)))
                    for item in gap.evidence]
        return _GAP.written((
            str(rank), encode_string(gap.kind), encode_string(gap.severity), f'"{pct(gap.size * 100)}"',
            encode_string(gap.title), f"[{', '.join(entities)}]", f"[{', '.join(evidence)}]",
            encode_string(gap.recommendation),
        ), depth, nests_deep=bool(entities or evidence))

    def _readings(self, history: Sequence[HistoryPoint]) -> str:
        """A measure's history, the longest list of a report (a reading a month for years), on
        one line."""
        starts, ends = self._reading_starts, self._reading_ends
        try:
            texts = [starts[point.date] + ends[id(point.value)] for point in history]
        except KeyError:  # a date or value not written before: one KPI in five of a ledger's
            texts = self._learned(history)
        return f"[{', '.join(texts)}]"

    def _learned(self, history: Sequence[HistoryPoint]) -> list[str]:
        """The texts of ``history``'s readings, writing the dates and values not written before."""
        starts, ends = self._reading_starts, self._reading_ends
        texts = []
        for point in history:
            start = starts.get(point.date)
            if start is None:
                start = starts[point.date] = f'{{"date": "{point.date.isoformat()}", "value": "'
            end = ends.get(id(point.value))
            if end is None:
                self._values.append(point.value)
                end = ends[id(point.value)] = f'{number(point.value)}"}}'
            texts.append(start + end)
        return texts

    def _measure(self, figures: MeasureFigures) -> tuple[str, ...]:
        """What KPIs and goals both write of a measure, in the order of ``_MEASURE_KEYS``."""
        current = figures.current
        current_text = "null" if current is None else _CURRENT.one_line((
            _number(current.value), _date(current.date), encode_string(current.source), encode_string(current.origin)))
        return (_string(figures.unit), encode_string(figures.better), _number(figures.baseline),
                f'"{number(figures.target)}"', current_text, _number(figures.gap), _pct(figures.attainment_pct))


def _path(path: Sequence[PathPoint]) -> str:
    points = [_PATH_POINT.one_line((_date(point.date), f'"{number(point.value)}"', encode_string(point.kind)))
              for point in path]
    return f"[{', '.join(points)}]"


def _department(department: DepartmentBurn, depth: int) -> str:
    lines = [_line(line) for line in department.lines]
    return _DEPARTMENT.written((
        encode_string(department.department), encode_string(department.name), _string(department.parent),
        _BURN.one_line(_burn(department.own)), _BURN.one_line(_burn(department.rolled_up)),
        _item_a_line(lines, depth + 1),
    ), depth, nests_deep=bool(lines))[0]


def _line(line: LineReport) -> str:
    return _LINE.one_line((
        encode_string(line.id), encode_string(line.type), _string(line.category), _string(line.process),
        _string(line.program), _string(line.account), encode_string(line.phasing), *_burn(line.burn),
        _strings(line.supports_goals), encode_string(line.source)))


def _burn(burn: Burn) -> tuple[str, ...]:
    """A burn's figures in the order of ``_BURN_KEYS``."""
    return (f'"{money(burn.allocated)}"', f'"{money(burn.actual)}"', f'"{money(burn.expected)}"',
            f'"{money(burn.variance)}"', _pct(burn.used_pct), encode_string(burn.status), _money(burn.forecast),
            _money(burn.forecast_variance), _date(burn.run_out))


def _item_a_line(texts: list[str], depth: int) -> str:
    """A list at ``depth`` of items written already (at ``depth + 1``), each on its own line."""
    if not texts:
        return "[]"
    start = "\n" + "  " * (depth + 1)
    return f"[{start}{f',{start}'.join(texts)}\n{'  ' * depth}]"


# Figures and dates never need escaping: they are written between quotes as they are.


def _string(value: str | None) -> str:
    return "null" if value is None else encode_string(value)


def _strings(values: Sequence[str]) -> str:
    return f"[{', '.join([encode_string(value) for value in values])}]" if values else "[]"


def _number(value: Decimal | None) -> str:
    return "null" if value is None else f'"{number(value)}"'


def _money(value: Decimal | None) -> str:
    return "null" if value is None else f'"{money(value)}"'


def _pct(value: Decimal | None) -> str:
    return "null" if value is None else f'"{pct(value)}"'


def _date(value: date | None) -> str:
    return "null" if value is None else f'"{value.isoformat()}"'


def _boolean(value: bool) -> str:
    return "true" if value else "false"
