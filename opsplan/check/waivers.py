"""Applying the plan's waivers: the check stage after severity overrides.

A finding of a waiver's rule about its entity (found inside the entity's block of its file) or
in its file of actuals is marked with the waiver's id: it is kept, to be shown on request, and
not counted. A waiver past its expiry date waives nothing and is OPS801, naming its owner; one
that matches no finding is OPS802; one naming a rule that cannot be waived is OPS803.

Plan findings and actuals findings are waived in two steps, as they are found: a command that
reads no actuals judges only the waivers of entities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from opsplan.diagnostics import Diagnostic, did_you_mean
from opsplan.marks import MarkedMap, MarkedSeq
from opsplan.model import Kind, Plan, Waiver
from opsplan.rules import registry
from opsplan.rules.waivers import (
    EXPIRED_WAIVER,
    UNUSED_WAIVER,
    UNWAIVABLE_RULE,
    WAIVABLE_FROM,
    WAIVABLE_UNTIL,
    is_waivable,
)


def waive_plan_findings(diagnostics: Iterable[Diagnostic], plan: Plan, as_of: date) -> list[Diagnostic]:
    """The plan's findings with those its entity waivers match marked, and the findings about
    every waiver that does not hold: unwaivable, expired, or (of an entity) unused."""
    result = list(diagnostics)
    if not plan.waivers:
        return result
    judged = list(_judge(plan.waivers.values(), as_of))
    result += [finding for _, finding in judged if finding is not None]
    holding = [waiver for waiver, finding in judged if finding is None and waiver.file is None]
    spans = {waiver.id: span for waiver in holding if (span := _span(plan, waiver.entity)) is not None}

    def match(diagnostic: Diagnostic) -> str | None:
        location = diagnostic.location
        for waiver in holding:
            span = spans.get(waiver.id)
            if (span is not None and waiver.rule == diagnostic.code and location.file == span[0]
                    and span[1] <= location.line <= span[2]):
                return waiver.id
        return None

    return _mark(result, holding, match)


def waive_actuals_findings(diagnostics: Iterable[Diagnostic], plan: Plan, as_of: date) -> list[Diagnostic]:
    """The findings of the actuals with those their file waivers match marked, and OPS802 for
    a file waiver that matches none (unwaivable and expired ones were found with the plan's)."""
    result = list(diagnostics)
    holding = [waiver for waiver, finding in _judge(plan.waivers.values(), as_of)
               if finding is None and waiver.file is not None]
    if not holding:
        return result

    def match(diagnostic: Diagnostic) -> str | None:
        for waiver in holding:
            if waiver.rule == diagnostic.code and waiver.file == diagnostic.location.file:
                return waiver.id
        return None

    return _mark(result, holding, match)


def _mark(diagnostics: list[Diagnostic], holding: list[Waiver],
          match: Callable[[Diagnostic], str | None]) -> list[Diagnostic]:
    used: set[str] = set()
    result = []
    for diagnostic in diagnostics:
        matched = match(diagnostic) if diagnostic.waived is None else None
        if matched is not None:
            used.add(matched)
            diagnostic = replace(diagnostic, waived=matched)
        result.append(diagnostic)
    for waiver in holding:
        if waiver.id not in used:
            result.append(UNUSED_WAIVER.finding(
                f"waiver `{waiver.id}` matches no {waiver.rule} finding about {_named(waiver)}",
                waiver.origin.at(), hint="remove it: the finding it accepted is gone"
                + ("" if waiver.file is not None or not waiver.rule.startswith("OPS7")
                   else "; actuals findings are waived by file, `entity: {file: PATH}`")))
    return result


def _judge(waivers: Iterable[Waiver], as_of: date) -> Iterator[tuple[Waiver, Diagnostic | None]]:
    """Each waiver with the finding that it does not hold, or None when it holds on ``as_of``."""
    rules = registry()
    for waiver in waivers:
        rule = rules.get(waiver.rule)
        if rule is None or not is_waivable(rule):
            known = [code for code, candidate in rules.items() if is_waivable(candidate)]
            hint = did_you_mean(waiver.rule, known) if rule is None else None
            what = f"unknown rule `{waiver.rule}`" if rule is None else f"rule {waiver.rule} ({rule.name})"
            yield waiver, UNWAIVABLE_RULE.finding(
                f"waiver `{waiver.id}` names {what}, which cannot be waived", waiver.origin.at("rule"),
                hint=hint or f"only rules {WAIVABLE_FROM}-{WAIVABLE_UNTIL} that the plan may configure can be "
                "waived; fix the finding instead")
        elif waiver.expires < as_of:
            yield waiver, EXPIRED_WAIVER.finding(
                f"waiver `{waiver.id}` of {waiver.rule} for {_named(waiver)} expired on {waiver.expires}; "
                f"it is owned by department `{waiver.owner}`", waiver.origin.at("expires"),
                hint=f"`{waiver.owner}` fixes the finding and removes the waiver, or moves `expires` later")
        else:
            yield waiver, None


def _named(waiver: Waiver) -> str:
    return f"file {waiver.file}" if waiver.file is not None else waiver.entity


_KINDS = {kind.singular: kind for kind in Kind}


def _span(plan: Plan, entity: str) -> tuple[str, int, int] | None:
    """The file of an entity and the first and last lines of its block there."""
    kind_name, _, id = entity.partition("/")
    entities: Mapping[str, Any] = {
        Kind.DEPARTMENT: plan.departments, Kind.PROCESS: plan.processes, Kind.BUDGET: plan.budgets,
        Kind.GOAL: plan.goals, Kind.PROGRAM: plan.programs}[_KINDS[kind_name]]
    found = entities.get(id)
    if found is None:
        return None
    origin = found.origin
    start = origin.at().line
    node: Any = origin.node
    for part in origin.path:
        node = node.get(part) if isinstance(node, Mapping) else None
    return origin.file, start, max(start, _last_line(node))


def _last_line(node: Any) -> int:
    """The last line on which anything inside a YAML node starts."""
    last = getattr(node, "line", 0)
    if isinstance(node, MarkedMap):
        for key in node.marks:
            key_line, _, value_line, _ = node.mark(key)
            last = max(last, key_line, value_line, _last_line(node.get(key)))
    elif isinstance(node, MarkedSeq):
        for index, item in enumerate(node):
            last = max(last, node.mark(index)[0], _last_line(item))
    return last
