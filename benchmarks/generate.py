"""Generate a large, valid, synthetic opsplan plan to benchmark loading, checking and reporting.

The plan looks like a real organisation's: a three-level department tree, thousands of
processes with KPIs and a dependency graph, two fiscal-year budgets with a line per
process, a goal cascade, hiring, training and improvement programs, and a year of monthly
actuals. Everything is derived from one seeded random generator, so the same arguments
always produce byte-identical files, and the plan is valid by construction: it should pass
``opsplan check`` with no errors and no warnings.

Usage::

    python benchmarks/generate.py 10000 benchmarks/out/plan-10k
    python benchmarks/generate.py 40000 benchmarks/out/plan-40k --seed 7 --months 24 --force

N is the number of processes; DIR must be missing or empty (``--force`` first removes what
an earlier run wrote there). Only the standard library is used, so it runs before opsplan
is installed.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import re
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from random import Random
from typing import TypeVar

HORIZON_START = date(2027, 1, 1)
HORIZON_END = date(2029, 12, 31)
FISCAL_YEARS = (2027, 2028)
# Programs run inside the budgeted years, so every program line falls in a budget it overlaps.
PROGRAM_MONTHS = 24
MAX_ACTUAL_MONTHS = 36  # the horizon
MIN_PROCESSES = 3  # the smallest department tree has three teams, each owning a process

# opsplan refuses plan files over 16 MiB or 2,000,000 YAML nodes. A budget line costs about
# 120 bytes and 13 nodes, so past this many lines a fiscal year is split into one budget
# per top-level department to stay well inside both limits.
MAX_LINES_PER_BUDGET_FILE = 60_000

T = TypeVar("T")

CENT = Decimal("0.01")
ONE = Decimal(1)

# Files an earlier run wrote, removed by --force (anything else in DIR is left alone).
GENERATED = ("opsplan.yaml", "org", "processes", "budgets", "goals.yaml", "programs.yaml", "actuals")

TOP_DEPARTMENTS = (
    ("operations", "Operations"),
    ("supply-chain", "Supply Chain"),
    ("finance", "Finance"),
    ("sales", "Sales"),
    ("customer-service", "Customer Service"),
    ("technology", "Technology"),
    ("people", "People"),
    ("marketing", "Marketing"),
    ("procurement", "Procurement"),
    ("facilities", "Facilities"),
    ("legal", "Legal and Compliance"),
    ("quality", "Quality"),
    ("manufacturing", "Manufacturing"),
    ("research", "Research"),
    ("strategy", "Strategy"),
)
DIVISION_WORDS = (
    "logistics", "fleet", "warehousing", "planning", "accounting", "treasury", "field-sales",
    "inside-sales", "support", "infrastructure", "applications", "talent", "payroll", "brand",
    "sourcing", "maintenance", "compliance", "assembly", "analytics", "partnerships",
)
TEAM_WORDS = (
    "inbound", "outbound", "dispatch", "returns", "billing", "collections", "reporting",
    "onboarding", "helpdesk", "escalations", "network", "platform", "recruiting", "benefits",
    "content", "vendor-management", "safety", "line", "data", "key-accounts", "night-shift",
    "scheduling", "audit", "tooling",
)
FIRST_NAMES = (
    "Dana", "Luis", "Amara", "Chen", "Priya", "Jonas", "Fatima", "Mateo", "Ingrid", "Kwame",
    "Sofia", "Hiro", "Elena", "Omar", "Grace", "Tomasz", "Aisha", "Noah", "Lena", "Ravi",
)
LAST_NAMES = (
    "Kim", "Ortega", "Okafor", "Wei", "Sharma", "Berg", "Haddad", "Rossi", "Larsen", "Mensah",
    "Novak", "Tanaka", "Petrova", "Farouk", "Walsh", "Kowalski", "Bello", "Fischer", "Moreau", "Iyer",
)
PROCESS_OBJECTS = (
    "invoice", "order", "shipment", "supplier", "contract", "payroll", "ticket", "return",
    "claim", "stock", "asset", "lead", "quote", "campaign", "incident", "change", "release",
    "expense", "shift", "route", "pallet", "dock", "customs", "warranty", "refund", "budget",
    "forecast", "hire", "account", "license", "vehicle", "inspection", "sample", "batch",
)
PROCESS_ACTIVITIES = (
    "intake", "approval", "matching", "reconciliation", "booking", "dispatch", "review",
    "scheduling", "planning", "handling", "routing", "tracking", "reporting", "closing",
    "escalation", "settlement", "renewal", "triage", "validation", "allocation",
)
PROCESS_TYPES = ("core",) * 6 + ("support",) * 3 + ("management",)
# Drawn uniformly from these, so repeats set the odds: mostly one or two of each.
DEPENDENCY_COUNTS = (0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3)
KPI_COUNTS = (1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3)
CYCLE_TIMES = ("2h", "4h", "8h", "1d", "2d", "3d", "5d", "1w", "2w", "4w")
PROCESS_TAGS = ("critical", "customer-facing", "regulated", "automated", "manual", "outsourced", "seasonal")
DEPARTMENT_TAGS = ("shared-service", "remote", "round-the-clock", "unionised")
GOAL_TAGS = ("board-priority", "okr", "stretch")
PROGRAM_TAGS = ("strategic", "quick-win", "funded")
OPEX_CATEGORIES = ("people", "services", "software", "materials", "maintenance", "travel")
CAPEX_CATEGORIES = ("equipment", "software", "facilities")
INITIATIVE_THEMES = (
    "automation", "digitisation", "lean-flow", "consolidation", "quality-drive", "self-service",
    "vendor-review", "network-redesign",
)
HIRING_THEMES = ("peak-season-hiring", "capacity-hiring", "expansion-hiring", "backfill-hiring")
TRAINING_THEMES = ("lean-basics", "safety-training", "leadership-training", "systems-training")
ROLES = (
    "associate", "shift-lead", "analyst", "engineer", "coordinator", "specialist", "technician",
    "team-lead",
)


@dataclass(frozen=True, slots=True, eq=False)
class Metric:
    """A kind of measure: what it is called, its unit, which way is better and its plausible range."""

    id: str
    name: str
    unit: str
    better: str
    low: Decimal  # baselines are drawn from low..high
    high: Decimal
    places: int  # decimal places values are written with
    floor: Decimal  # no value is ever outside floor..ceiling
    ceiling: Decimal | None
    perspective: str
    # The bounds again, counted in the smallest written step (tenths for one decimal place):
    # KPIs are drawn in these ints, much cheaper than Decimals over tens of thousands.
    low_units: int
    high_units: int
    floor_units: int
    ceiling_units: int | None

    def value(self, units: int) -> Decimal:
        return Decimal(units).scaleb(-self.places)


def _metric(id_: str, name: str, unit: str, better: str, low: str, high: str, places: int,
            floor: str, ceiling: str | None, perspective: str = "internal") -> Metric:
    def units(value: str) -> int:
        return int(Decimal(value).scaleb(places))

    return Metric(id_, name, unit, better, Decimal(low), Decimal(high), places, Decimal(floor),
                  None if ceiling is None else Decimal(ceiling), perspective, units(low), units(high),
                  units(floor), None if ceiling is None else units(ceiling))


KPI_METRICS = (
    _metric("on-time-rate", "On-time rate", "percent", "higher", "70", "96", 1, "0", "100", "customer"),
    _metric("first-pass-yield", "First-pass yield", "percent", "higher", "75", "97", 1, "0", "100"),
    _metric("error-rate", "Error rate", "percent", "lower", "1", "12", 2, "0", "100"),
    _metric("cycle-hours", "Cycle time", "hours", "lower", "4", "120", 1, "0", None),
    _metric("lead-days", "Lead time", "days", "lower", "2", "30", 1, "0", None, "customer"),
    _metric("cost-per-unit", "Cost per unit", "money", "lower", "5", "400", 2, "0", None, "financial"),
    _metric("weekly-throughput", "Weekly throughput", "count", "higher", "50", "5000", 0, "0", None),
    _metric("open-backlog", "Open backlog", "count", "lower", "20", "2000", 0, "0", None),
    _metric("satisfaction", "Internal satisfaction", "score", "higher", "3", "4.3", 2, "1", "5", "customer"),
    _metric("utilisation", "Utilisation", "ratio", "higher", "0.55", "0.85", 3, "0", "1"),
)
GOAL_METRICS = (
    _metric("operating-margin", "Operating margin", "percent", "higher", "5", "12", 1, "0", "100", "financial"),
    _metric("cost-to-serve", "Cost to serve", "money", "lower", "8", "60", 2, "0", None, "financial"),
    _metric("net-promoter-score", "Net promoter score", "score", "higher", "10", "45", 0, "-100", "100", "customer"),
    _metric("order-accuracy", "Order accuracy", "percent", "higher", "90", "98", 1, "0", "100", "customer"),
    _metric("automated-steps", "Automated steps", "percent", "higher", "10", "50", 1, "0", "100"),
    _metric("energy-per-order", "Energy per order", "kwh", "lower", "1", "8", 2, "0", None),
    _metric("employee-engagement", "Employee engagement", "percent", "higher", "55", "75", 1, "0", "100", "learning"),
    _metric("staff-turnover", "Staff turnover", "percent", "lower", "8", "25", 1, "0", "100", "learning"),
    _metric("training-hours", "Training hours per employee", "hours", "higher", "8", "30", 1, "0", None, "learning"),
)


@dataclass(slots=True)
class Department:
    id: str
    name: str
    parent: Department | None
    top: str  # id of its top-level ancestor (itself at the top)
    head: str
    cost_center: str
    headcount: int
    tags: list[str]
    children: list[Department] = field(default_factory=list)
    # Processes are numbered department by department in tree order, so the processes of
    # any subtree are the contiguous index range first..end-1.
    first: int = 0
    end: int = 0


@dataclass(slots=True)
class Kpi:
    id: str
    ref: str  # PROCESS.KPI
    metric: Metric
    baseline: Decimal
    target: Decimal
    current: Decimal


@dataclass(slots=True)
class Process:
    id: str
    name: str
    owner: Department
    type: str
    cycle_time: str
    serves: list[str]
    depends_on: list[str]
    kpis: list[Kpi]
    tags: list[str]


@dataclass(slots=True)
class Role:
    id: str
    count: int
    start_month: int  # months since 2027-01
    annual_cost: int


@dataclass(slots=True)
class Program:
    id: str
    type: str
    name: str
    owner: Department
    start_month: int  # months since 2027-01, first day of that month
    end_month: int  # months since 2027-01, last day of that month
    depends_on: list[str] = field(default_factory=list)
    improves: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    participants: int = 0
    completion_target: int = 0
    tags: list[str] = field(default_factory=list)

    @property
    def start(self) -> date:
        return month_start(self.start_month)

    @property
    def end(self) -> date:
        return month_end(self.end_month)


@dataclass(slots=True)
class Line:
    id: str
    amount: Decimal
    type: str
    category: str
    account: str
    process: str | None = None
    program: str | None = None


@dataclass(slots=True)
class Budget:
    id: str
    name: str
    year: int
    total: Decimal
    caps: dict[str, Decimal]
    lines: dict[str, list[Line]]  # department id -> its own lines, in department order


@dataclass(slots=True)
class Goal:
    id: str
    title: str
    owner: Department
    level: int  # 0 for goals of top-level departments, then one more per cascade step
    parent: str | None
    due: date
    perspective: str
    kpi: Kpi | None  # measured by this process KPI, or else by a metric of its own
    metric: Metric
    baseline: Decimal
    target: Decimal
    current: Decimal | None
    milestones: list[tuple[date, Decimal]]
    supported_by: list[str]
    tags: list[str]


@dataclass(slots=True)
class Plan:
    processes_count: int
    seed: int
    departments: list[Department]  # tree order: each parent before its children
    processes: list[Process]
    programs: list[Program]
    budgets: list[Budget]
    goals: list[Goal]
    # --people: capacity and demand on every process, department, by and time to fill on every
    # role. Derived from positions, not drawn from the generator, so the rest stays byte-identical.
    people: bool = False


@dataclass(slots=True)
class Output:
    """Counts what was written, for the summary line."""

    root: Path
    files: int = 0
    csv_rows: int = 0
    bytes: int = 0

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        self.files += 1
        self.bytes += path.stat().st_size


# ---------------------------------------------------------------------------------------------
# Dates and numbers


def month_start(month: int) -> date:
    return date(2027 + month // 12, month % 12 + 1, 1)


def month_end(month: int) -> date:
    return month_start(month + 1) - timedelta(days=1)


def quarter_ends() -> list[date]:
    return [month_end(month) for month in range(2, MAX_ACTUAL_MONTHS, 3)]


def ceil_to(value: Decimal, step: int) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


# Random.randint, randrange and choice cost about a microsecond each, and a large plan draws
# millions of numbers: these draw from random() directly, which is several times faster and
# just as deterministic.


def between(rng: Random, low: int, high: int) -> int:
    """An integer low..high, both included."""
    return low + int(rng.random() * (high - low + 1))


def pick(rng: Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def fraction(rng: Random, low: int, high: int) -> Decimal:
    """A random factor low%..high%, as an exact Decimal so money stays exact."""
    return Decimal(between(rng, low, high)) / 100


def uniform_value(rng: Random, low: Decimal, high: Decimal, places: int) -> Decimal:
    scale = 10**places
    return Decimal(between(rng, int(low * scale), int(high * scale))).scaleb(-places)


def quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(ONE.scaleb(-places))


def clamp(value: Decimal, metric: Metric) -> Decimal:
    value = max(value, metric.floor)
    return value if metric.ceiling is None else min(value, metric.ceiling)


def is_better(value: Decimal, than: Decimal, better: str) -> bool:
    return value > than if better == "higher" else value < than


def number(value: Decimal) -> str:
    """A number as YAML reads it back exactly: never exponent notation."""
    return f"{value:f}"


def money(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else f"{value:.2f}"


_PLAIN_TEXT = re.compile(r"[A-Za-z](?:[A-Za-z0-9 .'/()-]*[A-Za-z0-9.)])?")
# Words YAML 1.1 readers turn into booleans or null, though opsplan itself would not.
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def text(value: str) -> str:
    """Free text as a YAML scalar, plain when that is safe in block and flow context alike."""
    if _PLAIN_TEXT.fullmatch(value) and value.lower() not in _YAML11_WORDS:
        return value
    return json.dumps(value)  # a JSON string is a valid YAML double-quoted scalar


def flow(items: Sequence[str]) -> str:
    return "[" + ", ".join(items) + "]"


def person(rng: Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def title_of(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


# ---------------------------------------------------------------------------------------------
# The plan


def department_shape(processes: int) -> tuple[int, int, int]:
    """How many top-level departments, divisions and teams: about one department per 25
    processes, a few more top-level departments as the organisation grows, and a division
    per 190 processes, since each division's processes make one file (100-250 of them
    once the plan is large enough to fill one)."""
    total = max(5, round(processes / 25))
    tops = max(1, round(math.sqrt(total) / 4))
    divisions = max(tops, math.ceil(processes / 190))
    teams = max(divisions, total - tops - divisions)
    return tops, divisions, teams


def spread(total: int, buckets: int) -> list[int]:
    return [total // buckets + (1 if index < total % buckets else 0) for index in range(buckets)]


def build_departments(rng: Random, processes: int) -> list[Department]:
    tops, divisions, teams = department_shape(processes)
    departments: list[Department] = []

    def add(id_: str, name: str, parent: Department | None, headcount: int) -> Department:
        tags = [rng.choice(DEPARTMENT_TAGS)] if rng.random() < 0.1 else []
        department = Department(
            id=id_, name=name, parent=parent, top=parent.top if parent else id_, head=person(rng),
            cost_center=f"CC-{1000 + len(departments)}", headcount=headcount, tags=tags,
        )
        departments.append(department)
        if parent is not None:
            parent.children.append(department)
        return department

    divisions_per_top = spread(divisions, tops)
    teams_per_division = spread(teams, divisions)
    division_index = 0
    for top_index in range(tops):
        word, name = TOP_DEPARTMENTS[top_index % len(TOP_DEPARTMENTS)]
        round_ = top_index // len(TOP_DEPARTMENTS)
        if round_:
            word, name = f"{word}-{round_ + 1}", f"{name} {round_ + 1}"
        top = add(word, name, None, rng.randint(2, 8))
        for _ in range(divisions_per_top[top_index]):
            # The running department number keeps ids unique however often a word repeats.
            word = rng.choice(DIVISION_WORDS)
            division = add(f"{word}-{len(departments)}", f"{title_of(word)} {len(departments)}", top,
                           rng.randint(3, 12))
            for _ in range(teams_per_division[division_index]):
                word = rng.choice(TEAM_WORDS)
                add(f"{word}-{len(departments)}", f"{title_of(word)} team {len(departments)}",
                    division, rng.randint(6, 60))
            division_index += 1
    return departments


def process_counts(rng: Random, teams: int, processes: int) -> list[int]:
    """Processes per team: one each, the rest shared out in proportion to random weights
    (largest remainder, so the counts add up exactly)."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(teams)]
    extra = processes - teams
    shares = [extra * weight / sum(weights) for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(teams), key=lambda index: counts[index] - shares[index])
    for index in by_remainder[: extra - sum(counts)]:
        counts[index] += 1
    return [1 + count for count in counts]


def make_kpi(rng: Random, process_id: str, metric: Metric) -> Kpi:
    # The target moves at least one step and never past the metric's bounds: baselines lie
    # strictly inside them.
    baseline = between(rng, metric.low_units, metric.high_units)
    floor, ceiling = metric.floor_units, metric.ceiling_units
    if metric.better == "higher":
        room = ceiling - baseline if ceiling is not None else baseline
        target = baseline + max(1, room * between(rng, 10, 60) // 100)
    else:
        target = baseline - max(1, (baseline - floor) * between(rng, 10, 45) // 100)
    current = max(floor, baseline + (target - baseline) * between(rng, -10, 30) // 100)
    if ceiling is not None:
        current = min(current, ceiling)
    return Kpi(metric.id, f"{process_id}.{metric.id}", metric, metric.value(baseline),
               metric.value(target), metric.value(current))


def build_processes(rng: Random, departments: list[Department], count: int) -> list[Process]:
    teams = [department for department in departments if not department.children]
    counts = process_counts(rng, len(teams), count)
    processes: list[Process] = []
    ids: list[str] = []
    for team, team_count in zip(teams, counts, strict=True):
        block_start = len(processes)
        for _ in range(team_count):
            index = len(processes)
            obj, activity = pick(rng, PROCESS_OBJECTS), pick(rng, PROCESS_ACTIVITIES)
            process_id = f"{obj}-{activity}-{index + 1}"
            # Only lower indexes, so the dependency graph is acyclic by construction; within
            # the team's block a dependency stays in the department, below it crosses over.
            depends: list[str] = []
            for _ in range(pick(rng, DEPENDENCY_COUNTS)):
                if index > block_start and (block_start == 0 or rng.random() < 0.6):
                    candidate = ids[between(rng, block_start, index - 1)]
                elif block_start > 0:
                    candidate = ids[between(rng, 0, block_start - 1)]
                else:
                    continue
                if candidate not in depends:
                    depends.append(candidate)
            serves: list[str] = []
            for _ in range(between(rng, 1, 2)):
                served = pick(rng, departments).id
                if served != team.id and served not in serves:
                    serves.append(served)
            if not serves:
                serves.append(team.parent.id if team.parent else departments[0].id)
            metrics: list[Metric] = []
            for _ in range(pick(rng, KPI_COUNTS)):
                metric = pick(rng, KPI_METRICS)
                if metric not in metrics:
                    metrics.append(metric)
            tags = rng.sample(PROCESS_TAGS, between(rng, 1, 2)) if rng.random() < 0.3 else []
            processes.append(Process(
                id=process_id, name=f"{title_of(obj)} {activity} {index + 1}", owner=team,
                type=pick(rng, PROCESS_TYPES), cycle_time=pick(rng, CYCLE_TIMES), serves=serves,
                depends_on=depends, kpis=[make_kpi(rng, process_id, metric) for metric in metrics],
                tags=tags,
            ))
            ids.append(process_id)
        team.first, team.end = block_start, len(processes)
    # Parents are listed before their children, so walking backwards fills each range in.
    for department in reversed(departments):
        if department.children:
            department.first = department.children[0].first
            department.end = department.children[-1].end
    return processes


def build_programs(rng: Random, departments: list[Department], processes: list[Process],
                   count: int) -> list[Program]:
    teams = [department for department in departments if not department.children]
    divisions = [department for department in departments if department.children and department.parent]
    programs: list[Program] = []
    for index in range(count):
        # The first three are one of each type, so even the smallest plan has all three.
        kind = ("initiative", "hiring", "training")[index] if index < 3 else rng.choice(
            ("initiative", "initiative", "hiring", "training"))
        start = rng.randrange(PROGRAM_MONTHS - 3)
        end = min(start + rng.randint(2, 11), PROGRAM_MONTHS - 1)
        tags = [rng.choice(PROGRAM_TAGS)] if rng.random() < 0.2 else []
        if kind == "initiative":
            owner = rng.choice(teams)
            theme = rng.choice(INITIATIVE_THEMES)
            scope = owner.parent or owner
            improves = sorted({processes[rng.randrange(scope.first, scope.end)].id
                               for _ in range(rng.randint(1, 3))})
            depends = sorted({programs[rng.randrange(index)].id
                              for _ in range(rng.choices((0, 1, 2), weights=(50, 35, 15))[0])
                              if index > 0})
            programs.append(Program(
                id=f"{theme}-{index + 1}", type=kind, name=f"{title_of(theme)} in {owner.name}",
                owner=owner, start_month=start, end_month=end, depends_on=depends,
                improves=improves, tags=tags))
        elif kind == "hiring":
            owner = rng.choice(teams)
            theme = rng.choice(HIRING_THEMES)
            roles = [Role(role, rng.randint(1, 15), rng.randint(start, end),
                          rng.randrange(40_000, 150_001, 1_000))
                     for role in rng.sample(ROLES, rng.randint(1, 3))]
            programs.append(Program(
                id=f"{theme}-{index + 1}", type=kind, name=f"{title_of(theme)} for {owner.name}",
                owner=owner, start_month=start, end_month=end, roles=roles, tags=tags))
        else:
            owner = rng.choice(divisions)
            theme = rng.choice(TRAINING_THEMES)
            pool = [owner, *owner.children]
            audience = [department.id for department in rng.sample(pool, min(len(pool), rng.randint(1, 3)))]
            programs.append(Program(
                id=f"{theme}-{index + 1}", type=kind, name=f"{title_of(theme)} in {owner.name}",
                owner=owner, start_month=start, end_month=end, audience=audience,
                participants=rng.randint(10, 150), completion_target=rng.randint(80, 100), tags=tags))
    return programs


def program_amount(rng: Random, program: Program, months_in_year: int) -> tuple[Decimal, str, str]:
    """What a program costs in a fiscal year, its line type and category."""
    if program.type == "hiring":
        yearly = sum((Decimal(role.count * role.annual_cost) for role in program.roles), Decimal(0))
        return (yearly * months_in_year / 12 * fraction(rng, 40, 70)).quantize(CENT), "opex", "people"
    if program.type == "training":
        return Decimal(program.participants * rng.randint(400, 1500)), "opex", "training"
    if rng.random() < 0.6:
        return Decimal(rng.randrange(100_000, 1_500_001, 1_000)), "capex", "equipment"
    return Decimal(rng.randrange(50_000, 600_001, 1_000)), "opex", "services"


def build_budgets(rng: Random, departments: list[Department], processes: list[Process],
                  programs: list[Program]) -> list[Budget]:
    # A process's line keeps its type, category and rough size from year to year.
    base: list[tuple[Decimal, str, str]] = []
    for _ in processes:
        if rng.random() < 0.1:
            amount = Decimal(between(rng, 50_000_00, 1_500_000_00)) / 100
            kind, category = "capex", pick(rng, CAPEX_CATEGORIES)
        else:
            amount = Decimal(between(rng, 15_000_00, 600_000_00)) / 100
            kind, category = "opex", pick(rng, OPEX_CATEGORIES)
        # Some budgets are planned in round hundreds, most to the cent.
        base.append((ceil_to(amount, 100) if rng.random() < 0.4 else amount, kind, category))
    owned: dict[str, list[tuple[int, Program]]] = {}
    for number_, program in enumerate(programs, start=1):
        owned.setdefault(program.owner.id, []).append((number_, program))

    budgets: list[Budget] = []
    for year in FISCAL_YEARS:
        first_month, last_month = (year - 2027) * 12, (year - 2027) * 12 + 11
        by_department: dict[str, list[Line]] = {}
        for department in departments:
            lines: list[Line] = []
            for index in range(department.first, department.end) if not department.children else ():
                amount, kind, category = base[index]
                if year > FISCAL_YEARS[0]:
                    grown = amount * fraction(rng, 95, 110)
                    amount = ceil_to(grown, 100) if amount == amount.to_integral_value() else grown.quantize(CENT)
                lines.append(Line(processes[index].id, amount, kind, category, f"6100-{index + 1}",
                                  process=processes[index].id))
            for number_, program in owned.get(department.id, ()):
                overlap = min(program.end_month, last_month) - max(program.start_month, first_month) + 1
                if overlap > 0:  # a line outside the program's run would be OPS405
                    amount, kind, category = program_amount(rng, program, overlap)
                    lines.append(Line(program.id, amount, kind, category, f"6500-{number_}",
                                      program=program.id))
            if lines:
                by_department[department.id] = lines
        line_count = sum(len(lines) for lines in by_department.values())
        if line_count <= MAX_LINES_PER_BUDGET_FILE:
            groups = {f"fy{year}": by_department}
        else:
            top_of = {department.id: department.top for department in departments}
            groups = {}
            for department_id, lines in by_department.items():
                groups.setdefault(f"fy{year}-{top_of[department_id]}", {})[department_id] = lines
        for budget_id, group in groups.items():
            caps = {department_id: ceil_to(sum((line.amount for line in lines), Decimal(0))
                                           * fraction(rng, 100, 112), 1_000)
                    for department_id, lines in group.items()}
            allocated = sum((line.amount for lines in group.values() for line in lines), Decimal(0))
            name = f"Fiscal year {year}"
            if budget_id != f"fy{year}":
                name += f" ({budget_id.removeprefix(f'fy{year}-')})"
            budgets.append(Budget(budget_id, name, year, ceil_to(allocated * fraction(rng, 100, 104), 10_000),
                                  caps, group))
    return budgets


def build_goals(rng: Random, departments: list[Department], processes: list[Process],
                programs: list[Program], count: int) -> list[Goal]:
    tops = [department for department in departments if department.parent is None]
    ends = quarter_ends()
    programs_below: dict[str, list[str]] = {}
    for program in programs:
        department: Department | None = program.owner
        while department is not None:
            programs_below.setdefault(department.id, []).append(program.id)
            department = department.parent
    roots = max(1, min(len(tops), count // 6))
    goals: list[Goal] = []
    for index in range(count):
        if index < roots:
            owner, parent, level = tops[index], None, 0
            due = rng.choice(ends[-4:])
        else:
            # Cascade down the department tree: a goal of a department has sub-goals of its
            # sub-departments, due no later than itself.
            candidates = [goal for goal in goals if goal.level < 2 and goal.owner.children]
            upper = [goal for goal in candidates if goal.level == 0]
            parent_goal = rng.choice(upper if rng.random() < 0.3 else candidates)
            owner, parent, level = rng.choice(parent_goal.owner.children), parent_goal.id, parent_goal.level + 1
            due = rng.choice([end for end in ends if ends[2] <= end <= parent_goal.due])
        supported = sorted({processes[rng.randrange(owner.first, owner.end)].id
                            for _ in range(rng.randint(1, 2))})
        if programs_below.get(owner.id) and rng.random() < 0.7:
            supported.append(rng.choice(programs_below[owner.id]))
        elif rng.random() < 0.3:
            supported.append(rng.choice(programs).id)
        if index % 2 == 0:
            process = processes[rng.randrange(owner.first, owner.end)]
            measured = rng.choice(process.kpis)
            kpi: Kpi | None = measured
            metric, baseline, current = measured.metric, measured.baseline, None
            target = measured.target
            if rng.random() < 0.5:
                partway = quantize(baseline + (target - baseline) * fraction(rng, 50, 90), metric.places)
                if is_better(partway, baseline, metric.better):
                    target = partway
            subject = f"{metric.name.lower()} of {process.name.lower()}"
            goal_id = f"{metric.id}-goal-{index + 1}"
        else:
            kpi = None
            metric = rng.choice(GOAL_METRICS)
            baseline = uniform_value(rng, metric.low, metric.high, metric.places)
            room = (metric.ceiling - baseline if metric.better == "higher" and metric.ceiling is not None
                    else baseline - metric.floor if metric.better == "lower" else baseline)
            sign = 1 if metric.better == "higher" else -1
            target = clamp(quantize(baseline + sign * room * fraction(rng, 15, 50), metric.places), metric)
            if not is_better(target, baseline, metric.better):
                target = baseline + sign * ONE.scaleb(-metric.places)
            current = quantize(baseline + (target - baseline) * fraction(rng, 0, 30), metric.places)
            subject = metric.name.lower()
            goal_id = f"{metric.id}-goal-{index + 1}"
        verb = "Raise" if metric.better == "higher" else "Cut"
        shown = number(target)
        if metric.unit == "percent":
            shown += "%"
        elif metric.unit == "money":
            shown = "$" + shown
        elif metric.unit in ("hours", "days", "kwh"):
            shown += f" {metric.unit}"
        # Milestones at quarter ends before the due date, each a step further toward target.
        before = [end for end in ends if end < due]
        picked = sorted(rng.sample(before, min(len(before), rng.randint(0, 3))))
        milestones: list[tuple[date, Decimal]] = []
        previous = baseline
        for step, when in enumerate(picked, start=1):
            value = quantize(baseline + (target - baseline) * step / (len(picked) + 1), metric.places)
            if is_better(value, previous, metric.better) and is_better(target, value, metric.better):
                milestones.append((when, value))
                previous = value
        goals.append(Goal(
            id=goal_id, title=f"{verb} {subject} to {shown}", owner=owner, level=level,
            parent=parent, due=due, perspective=metric.perspective, kpi=kpi, metric=metric,
            baseline=baseline, target=target, current=current, milestones=milestones,
            supported_by=supported, tags=[rng.choice(GOAL_TAGS)] if rng.random() < 0.2 else [],
        ))
    return goals


def build_plan(processes_count: int, seed: int) -> Plan:
    rng = Random(seed)
    departments = build_departments(rng, processes_count)
    processes = build_processes(rng, departments, processes_count)
    programs = build_programs(rng, departments, processes, max(3, round(processes_count / 100)))
    budgets = build_budgets(rng, departments, processes, programs)
    goals = build_goals(rng, departments, processes, programs, max(3, round(processes_count / 50)))
    return Plan(processes_count, seed, departments, processes, programs, budgets, goals)


# ---------------------------------------------------------------------------------------------
# Plan files


def header(plan: Plan, what: str) -> list[str]:
    return [f"# Synthetic benchmark plan ({plan.processes_count} processes, seed {plan.seed}), "
            f"written by benchmarks/generate.py: {what}."]


# The month weights of --phasing: volume-driven spend peaks before the holidays.
PEAK_SEASON = "{jan: 6, feb: 6, mar: 7, apr: 7, may: 8, jun: 8, jul: 8, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12}"


def root_file(plan: Plan, phased: bool = False) -> str:
    lines = header(plan, "root file")
    lines += [
        "opsplan: 1",
        "organization:",
        f"  name: Benchmark Logistics {plan.processes_count}",
        "  currency: USD",
        "  fiscal_year_start: 1",
        "horizon:",
        f"  start: {HORIZON_START}",
        f"  end: {HORIZON_END}",
    ]
    if phased:
        lines += ["profiles:", f"  peak-season: {PEAK_SEASON}"]
    return "\n".join(lines) + "\n"


def departments_file(plan: Plan) -> str:
    lines = [*header(plan, "departments"), "departments:"]
    for department in plan.departments:
        lines.append(f"  {department.id}:")
        lines.append(f"    name: {text(department.name)}")
        if department.parent is not None:
            lines.append(f"    parent: {department.parent.id}")
        lines.append(f"    head: {text(department.head)}")
        lines.append(f"    cost_center: {department.cost_center}")
        lines.append(f"    headcount: {department.headcount}")
        if department.tags:
            lines.append(f"    tags: {flow(department.tags)}")
    return "\n".join(lines) + "\n"


def capacity_lines(position: int) -> list[str]:
    """A capacity (every third one staff-based) and a demand at 50% to 79% of it: below the
    default target, so that the plan still checks clean."""
    value = 1_000 + position * 37 % 9_000
    demand = value * (50 + position % 30) // 100
    capacity = (f"{{unit: orders, per: month, per_fte: 100, fte: {value // 100}}}" if position % 3 == 0
                else f"{{unit: orders, per: week, value: {value}}}")
    if position % 3 == 0:
        demand = value // 100 * 100 * (50 + position % 30) // 100
    return [f"    capacity: {capacity}", f"    demand: {{per: {'month' if position % 3 == 0 else 'week'}, "
                                         f"value: {demand}}}"]


def role_fields(program: Program, role: Role, index: int) -> str:
    """Where a role's hires land (a sibling team of the owner, in turn), when all are hired and
    how long a requisition takes to fill."""
    teams = program.owner.parent.children if program.owner.parent else [program.owner]
    department = teams[index % len(teams)].id
    by = month_end(min(role.start_month + 2, program.end_month))
    return f"department: {department}, by: {by}, time_to_fill: {(index % 8) + 2}w, "


def processes_file(plan: Plan, division: Department) -> str:
    lines = [*header(plan, f"processes of {division.name}"), "processes:"]
    for position, process in enumerate(plan.processes[division.first:division.end], start=division.first):
        lines.append(f"  {process.id}:")
        lines.append(f"    name: {text(process.name)}")
        lines.append(f"    owner: {process.owner.id}")
        lines.append(f"    type: {process.type}")
        lines.append(f"    cycle_time: {process.cycle_time}")
        if plan.people:
            lines.extend(capacity_lines(position))
        lines.append(f"    serves: {flow(process.serves)}")
        if process.depends_on:
            lines.append(f"    depends_on: {flow(process.depends_on)}")
        if process.tags:
            lines.append(f"    tags: {flow(process.tags)}")
        lines.append("    kpis:")
        for kpi in process.kpis:
            metric = kpi.metric
            lines.append(
                f"      {kpi.id}: {{name: {text(metric.name)}, unit: {metric.unit}, "
                f"better: {metric.better}, baseline: {number(kpi.baseline)}, "
                f"target: {number(kpi.target)}, current: {number(kpi.current)}}}"
            )
    return "\n".join(lines) + "\n"


def phasing_of(line: Line, year: int) -> str:
    """With --phasing: opex follows the peak-season profile, capex is paid in two instalments
    (half in March, the rest in September; they add up to the amount exactly)."""
    if line.type != "capex":
        return ", phasing: peak-season"
    first = (line.amount / 2).quantize(CENT)
    return f", phasing: {{{year}-03: {money(first)}, {year}-09: {money(line.amount - first)}}}"


def budget_file(plan: Plan, budget: Budget, phased: bool = False) -> str:
    lines = [*header(plan, budget.name.lower()), "budgets:"]
    lines.append(f"  {budget.id}:")
    lines.append(f"    name: {text(budget.name)}")
    lines.append(f"    start: {date(budget.year, 1, 1)}")
    lines.append(f"    end: {date(budget.year, 12, 31)}")
    lines.append(f"    total: {money(budget.total)}")
    lines.append("    departments:")
    for department_id, department_lines in budget.lines.items():
        lines.append(f"      {department_id}:")
        lines.append(f"        cap: {money(budget.caps[department_id])}")
        lines.append("        lines:")
        for line in department_lines:
            funds = f"process: {line.process}" if line.process else f"program: {line.program}"
            lines.append(
                f"          {line.id}: {{amount: {money(line.amount)}, type: {line.type}, "
                f'category: {line.category}, {funds}, account: "{line.account}"'
                f'{phasing_of(line, budget.year) if phased else ""}}}'
            )
    return "\n".join(lines) + "\n"


def goals_file(plan: Plan) -> str:
    lines = [*header(plan, "goals"), "goals:"]
    for goal in plan.goals:
        lines.append(f"  {goal.id}:")
        lines.append(f"    title: {text(goal.title)}")
        lines.append(f"    owner: {goal.owner.id}")
        if goal.parent is not None:
            lines.append(f"    parent: {goal.parent}")
        lines.append(f"    due: {goal.due}")
        lines.append(f"    perspective: {goal.perspective}")
        if goal.kpi is not None:
            lines.append(f"    measure: {{kpi: {goal.kpi.ref}, target: {number(goal.target)}}}")
        else:
            metric = goal.metric
            current = f", current: {number(goal.current)}" if goal.current is not None else ""
            lines.append(
                f"    measure: {{metric: {metric.id}, unit: {metric.unit}, better: {metric.better}, "
                f"baseline: {number(goal.baseline)}, target: {number(goal.target)}{current}}}"
            )
        if goal.milestones:
            lines.append("    milestones:")
            lines.extend(f"      - {{date: {when}, target: {number(value)}}}" for when, value in goal.milestones)
        lines.append(f"    supported_by: {flow(goal.supported_by)}")
        if goal.tags:
            lines.append(f"    tags: {flow(goal.tags)}")
    return "\n".join(lines) + "\n"


def programs_file(plan: Plan) -> str:
    lines = [*header(plan, "programs"), "programs:"]
    for program in plan.programs:
        lines.append(f"  {program.id}:")
        lines.append(f"    type: {program.type}")
        lines.append(f"    name: {text(program.name)}")
        lines.append(f"    owner: {program.owner.id}")
        lines.append(f"    start: {program.start}")
        lines.append(f"    end: {program.end}")
        if program.depends_on:
            lines.append(f"    depends_on: {flow(program.depends_on)}")
        if program.improves:
            lines.append(f"    improves: {flow(program.improves)}")
        if program.roles:
            lines.append("    roles:")
            lines.extend(
                f"      {role.id}: {{{role_fields(program, role, index) if plan.people else ''}"
                f"count: {role.count}, start: {month_start(role.start_month)}, "
                f"annual_cost: {role.annual_cost}}}"
                for index, role in enumerate(program.roles)
            )
        if program.type == "training":
            lines.append(f"    audience: {flow(program.audience)}")
            lines.append(f"    participants: {program.participants}")
            lines.append(f"    completion_target: {program.completion_target}")
        if program.tags:
            lines.append(f"    tags: {flow(program.tags)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Actuals


def write_actuals(plan: Plan, rng: Random, months: int, out: Output, spend_rows: int | None = None) -> None:
    dates = [str(month_end(month)) for month in range(months)]

    # Spend: each line's monthly twelfth with +-15% noise, in whole cents held in ints: exact,
    # and several times faster than Decimal over the half-million rows of a large plan. (A
    # float cents/100 printed with two decimals is exact for any amount a plan could hold.)
    twelfths: dict[int, list[tuple[str, int]]] = {}
    for budget in plan.budgets:
        twelfths.setdefault(budget.year, []).extend(
            (f"%s,{department_id},{line.id},%.2f\n", int(line.amount * 100) // 12)
            for department_id, lines in budget.lines.items()
            for line in lines
        )
    rows = ["date,department,line,amount\n"]
    random = rng.random
    for month, when in enumerate(dates):
        for middle, twelfth in twelfths.get(2027 + month // 12, ()):
            rows.append(middle % (when, (twelfth + int(twelfth * (random() - 0.5) * 0.3)) / 100))
    if spend_rows is not None:
        # A general ledger: each line's month split into many postings, written in chunks so
        # that ten million rows never sit in memory at once.
        write_ledger(twelfths, dates, spend_rows, rng, out)
    else:
        out.write("actuals/spend.csv", "".join(rows))
        out.csv_rows += len(rows) - 1

    # KPI readings drift from the baseline toward the target over the horizon, with noise,
    # never leaving the metric's plausible range; goals with their own metric are read too.
    measured = [(kpi.ref, kpi.metric, kpi.baseline, kpi.target)
                for process in plan.processes for kpi in process.kpis]
    measured += [(goal.id, goal.metric, goal.baseline, goal.target) for goal in plan.goals if goal.kpi is None]
    # Per series: its row format, baseline, distance to target, effort and bounds.
    series = [
        (f"%s,{ref},%.{metric.places}f\n", float(baseline), float(target - baseline), rng.uniform(0.3, 1.3),
         float(metric.floor), math.inf if metric.ceiling is None else float(metric.ceiling))
        for ref, metric, baseline, target in measured
    ]
    rows = ["date,kpi,value\n"]
    # With a ledger of spend, readings grow with it: about one reading for every ten spend rows.
    repeats = 1 if spend_rows is None else max(1, round(spend_rows / 10 / max(len(series) * len(dates), 1)))
    for month, when in enumerate(dates):
        progress = (month + 1) / MAX_ACTUAL_MONTHS
        for _ in range(repeats):
            for row, baseline, delta, effort, floor, ceiling in series:
                value = baseline + delta * (progress * effort + (random() - 0.5) * 0.3)
                rows.append(row % (when, floor if value < floor else ceiling if value > ceiling else value))
    out.write("actuals/kpi-readings.csv", "".join(rows))
    out.csv_rows += len(rows) - 1

    # Hires: a role fills month by month from its start to the program's end, never beyond
    # its count; each row is the number hired in that month.
    hired_by: dict[tuple[str, int], int] = {}
    rows = ["date,program,role,hired\n"]
    for program in plan.programs:
        for role in program.roles:
            remaining = role.count
            for month in range(role.start_month, program.end_month + 1):
                left = program.end_month - month + 1
                hired = min(remaining, int(remaining / left + rng.random() * 1.5))
                remaining -= hired
                if month < months:
                    rows.append(f"{dates[month]},{program.id},{role.id},{hired}\n")
                    key = (program.owner.id, month)
                    hired_by[key] = hired_by.get(key, 0) + hired
    out.write("actuals/hires.csv", "".join(rows))
    out.csv_rows += len(rows) - 1

    # Headcount: the positions filled when the plan was made, plus hires so far, less some attrition.
    rows = ["date,department,headcount\n"]
    level = {department.id: department.headcount for department in plan.departments}
    for month, when in enumerate(dates):
        for department in plan.departments:
            change = hired_by.get((department.id, month), 0)
            if rng.random() < 0.15:
                change -= 1
            level[department.id] = max(0, level[department.id] + change)
            rows.append(f"{when},{department.id},{level[department.id]}\n")
    out.write("actuals/headcount.csv", "".join(rows))
    out.csv_rows += len(rows) - 1

    # Training: participants complete month by month toward about the completion target.
    rows = ["date,program,completed\n"]
    for program in plan.programs:
        if program.type != "training":
            continue
        remaining = min(program.participants,
                        round(program.participants * program.completion_target / 100 * rng.uniform(0.8, 1.05)))
        for month in range(program.start_month, program.end_month + 1):
            left = program.end_month - month + 1
            completed = min(remaining, int(remaining / left + rng.random() * 2))
            remaining -= completed
            if month < months:
                rows.append(f"{dates[month]},{program.id},{completed}\n")
    out.write("actuals/training.csv", "".join(rows))
    out.csv_rows += len(rows) - 1


def write_ledger(twelfths: dict[int, list[tuple[str, int]]], dates: Sequence[str], count: int, rng: Random,
                 out: Output) -> None:
    """``count`` spend rows in one file, the monthly twelfths split into postings of a few cents
    to a few thousand; written straight to disk in chunks."""
    path = out.root / "actuals" / "spend.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    budgeted = [(when, middle, twelfth) for month, when in enumerate(dates)
                for middle, twelfth in twelfths.get(2027 + month // 12, ())]
    per_row = max(1, -(-count // max(len(budgeted), 1)))
    random = rng.random
    written = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("date,department,line,amount\n")
        while written < count:
            chunk = []
            for when, middle, twelfth in budgeted:
                if written >= count:
                    break
                chunk.append(middle % (when, max(1, int(twelfth / per_row * (0.85 + random() * 0.3))) / 100))
                written += 1
            stream.write("".join(chunk))
    out.files += 1
    out.bytes += path.stat().st_size
    out.csv_rows += count


def write_plan(plan: Plan, months: int, out: Output, spend_rows: int | None = None,
               phased: bool = False) -> None:
    out.write("opsplan.yaml", root_file(plan, phased))
    out.write("org/departments.yaml", departments_file(plan))
    for top in plan.departments:
        if top.parent is None:
            for division in top.children:
                out.write(f"processes/{top.id}/{division.id}.yaml", processes_file(plan, division))
    for budget in plan.budgets:
        whole = f"fy{budget.year}"
        name = f"{whole}.yaml" if budget.id == whole else f"{whole}/{budget.id.removeprefix(whole + '-')}.yaml"
        out.write(f"budgets/{name}", budget_file(plan, budget, phased))
    out.write("programs.yaml", programs_file(plan))
    out.write("goals.yaml", goals_file(plan))
    # A separate generator for the actuals, so changing --months leaves the plan files unchanged.
    write_actuals(plan, Random(f"{plan.seed}-actuals"), months, out, spend_rows)


# ---------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Write a valid synthetic opsplan plan with N processes into DIR, for benchmarks.")
    parser.add_argument("processes", metavar="N", type=int, help="number of processes")
    parser.add_argument("directory", metavar="DIR", type=Path, help="folder to write the plan into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--months", type=int, default=12,
                        help=f"months of actuals from 2027-01 (default 12, at most {MAX_ACTUAL_MONTHS}; "
                        "spend only for the budgeted 2027-2028)")
    parser.add_argument("--spend-rows", type=int, default=None, metavar="ROWS",
                        help="write ROWS spend rows into one actuals/spend.csv, a general ledger's postings, "
                        "with KPI readings in proportion (default: one row per budget line and month)")
    parser.add_argument("--phasing", action="store_true",
                        help="phase every budget line: opex by a peak-season profile, capex by a schedule")
    parser.add_argument("--people", action="store_true",
                        help="capacity and demand on every process; department, by and time to fill on every role")
    parser.add_argument("--force", action="store_true",
                        help="write into a non-empty DIR, first removing what an earlier run wrote there")
    args = parser.parse_args(argv)
    if args.processes < MIN_PROCESSES:
        parser.error(f"N must be at least {MIN_PROCESSES}")
    if not 1 <= args.months <= MAX_ACTUAL_MONTHS:
        parser.error(f"--months must be between 1 and {MAX_ACTUAL_MONTHS} (the plan's horizon)")
    directory: Path = args.directory
    if directory.exists() and not directory.is_dir():
        parser.error(f"{directory} exists and is not a folder")
    if directory.is_dir() and any(directory.iterdir()) and not args.force:
        parser.error(f"{directory} is not empty; pass --force to replace an earlier generated plan there")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    directory: Path = args.directory
    if args.force and directory.is_dir():
        for name in GENERATED:
            path = directory / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
    directory.mkdir(parents=True, exist_ok=True)
    # Half a million objects that all live until the end, so nothing for the collector to
    # free: it would only rescan them over and over (a sixth of the run time at 40,000).
    gc.disable()
    try:
        plan = build_plan(args.processes, args.seed)
        plan.people = args.people
        out = Output(directory)
        write_plan(plan, args.months, out, args.spend_rows, args.phasing)
    finally:
        gc.enable()
    kpis = sum(len(process.kpis) for process in plan.processes)
    lines = sum(len(lines) for budget in plan.budgets for lines in budget.lines.values())
    print(
        f"{directory}: {out.files} files, {len(plan.processes):,} processes, {kpis:,} KPIs, "
        f"{lines:,} budget lines, {len(plan.goals):,} goals, {len(plan.programs):,} programs, "
        f"{out.csv_rows:,} CSV rows, {out.bytes:,} bytes in {time.perf_counter() - started:.2f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
