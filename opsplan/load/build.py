"""Documents -> Plan: type the values (exact money, real dates), apply defaults, merge kinds
spread over files, and resolve what must be resolved to build at all (KPI measures of goals).

Shape was checked before; an entity whose shape is wrong is built with its bad fields dropped
(or left out when what is left cannot be built) and remembered in ``Plan.invalid_ids``, so that
references, cycles and actuals still see it and one mistake gives one finding, not a cascade.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from opsplan.diagnostics import Diagnostic, Location, did_you_mean
from opsplan.load import timing  # format 1.1: phasing, tolerances, cadences
from opsplan.load.prune import misspelt_kind, what_is_left, without
from opsplan.load.settings import texts
from opsplan.load.source import ROOT_FILE, Document
from opsplan.load.strict_yaml import MAX_DECIMAL_PLACES, NUMBER_LIMIT, number_in_range
from opsplan.marks import MarkedMap
from opsplan.model import (
    Better,
    Budget,
    BudgetLine,
    Capacity,
    Demand,
    Department,
    DepartmentAllocation,
    Duration,
    DurationUnit,
    Goal,
    HiringRole,
    Kind,
    Kpi,
    LineType,
    Measure,
    Milestone,
    Money,
    Origin,
    Period,
    Perspective,
    Plan,
    Process,
    ProcessType,
    Program,
    ProgramType,
    Settings,
)
from opsplan.rules.codes import (
    DUPLICATE_ID,
    INVALID_VALUE,
    MISSING_FIELD,
    MISSING_FX_RATE,
    PERIOD_ORDER,
    UNKNOWN_REFERENCE,
    WRONG_TYPE,
    Rule,
)

T = TypeVar("T")


class _Builder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.diagnostics: list[Diagnostic] = []

    def report(self, rule: Rule, message: str, location: Location, hint: str | None = None) -> None:
        self.diagnostics.append(rule.finding(message, location, hint))

    # -- values ---------------------------------------------------------------------------

    def date(self, origin: Origin, raw: Any, *path: str | int) -> date | None:
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            self.report(INVALID_VALUE, f"`{raw}` is not a calendar date", origin.at(*path),
                        hint="check the month and the day")
            return None

    def money(self, origin: Origin, raw: Any, *path: str | int) -> tuple[Money, Decimal] | None:
        """The amount as written and its value in the plan currency, or None if unconvertible."""
        currency = self.settings.organization.currency
        if isinstance(raw, Mapping):
            amount, currency = raw["amount"], raw["currency"]
            amount_path: tuple[str | int, ...] = (*path, "amount")
        else:
            amount, amount_path = raw, path
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount).replace("_", ""))
        if value < 0:
            self.report(WRONG_TYPE, f"{_field(origin, amount_path)} is negative ({amount})", origin.at(*amount_path),
                        hint="a plan allocates and costs money: write the amount without a sign "
                        "(refunds are negative spend rows in actuals)")
            return None
        if not number_in_range(value):
            self._out_of_range(origin, amount_path, f"{amount}", currency)
            return None
        money = Money(value, currency)
        if currency == self.settings.organization.currency:
            return money, value
        rate = self.settings.fx.get(currency)
        if rate is None:
            self.report(MISSING_FX_RATE, f"amount in {currency} but the plan has no fx rate for {currency}",
                        origin.at(*path, "currency") if isinstance(raw, Mapping) else origin.at(*amount_path),
                        hint=f"add `fx: {{{currency}: RATE}}` to opsplan.yaml "
                        f"(1 {currency} = RATE {self.settings.organization.currency})")
            return None
        converted = value * rate
        if not number_in_range(converted):
            self._out_of_range(origin, amount_path, f"{amount} {currency}", self.settings.organization.currency)
            return None
        return money, converted

    def _out_of_range(self, origin: Origin, path: tuple[str | int, ...], written: str, currency: str) -> None:
        # Beyond this, sums and rounding to cents leave exact decimal arithmetic; no plan needs it.
        shown = written if len(written) <= 40 else written[:40] + "…"
        self.report(INVALID_VALUE, f"{_field(origin, path)} is out of range: {shown}", origin.at(*path),
                    hint=f"amounts are at most 10^15 ({NUMBER_LIMIT:,} {currency}) in the plan currency, "
                    f"with at most {MAX_DECIMAL_PLACES} decimal places")

    @staticmethod
    def duration(raw: Any) -> Duration | None:
        if raw is None:
            return None
        # The shape check let only a number and a unit through: `20min`, `4h`, `2d`, `3w`.
        number, unit = re.fullmatch(r"([0-9.]+)(min|[hdw])", str(raw)).groups()  # type: ignore[union-attr]
        return Duration(Decimal(number), DurationUnit(unit))

    @staticmethod
    def number(raw: Any) -> Decimal | None:
        if raw is None:
            return None
        return raw if isinstance(raw, Decimal) else Decimal(raw)

    @staticmethod
    def common(node: Mapping[str, Any]) -> tuple[str | None, tuple[str, ...], Mapping[str, str]]:
        return node.get("description"), tuple(node.get("tags") or ()), dict(node.get("links") or {})

    # -- entities -------------------------------------------------------------------------

    def department(self, id: str, node: Mapping[str, Any], origin: Origin) -> Department:
        description, tags, links = self.common(node)
        return Department(id, node["name"], node.get("parent"), node.get("head"), node.get("cost_center"),
                          node.get("headcount"), description, tags, links, origin,
                          attrition=self.number(node.get("attrition")),
                          reviewers=texts(node.get("reviewers")))

    def process(self, id: str, node: Mapping[str, Any], origin: Origin) -> Process:
        description, tags, links = self.common(node)
        kpis = []
        declared = node.get("kpis") or {}
        for kpi_id, kpi in declared.items():
            kpi_origin = Origin(origin.file, origin.node, (*origin.path, "kpis", kpi_id), key_mark(declared, kpi_id))
            kpis.append(Kpi(kpi_id, id, kpi["name"], kpi.get("unit", "any"), Better(kpi["better"]),
                            self.number(kpi.get("baseline")), Decimal(kpi["target"]),
                            self.number(kpi.get("current")), kpi.get("description"), kpi_origin,
                            cadence=timing.cadence(kpi.get("cadence"))))
        return Process(id, node["name"], node["owner"], ProcessType(node.get("type", "core")),
                       tuple(node.get("depends_on") or ()), tuple(node.get("serves") or ()),
                       self.duration(node.get("cycle_time")), tuple(kpis), description, tags, links, origin,
                       capacity=self.capacity(node.get("capacity"), origin),
                       demand=Demand(Period(node["demand"]["per"]), Decimal(node["demand"]["value"]))
                       if "demand" in node else None,
                       utilisation_target=self.number(node.get("utilisation_target")))

    def capacity(self, node: Mapping[str, Any] | None, origin: Origin) -> Capacity | None:
        """A process's capacity in one of its two forms; with both or neither it is left out
        (the finding says which), so no utilisation is judged on a guess."""
        if node is None:
            return None
        value, per_fte, fte = (self.number(node.get(name)) for name in ("value", "per_fte", "fte"))
        if value is not None and per_fte is not None:
            self.report(WRONG_TYPE, f"capacity of process `{origin.path[-1]}` gives both `value` and "
                        "`per_fte` x `fte`", origin.at("capacity", "per_fte", key=True),
                        hint="keep `value` for a fixed capacity, or `per_fte` and `fte` for a staffed one")
            return None
        if value is None and per_fte is None:
            self.report(MISSING_FIELD, f"capacity of process `{origin.path[-1]}` needs `value`, or `per_fte` and `fte`",
                        origin.at("capacity", key=True), hint="add `value: N` (units per period)")
            return None
        return Capacity(node["unit"], Period(node["per"]), value, per_fte, fte)

    def budget(self, id: str, node: Mapping[str, Any], origin: Origin) -> Budget | None:
        description, tags, links = self.common(node)
        start, end = self.date(origin, node["start"], "start"), self.date(origin, node["end"], "end")
        total = self.money(origin, node["total"], "total") if "total" in node else None
        allocations = []
        for department, allocation in (node.get("departments") or {}).items():
            allocation_origin = Origin(origin.file, origin.node, (*origin.path, "departments", department))
            cap = self.money(allocation_origin, allocation["cap"], "cap") if "cap" in allocation else None
            lines = []
            declared = allocation.get("lines") or {}
            for line_id, line in declared.items():
                line_origin = Origin(origin.file, origin.node, (*allocation_origin.path, "lines", line_id),
                                     key_mark(declared, line_id))
                amount = self.money(line_origin, line["amount"], "amount")
                if amount is None:
                    continue
                account = line.get("account")
                phasing = timing.line_phasing(
                    line.get("phasing"), line_origin, amount[0], self.settings.fx.get(amount[0].currency, Decimal(1))
                    if amount[0].currency != self.settings.organization.currency else Decimal(1),
                    self.settings.profiles, (start, end) if start and end else (date.max, date.min), self.report)
                lines.append(BudgetLine(
                    line_id, id, department, amount[0], amount[1], LineType(line["type"]), line.get("category"),
                    line.get("process"), line.get("program"), None if account is None else str(account),
                    line.get("description"), line_origin, phasing=phasing,
                    tolerance=timing.tolerance(line.get("tolerance"))))
            allocations.append(DepartmentAllocation(
                department, cap[0] if cap else None, cap[1] if cap else None, tuple(lines), allocation_origin,
                tolerance=timing.tolerance(allocation.get("tolerance"))))
        if start is None or end is None:
            return None
        return Budget(id, node["name"], start, end, total[0] if total else None, total[1] if total else None,
                      tuple(allocations), description, tags, links, origin)

    def goal(self, id: str, node: Mapping[str, Any], origin: Origin, kpis: Mapping[str, Kpi],
             invalid_processes: frozenset[str]) -> Goal | None:
        description, tags, links = self.common(node)
        due = self.date(origin, node["due"], "due")
        measure = self.measure(node["measure"], origin, kpis, invalid_processes)
        milestones = []
        for index, milestone in enumerate(node.get("milestones") or ()):
            milestone_origin = Origin(origin.file, origin.node, (*origin.path, "milestones", index))
            when = self.date(milestone_origin, milestone["date"], "date")
            if when is not None:
                milestones.append(Milestone(when, Decimal(milestone["target"]), milestone_origin))
        if due is None or measure is None:
            return None
        perspective = node.get("perspective")
        return Goal(id, node["title"], node["owner"], node.get("parent"), due,
                    Perspective(perspective) if perspective else None, measure, tuple(milestones),
                    tuple(node.get("supported_by") or ()), description, tags, links, origin,
                    tolerance=timing.tolerance(node.get("tolerance")))

    def measure(self, node: Mapping[str, Any], origin: Origin, kpis: Mapping[str, Kpi],
                invalid_processes: frozenset[str]) -> Measure | None:
        target = Decimal(node["target"])
        current = self.number(node.get("current"))
        if "kpi" in node and "metric" in node:
            self.report(WRONG_TYPE, "a measure names either a `kpi` or its own `metric`, not both",
                        origin.at("measure", "metric", key=True), hint="remove `metric` to measure the KPI")
            return None
        if "kpi" in node:
            ref = node["kpi"]
            kpi = kpis.get(ref)
            if kpi is None:
                if ref.split(".")[0] not in invalid_processes:
                    self.report(UNKNOWN_REFERENCE, f"unknown KPI `{ref}` in the measure of goal `{origin.path[-1]}`",
                                origin.at("measure", "kpi"),
                                hint=did_you_mean(ref, list(kpis)) or "write the KPI as PROCESS.KPI")
                return None
            better = Better(node["better"]) if "better" in node else kpi.better
            if better is not kpi.better:
                self.report(WRONG_TYPE, f"the measure says better is {better.value} but KPI `{ref}` says "
                            f"{kpi.better.value}", origin.at("measure", "better"),
                            hint="remove `better:`; a KPI measure takes it from the KPI")
                return None
            baseline = self.number(node["baseline"]) if "baseline" in node else kpi.baseline
            return Measure(ref, None, node.get("unit", kpi.unit), better, baseline, target,
                           current if current is not None else kpi.current,
                           timing.cadence(node.get("cadence")) or kpi.cadence)
        if "metric" not in node:
            self.report(MISSING_FIELD, "a measure needs a `kpi` (PROCESS.KPI) or its own `metric`",
                        origin.at("measure", key=True), hint="add `kpi: PROCESS.KPI`")
            return None
        return Measure(None, node["metric"], node["unit"], Better(node["better"]),
                       self.number(node.get("baseline")), target, current, timing.cadence(node.get("cadence")))

    def program(self, id: str, node: Mapping[str, Any], origin: Origin) -> Program | None:
        description, tags, links = self.common(node)
        kind = ProgramType(node["type"])
        start, end = self.date(origin, node["start"], "start"), self.date(origin, node["end"], "end")
        only_for = {"roles": ProgramType.HIRING, "audience": ProgramType.TRAINING,
                    "participants": ProgramType.TRAINING, "completion_target": ProgramType.TRAINING}
        misplaced = False
        for field_name, owner_type in only_for.items():
            if field_name in node and kind is not owner_type:
                self.report(WRONG_TYPE, f"`{field_name}` is for {owner_type.value} programs; "
                            f"program `{id}` is of type {kind.value}", origin.at(field_name, key=True),
                            hint=f"set `type: {owner_type.value}` or remove `{field_name}`")
                misplaced = True
        if kind is ProgramType.HIRING and not node.get("roles"):
            self.report(MISSING_FIELD, f"hiring program `{id}` has no `roles`", origin.at(),
                        hint="add `roles: {ROLE: {count: N, start: DATE}}`")
        roles = []
        for role_id, role in (node.get("roles") or {}).items():
            role_origin = Origin(origin.file, origin.node, (*origin.path, "roles", role_id))
            role_start = self.date(role_origin, role["start"], "start") if "start" in role else start
            role_by = self.date(role_origin, role["by"], "by") if "by" in role else end
            if "by" not in role and role_start is not None and role_by is not None and role_by < role_start:
                role_by = role_start  # a start after the program's end is OPS506's finding, not a second one
            cost = self.money(role_origin, role["annual_cost"], "annual_cost") if "annual_cost" in role else None
            if role_start is not None and role_by is not None and role_by < role_start:
                # Hires spread from start to by: a window that ends before it starts has no day to hire on.
                self.report(PERIOD_ORDER, f"role `{role_id}` of program `{id}` is to be hired by {role_by}, "
                            f"before its first hire on {role_start}", role_origin.at("by"),
                            hint="move `by` on or after `start`")
                continue
            if role_start is not None and role_by is not None:
                roles.append(HiringRole(role_id, role["count"], role_start, cost[0] if cost else None,
                                        cost[1] if cost else None, role_origin,
                                        department=role.get("department", node["owner"]), by=role_by,
                                        time_to_fill=self.duration(role.get("time_to_fill"))))
        if start is None or end is None or misplaced:
            return None
        target = node.get("completion_target")
        return Program(id, kind, node["name"], node["owner"], start, end, tuple(node.get("depends_on") or ()),
                       tuple(node.get("improves") or ()), tuple(roles), tuple(node.get("audience") or ()),
                       node.get("participants"), None if target is None else Decimal(target),
                       description, tags, links, origin)


def key_mark(entities: Mapping[str, Any], id: str) -> int | None:
    """The packed marks of ``id``'s key in the mapping of entities that holds it, if it has marks."""
    return entities.marks.get(id) if isinstance(entities, MarkedMap) else None


def _field(origin: Origin, path: tuple[str | int, ...]) -> str:
    """`lines.robots.amount` of budget `fy2027`: a field named in the plan's words."""
    kind, id, *inner = (*origin.path, *path)
    singular = {kind.value: kind.singular for kind in Kind}.get(str(kind), str(kind))
    return f"`{'.'.join(str(part) for part in inner)}` of {singular} `{id}`"


def build_plan(
    documents: list[Document], settings: Settings, invalid: set[tuple[str | int, ...]],
) -> tuple[Plan, list[Diagnostic]]:
    """Merge every document's entities into one Plan; report ids declared twice. ``invalid``
    holds the paths of shape errors: (kind, id, field...)."""
    builder = _Builder(settings)
    first_seen: dict[tuple[Kind, str], Location] = {}
    nodes: dict[Kind, list[tuple[str, Mapping[str, Any], Origin]]] = {kind: [] for kind in Kind}
    invalid_ids: dict[Kind, set[str]] = {kind: set() for kind in Kind}
    bad_fields: dict[tuple[str, str], list[tuple[str | int, ...]]] = {}
    for path in invalid:
        bad_fields.setdefault((str(path[0]), str(path[1])), []).append(path[2:])
    for document in documents:
        if not isinstance(document.root, MarkedMap):
            continue
        for key, entities in document.root.items():
            # `proceses:` is one OPS005; its entities are declared all the same, so references
            # to them and rows of actuals naming them are not reported once each.
            misspelt = misspelt_kind(key)
            if misspelt is not None and isinstance(entities, Mapping):
                invalid_ids[misspelt].update(str(id) for id in entities)
        for kind in Kind:
            entities = document.root.get(kind.value)
            if not isinstance(entities, MarkedMap):
                continue
            for id, node in entities.items():
                origin = Origin(document.file, document.root, (kind.value, id), key_mark(entities, id))
                here = origin.at()
                if (kind, id) in first_seen:
                    other = first_seen[(kind, id)]
                    builder.report(DUPLICATE_ID, f"{kind.singular} `{id}` is declared twice; the other is at {other}",
                                   here, hint="ids are unique per kind across the plan: rename or remove one")
                    continue
                first_seen[(kind, id)] = here
                if not isinstance(node, Mapping):
                    invalid_ids[kind].add(id)
                    continue
                errors = bad_fields.get((kind.value, id))
                if errors is not None:
                    invalid_ids[kind].add(id)
                    node = without(node, errors)
                nodes[kind].append((id, node, origin))

    def build_kind(kind: Kind, make: Callable[[str, Mapping[str, Any], Origin], T | None]) -> dict[str, T]:
        """Build every entity of a kind; one that cannot be built joins the invalid ids."""
        built: dict[str, T] = {}
        for id, node, origin in nodes[kind]:
            entity = what_is_left(make, id, node, origin) if id in invalid_ids[kind] else make(id, node, origin)
            if entity is None:
                invalid_ids[kind].add(id)
            else:
                built[id] = entity
        return built

    departments = build_kind(Kind.DEPARTMENT, builder.department)
    processes = build_kind(Kind.PROCESS, builder.process)
    kpis = {kpi.ref: kpi for process in processes.values() for kpi in process.kpis}
    budgets = build_kind(Kind.BUDGET, builder.budget)
    invalid_processes = frozenset(invalid_ids[Kind.PROCESS])
    goals = build_kind(Kind.GOAL, lambda id, node, origin: builder.goal(id, node, origin, kpis, invalid_processes))
    programs = build_kind(Kind.PROGRAM, builder.program)
    plan = Plan(ROOT_FILE, settings, departments, processes, budgets, goals, programs,
                tuple(document.file for document in documents),
                {kind: frozenset(ids) for kind, ids in invalid_ids.items()})
    from opsplan.load.waivers import build_waivers  # format 1.1: built once the entities are known

    waivers, found = build_waivers(documents, plan, invalid)
    return replace(plan, waivers=waivers), [*builder.diagnostics, *found]
