"""The plan as immutable data: what the YAML says, typed, defaulted and with references resolved.

Built once by :mod:`opsplan.load.build`, then only read. Every entity keeps an :class:`Origin`, so
rules and reports can point at the exact key or value a figure came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from opsplan.diagnostics import Location, Severity
from opsplan.load.source import locate


class Kind(str, Enum):
    DEPARTMENT = "departments"
    PROCESS = "processes"
    BUDGET = "budgets"
    GOAL = "goals"
    PROGRAM = "programs"

    @property
    def singular(self) -> str:
        return "process" if self is Kind.PROCESS else self.value[:-1]


class ProcessType(str, Enum):
    CORE = "core"
    SUPPORT = "support"
    MANAGEMENT = "management"


class Better(str, Enum):
    HIGHER = "higher"
    LOWER = "lower"


class LineType(str, Enum):
    OPEX = "opex"
    CAPEX = "capex"


class Perspective(str, Enum):
    FINANCIAL = "financial"
    CUSTOMER = "customer"
    INTERNAL = "internal"
    LEARNING = "learning"


class ProgramType(str, Enum):
    INITIATIVE = "initiative"
    HIRING = "hiring"
    TRAINING = "training"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entity was written: its file and its YAML node, to locate any field in it."""

    file: str
    node: Any = field(repr=False, compare=False)
    path: tuple[str | int, ...] = ()

    def at(self, *path: str | int, key: bool = False) -> Location:
        """Location of a field's value (or its key) inside this entity; the entity's own id
        key when called without a path."""
        if not path:
            return locate(self.file, self.node, self.path, key=True)
        return locate(self.file, self.node, (*self.path, *path), key=key)

    @property
    def location(self) -> Location:
        return self.at()


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in a currency (ISO 4217 code)."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class DurationUnit(str, Enum):
    HOURS = "h"
    DAYS = "d"
    WEEKS = "w"


_HOURS_PER_UNIT = {DurationUnit.HOURS: Decimal(1), DurationUnit.DAYS: Decimal(24), DurationUnit.WEEKS: Decimal(168)}


@dataclass(frozen=True, slots=True)
class Duration:
    """A span of elapsed (calendar) time, written like ``4h``, ``2d`` or ``3w``."""

    value: Decimal
    unit: DurationUnit

    @property
    def hours(self) -> Decimal:
        return self.value * _HOURS_PER_UNIT[self.unit]

    def __str__(self) -> str:
        return f"{self.value}{self.unit.value}"


@dataclass(frozen=True, slots=True)
class Department:
    id: str
    name: str
    parent: str | None
    head: str | None
    cost_center: str | None
    headcount: int | None
    description: str | None
    tags: tuple[str, ...]
    links: Mapping[str, str]
    origin: Origin = field(compare=False)
    reviewers: tuple[str, ...] = ()  # git host handles or teams: `opsplan codeowners`


@dataclass(frozen=True, slots=True)
class Kpi:
    id: str  # local to its process
    process: str
    name: str
    unit: str
    better: Better
    baseline: Decimal | None
    target: Decimal
    current: Decimal | None
    description: str | None
    origin: Origin = field(compare=False)

    @property
    def ref(self) -> str:
        """The plan-wide reference, ``PROCESS.KPI``."""
        return f"{self.process}.{self.id}"


@dataclass(frozen=True, slots=True)
class Process:
    id: str
    name: str
    owner: str
    type: ProcessType
    depends_on: tuple[str, ...]
    serves: tuple[str, ...]
    cycle_time: Duration | None
    kpis: tuple[Kpi, ...]
    description: str | None
    tags: tuple[str, ...]
    links: Mapping[str, str]
    origin: Origin = field(compare=False)


@dataclass(frozen=True, slots=True)
class BudgetLine:
    id: str  # unique within its department in its budget
    budget: str
    department: str
    amount: Money  # as written
    allocated: Decimal  # in the plan currency (converted with the plan's fx rate)
    type: LineType
    category: str | None
    process: str | None
    program: str | None
    account: str | None
    description: str | None
    origin: Origin = field(compare=False)


@dataclass(frozen=True, slots=True)
class DepartmentAllocation:
    """One department's part of a budget: its optional cap and its own lines."""

    department: str
    cap: Money | None
    cap_allocated: Decimal | None  # the cap in the plan currency
    lines: tuple[BudgetLine, ...]
    origin: Origin = field(compare=False)


@dataclass(frozen=True, slots=True)
class Budget:
    id: str
    name: str
    start: date
    end: date
    total: Money | None
    total_allocated: Decimal | None  # the total in the plan currency
    departments: tuple[DepartmentAllocation, ...]
    description: str | None
    tags: tuple[str, ...]
    links: Mapping[str, str]
    origin: Origin = field(compare=False)

    @property
    def lines(self) -> tuple[BudgetLine, ...]:
        return tuple(line for allocation in self.departments for line in allocation.lines)


@dataclass(frozen=True, slots=True)
class Milestone:
    date: date
    target: Decimal
    origin: Origin = field(compare=False)


@dataclass(frozen=True, slots=True)
class Measure:
    """What a goal measures: a process KPI (``kpi`` set) or a metric of its own.

    For a KPI measure, unit, better and baseline are taken from the KPI (and ``current`` too,
    unless the goal gives one).
    """

    kpi: str | None  # PROCESS.KPI
    metric: str | None
    unit: str | None
    better: Better
    baseline: Decimal | None
    target: Decimal
    current: Decimal | None


@dataclass(frozen=True, slots=True)
class Goal:
    id: str
    title: str
    owner: str
    parent: str | None
    due: date
    perspective: Perspective | None
    measure: Measure
    milestones: tuple[Milestone, ...]
    supported_by: tuple[str, ...]  # process and program ids
    description: str | None
    tags: tuple[str, ...]
    links: Mapping[str, str]
    origin: Origin = field(compare=False)


@dataclass(frozen=True, slots=True)
class HiringRole:
    id: str
    count: int
    start: date
    annual_cost: Money | None
    annual_cost_allocated: Decimal | None
    origin: Origin = field(compare=False)


@dataclass(frozen=True, slots=True)
class Program:
    id: str
    type: ProgramType
    name: str
    owner: str
    start: date
    end: date
    depends_on: tuple[str, ...]
    improves: tuple[str, ...]  # process ids
    roles: tuple[HiringRole, ...]  # hiring programs
    audience: tuple[str, ...]  # training programs: department ids
    participants: int | None
    completion_target: Decimal | None  # percent
    description: str | None
    tags: tuple[str, ...]
    links: Mapping[str, str]
    origin: Origin = field(compare=False)


@dataclass(frozen=True, slots=True)
class Organization:
    name: str
    currency: str
    fiscal_year_start: int


@dataclass(frozen=True, slots=True)
class Horizon:
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Settings:
    """What opsplan.yaml says besides the organisation: horizon, fx rates, rule overrides."""

    version: int
    organization: Organization
    horizon: Horizon
    fx: Mapping[str, Decimal]
    rules: Mapping[str, Severity]
    exclude: tuple[str, ...]
    origin: Origin = field(compare=False)
    finance_reviewers: tuple[str, ...] = ()  # review every change to money (`opsplan codeowners`)


@dataclass(frozen=True, slots=True)
class Plan:
    """A whole plan. Entity maps keep the files' order (sorted path order, then as written)."""

    root_file: str
    settings: Settings
    departments: Mapping[str, Department]
    processes: Mapping[str, Process]
    budgets: Mapping[str, Budget]
    goals: Mapping[str, Goal]
    programs: Mapping[str, Program]
    files: tuple[str, ...]
    # Ids declared but dropped for shape errors: references to them are not reported again.
    invalid_ids: Mapping[Kind, frozenset[str]] = field(default_factory=dict)

    @property
    def currency(self) -> str:
        return self.settings.organization.currency

    @property
    def kpis(self) -> dict[str, Kpi]:
        """Every KPI by its ``PROCESS.KPI`` reference."""
        return {kpi.ref: kpi for process in self.processes.values() for kpi in process.kpis}

    def children(self) -> dict[str, list[str]]:
        """Department id -> ids of its direct sub-departments, in plan order."""
        result: dict[str, list[str]] = {dept: [] for dept in self.departments}
        for department in self.departments.values():
            if department.parent is not None and department.parent in result:
                result[department.parent].append(department.id)
        return result

    def ancestors(self, department: str) -> list[str]:
        """The department's parents, nearest first (stops at a cycle, which OPS301 reports)."""
        chain: list[str] = []
        seen = {department}
        current = self.departments.get(department)
        while current is not None and current.parent is not None and current.parent not in seen:
            chain.append(current.parent)
            seen.add(current.parent)
            current = self.departments.get(current.parent)
        return chain


def format_amount(value: Decimal) -> str:
    """An amount as people read it in a message: thousands separated, exact, no exponent."""
    return f"{value:,f}"
