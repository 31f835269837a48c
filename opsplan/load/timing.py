"""Format 1.1 fields about time and tolerance, typed: `report:` settings and `profiles:` of
opsplan.yaml, a budget line's `phasing:`, tolerances and cadences.

The shape check has run before: a value of the wrong shape was reported there and is skipped
here (the default applies), so one mistake stays one finding.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from opsplan.diagnostics import Location, did_you_mean
from opsplan.load.strict_yaml import number_in_range
from opsplan.model import (
    DEFAULT_REPORT_SETTINGS,
    EVEN,
    MONTH_KEYS,
    Cadence,
    Money,
    Origin,
    Phasing,
    Profile,
    ReportSettings,
    ScheduledMonth,
)
from opsplan.rules.codes import UNKNOWN_REFERENCE, WRONG_TYPE, Rule

Report = Callable[[Rule, str, Location, "str | None"], None]


def _decimal(raw: Any) -> Decimal | None:
    """A plain or quoted non-negative number in range, else None (the shape check said why)."""
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal, str)):
        return None
    try:
        value = Decimal(str(raw).replace("_", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 and number_in_range(value) else None


def report_settings(node: Mapping[str, Any]) -> ReportSettings:
    """`report:` of opsplan.yaml; each setting left out (or of a wrong shape) keeps its default."""
    raw = node.get("report")
    if not isinstance(raw, Mapping):
        return DEFAULT_REPORT_SETTINGS
    values: dict[str, Decimal] = {}
    for name in ("tolerance", "pace_tolerance", "at_risk", "materiality", "utilisation_target"):
        value = _decimal(raw.get(name))
        if value is not None:
            values[name] = value
    return ReportSettings(**values)


def profiles(node: Mapping[str, Any], origin: Origin) -> dict[str, Profile]:
    """`profiles:` of opsplan.yaml: each profile with all twelve month weights, non-negative."""
    raw = node.get("profiles")
    found: dict[str, Profile] = {}
    if not isinstance(raw, Mapping):
        return found
    for id, months in raw.items():
        if not isinstance(months, Mapping):
            continue
        weights = [_decimal(months.get(month)) for month in MONTH_KEYS]
        if all(weight is not None for weight in weights):
            found[id] = Profile(id, tuple(w for w in weights if w is not None),
                                Origin(origin.file, origin.node, ("profiles", id)))
    return found


def tolerance(raw: Any) -> Decimal | None:
    return _decimal(raw)


def cadence(raw: Any) -> Cadence | None:
    return Cadence(raw) if isinstance(raw, str) and raw in {c.value for c in Cadence} else None


def month_has_days_in(month: str, start: date, end: date) -> bool:
    """Whether a `YYYY-MM` month shares at least one day with the period."""
    year, number = int(month[:4]), int(month[5:7])
    first = date(year, number, 1)
    last = date(year, number, calendar.monthrange(year, number)[1])
    return first <= end and start <= last


def line_phasing(raw: Any, origin: Origin, amount: Money, rate: Decimal, known: Mapping[str, Profile],
                 period: tuple[date, date], report: Report) -> Phasing:
    """A line's `phasing:`: `even`, a profile id, or a schedule of amounts per month in the
    line's currency (``rate`` converts them into the plan currency, as the line's amount).

    An unknown profile (OPS202) or one whose weights are all zero over the budget's period
    (OPS103) is reported here and the line is read as even, so the plan's other figures still
    stand. Whether a schedule adds up (OPS406) and lies in the period (OPS407) are rules of
    their own (opsplan.rules.phasing)."""
    if raw is None or raw == "even":
        return EVEN
    if isinstance(raw, str):
        profile = known.get(raw)
        if profile is None:
            report(UNKNOWN_REFERENCE, f"unknown profile `{raw}` as phasing of line `{origin.path[-1]}`",
                   origin.at("phasing"),
                   did_you_mean(raw, ["even", *known]) or "declare it under `profiles:` in opsplan.yaml, or "
                   "write `even`")
            return EVEN
        start, end = period
        if start <= end and not any(profile.weights[number - 1] for number in _months_of(start, end)):
            report(WRONG_TYPE, f"profile `{raw}` weighs every month of the budget's period ({start} to {end}) "
                   f"as zero: line `{origin.path[-1]}` would plan nothing", origin.at("phasing"),
                   "give at least one month of the period a weight above zero, or use another profile")
            return EVEN
        return Phasing(profile=raw)
    if not isinstance(raw, Mapping):
        return EVEN
    months = []
    for month, written in raw.items():
        value = _decimal(written)
        if value is None:
            continue
        months.append(ScheduledMonth(str(month), Money(value, amount.currency), value * rate))
    return Phasing(schedule=tuple(months))


def _months_of(start: date, end: date) -> set[int]:
    """The calendar month numbers (1-12) a period touches."""
    if (end.year - start.year) * 12 + end.month - start.month >= 11:
        return set(range(1, 13))
    numbers, year, month = set(), start.year, start.month
    while (year, month) <= (end.year, end.month):
        numbers.add(month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return numbers
