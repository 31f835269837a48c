"""The values plan entities are made of: exact money, durations, cadences and periods, phasing
and the report's settings. Plain, immutable data; :mod:`opsplan.model` builds entities from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from opsplan.marks import Origin


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in a currency (ISO 4217 code)."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


# -- Time and tolerance (format 1.1): cadences, phasing, report settings ------------------------

class Cadence(str, Enum):
    """How often a KPI is measured; a reading older than 1.5 cadences is stale."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"

    @property
    def days(self) -> int:
        return _CADENCE_DAYS[self]


_CADENCE_DAYS = {Cadence.DAILY: 1, Cadence.WEEKLY: 7, Cadence.MONTHLY: 30, Cadence.QUARTERLY: 91,
                 Cadence.YEARLY: 365}
MONTH_KEYS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True, slots=True)
class Profile:
    """Month weights (January first) by which a line spends its amount over a period."""

    id: str
    weights: tuple[Decimal, ...]  # twelve, non-negative
    origin: Origin = field(compare=False)


@dataclass(frozen=True, slots=True)
class ScheduledMonth:
    """One month of a line's phasing schedule: what is planned to be spent in it."""

    month: str  # YYYY-MM
    amount: Money  # as written, in the line's currency
    allocated: Decimal  # in the plan currency


@dataclass(frozen=True, slots=True)
class Phasing:
    """How a line spends over its budget's period: evenly (neither field set), by a profile of
    month weights, or by a schedule of amounts per month."""

    profile: str | None = None
    schedule: tuple[ScheduledMonth, ...] | None = None

    @property
    def even(self) -> bool:
        return self.profile is None and self.schedule is None


EVEN = Phasing()


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """`report:` in opsplan.yaml; the defaults are format 1's fixed figures."""

    tolerance: Decimal = Decimal(5)  # percent of expected: the budget status band
    pace_tolerance: Decimal = Decimal(0)  # percent of a goal's |target - baseline|
    at_risk: Decimal = Decimal(10)  # percent of a goal's |target - baseline|
    materiality: Decimal = Decimal(0)  # plan currency
    utilisation_target: Decimal = Decimal(85)  # percent


DEFAULT_REPORT_SETTINGS = ReportSettings()


class Period(str, Enum):
    """A calendar period a rate is given per (capacity, demand); see :data:`DAYS_PER_PERIOD`."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class DurationUnit(str, Enum):
    MINUTES = "min"
    HOURS = "h"
    DAYS = "d"
    WEEKS = "w"


_HOURS_PER_UNIT = {DurationUnit.HOURS: Decimal(1), DurationUnit.DAYS: Decimal(24), DurationUnit.WEEKS: Decimal(168)}
MINUTES_PER_HOUR = Decimal(60)


@dataclass(frozen=True, slots=True)
class Duration:
    """A span of elapsed (calendar) time, written like ``20min``, ``4h``, ``2d`` or ``3w``."""

    value: Decimal
    unit: DurationUnit

    @property
    def hours(self) -> Decimal:
        if self.unit is DurationUnit.MINUTES:
            # Divided, not multiplied by a rounded 1/60: whole hours stay exact (90min is 1.5h).
            return self.value / MINUTES_PER_HOUR
        return self.value * _HOURS_PER_UNIT[self.unit]

    def __str__(self) -> str:
        return f"{self.value}{self.unit.value}"


@dataclass(frozen=True, slots=True)
class Capacity:
    """How much work a process can handle per period: a ``value``, or ``per_fte`` x ``fte``."""

    unit: str
    per: Period
    value: Decimal | None
    per_fte: Decimal | None
    fte: Decimal | None

    @property
    def amount(self) -> Decimal:
        """Units per period; the builder makes sure one of the two forms is complete."""
        if self.value is not None:
            return self.value
        assert self.per_fte is not None and self.fte is not None
        return self.per_fte * self.fte


@dataclass(frozen=True, slots=True)
class Demand:
    """The planned volume per period, in the unit of the process's capacity."""

    per: Period
    value: Decimal
