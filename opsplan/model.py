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
from types import MappingProxyType

from opsplan.diagnostics import Severity
from opsplan.marks import (
    Origin as Origin,  # every entity's source position; re-exported for rules and reports
)
from opsplan.values import (
    DEFAULT_REPORT_SETTINGS as DEFAULT_REPORT_SETTINGS,
)
from opsplan.values import (
    EVEN as EVEN,
)
from opsplan.values import (
    MONTH_KEYS as MONTH_KEYS,
)
from opsplan.values import (  # re-exported: the values entities are made of
    Cadence as Cadence,
)
from opsplan.values import (
    Capacity as Capacity,
)
from opsplan.values import (
    Demand as Demand,
)
from opsplan.values import (
    Duration as Duration,
)
from opsplan.values import (
    DurationUnit as DurationUnit,
)
from opsplan.values import (
    Money as Money,
)
from opsplan.values import (
    Period as Period,
)
from opsplan.values import (
    Phasing as Phasing,
)
from opsplan.values import (
    Profile as Profile,
)
from opsplan.values import (
    ReportSettings as ReportSettings,
)
from opsplan.values import (
    ScheduledMonth as ScheduledMonth,
)


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
    attrition: Decimal | None = None  # percent of headcount leaving per year
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
    cadence: Cadence | None = None  # format 1.1

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
    capacity: Capacity | None = None
    demand: Demand | None = None
    utilisation_target: Decimal | None = None  # percent; None: the plan's report setting


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
    phasing: Phasing = EVEN  # format 1.1
    tolerance: Decimal | None = None  # percent; format 1.1, wins over the department's and the plan's


@dataclass(frozen=True, slots=True)
class DepartmentAllocation:
    """One department's part of a budget: its optional cap and its own lines."""

    department: str
    cap: Money | None
    cap_allocated: Decimal | None  # the cap in the plan currency
    lines: tuple[BudgetLine, ...]
    origin: Origin = field(compare=False)
    tolerance: Decimal | None = None  # percent; format 1.1, for this department's own lines


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
    cadence: Cadence | None = None  # format 1.1: the goal's own metric, or the KPI's


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
    tolerance: Decimal | None = None  # format 1.1: the goal's pace_tolerance, percent


@dataclass(frozen=True, slots=True)
class HiringRole:
    """A role to fill: ``count`` hires spread from ``start`` to ``by``, landing on ``department``."""

    id: str
    count: int
    start: date
    annual_cost: Money | None
    annual_cost_allocated: Decimal | None
    origin: Origin = field(compare=False)
    department: str = ""  # where the hires work: the program's owner unless the role says
    by: date | None = None  # all hired by; the program's end unless the role says
    time_to_fill: Duration | None = None  # a requisition opens this long before each hire

    @property
    def hired_by(self) -> date:
        return self.by if self.by is not None else self.start


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
class Waiver:
    """One rule silenced for one entity (``process/payroll``) or one file of actuals, with an
    owner who answers for it and a date after which it no longer holds."""

    id: str
    rule: str
    entity: str  # KIND/ID with KIND singular (`process/payroll`), or `file:PATH` for actuals
    owner: str
    reason: str
    expires: date
    origin: Origin = field(compare=False)

    @property
    def file(self) -> str | None:
        """The file of actuals this waiver is about, or None when it is about an entity."""
        return self.entity[len(WAIVED_FILE):] if self.entity.startswith(WAIVED_FILE) else None


WAIVED_FILE = "file:"  # how a waiver of a file of actuals is kept in ``Waiver.entity``


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
    report: ReportSettings = DEFAULT_REPORT_SETTINGS  # format 1.1
    profiles: Mapping[str, Profile] = field(default_factory=dict)  # format 1.1
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
    waivers: Mapping[str, Waiver] = field(default_factory=dict)  # format 1.1, by id
    # The KPIs by reference, made on first use: a plan of 10,000 processes has 18,000 of them, and
    # a report asks for them once per goal without actuals (see ``kpis``).
    _kpis: Mapping[str, Kpi] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def currency(self) -> str:
        return self.settings.organization.currency

    @property
    def kpis(self) -> Mapping[str, Kpi]:
        """Every KPI by its ``PROCESS.KPI`` reference (the same mapping at every call: the plan
        never changes once built; ``replace`` makes a plan that makes its own)."""
        if self._kpis is None:
            object.__setattr__(self, "_kpis", MappingProxyType(
                {kpi.ref: kpi for process in self.processes.values() for kpi in process.kpis}))
        assert self._kpis is not None
        return self._kpis

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
