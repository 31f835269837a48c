"""The root file's settings: the organisation, the horizon, fx rates, severity overrides, what to
exclude, and the format 1.1 report settings and profiles. They are built before any entity,
because every amount is converted and every date judged with them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from opsplan.diagnostics import Diagnostic, Severity, did_you_mean
from opsplan.load import timing  # format 1.1: report settings and profiles
from opsplan.load.source import Document
from opsplan.load.strict_yaml import number_in_range
from opsplan.marks import MarkedMap
from opsplan.model import Horizon, Organization, Origin, Settings
from opsplan.rules.codes import INVALID_VALUE, PERIOD_ORDER, WRONG_TYPE, Rule


def build_settings(document: Document, rules: Mapping[str, Rule]) -> tuple[Settings | None, list[Diagnostic]]:
    """The root file's settings, if its shape allows; the kinds it may declare are built later.
    ``rules`` are the declared rules by code, which `rules:` may set the severity of."""
    node = document.root
    diagnostics: list[Diagnostic] = []
    origin = Origin(document.file, node)
    if node is None:
        return None, diagnostics
    try:
        name, currency = node["organization"]["name"], node["organization"]["currency"]
        fiscal_year_start = node["organization"].get("fiscal_year_start", 1)
        start_raw, end_raw = node["horizon"]["start"], node["horizon"]["end"]
    except (KeyError, TypeError, AttributeError):
        return None, diagnostics
    # Settings are used before the plan is, so only values of the right shape (the shape check
    # reported the others): without a name and a currency code nothing can be built.
    if not isinstance(name, str) or not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        return None, diagnostics
    if type(fiscal_year_start) is not int or not 1 <= fiscal_year_start <= 12:
        fiscal_year_start = 1
    organization = Organization(name, currency, fiscal_year_start)
    dates = []
    for name, raw in (("start", start_raw), ("end", end_raw)):
        try:
            dates.append(date.fromisoformat(str(raw)))
        except ValueError:
            diagnostics.append(INVALID_VALUE.finding(f"`{raw}` is not a calendar date",
                                               origin.at("horizon", name)))
    if len(dates) != 2:
        return None, diagnostics
    if dates[1] < dates[0]:
        diagnostics.append(PERIOD_ORDER.finding(f"the horizon ends ({dates[1]}) before it starts ({dates[0]})",
                                           origin.at("horizon", "end"), hint="swap `start` and `end`"))
    overrides, fx = _overrides(node, origin, rules, diagnostics), _rates(node)
    settings = Settings(node.get("opsplan", 1), organization, Horizon(dates[0], dates[1]), fx, overrides,
                        _exclude(node), origin, report=timing.report_settings(node),
                        profiles=timing.profiles(node, origin), finance_reviewers=texts(node.get("finance_reviewers")))
    return settings, diagnostics


def texts(raw: Any) -> tuple[str, ...]:
    return tuple(item for item in raw if isinstance(item, str)) if isinstance(raw, list) else ()


def _overrides(
    node: MarkedMap, origin: Origin, declared: Mapping[str, Rule], diagnostics: list[Diagnostic],
) -> dict[str, Severity]:
    """The valid severity overrides of `rules:`; the shape check reported any other entry already
    (a bad severity, a list instead of a mapping), and a run goes on without them."""
    rules = node.get("rules")
    overrides: dict[str, Severity] = {}
    if not isinstance(rules, Mapping):
        return overrides
    severities = {severity.value: severity for severity in Severity}
    for code, severity in rules.items():
        rule = declared.get(code)
        if rule is None and not re.fullmatch(r"OPS[0-9]{3}", code):
            continue  # not even shaped like a code: the schema said so already
        if rule is None:
            diagnostics.append(WRONG_TYPE.finding(f"unknown rule `{code}` in `rules`",
                                               origin.at("rules", code, key=True),
                                               hint=did_you_mean(code, list(declared)) or "see `opsplan explain --list`"))
        elif not rule.configurable:
            diagnostics.append(WRONG_TYPE.finding(f"rule {code} cannot be changed: without it the plan cannot be read reliably",
                origin.at("rules", code, key=True), hint="fix the finding instead"))
        elif isinstance(severity, str) and severity in severities:
            overrides[code] = severities[severity]
    return overrides


def _exclude(node: MarkedMap) -> tuple[str, ...]:
    exclude = node.get("exclude")
    return tuple(item for item in exclude if isinstance(item, str)) if isinstance(exclude, list) else ()


def _rates(node: MarkedMap) -> dict[str, Decimal]:
    """The valid `fx:` rates, plain or quoted decimals; the shape check reported the others."""
    rates = node.get("fx")
    fx: dict[str, Decimal] = {}
    if not isinstance(rates, Mapping):
        return fx
    for currency, rate in rates.items():
        if isinstance(rate, bool) or not isinstance(rate, (int, Decimal, str)):
            continue
        try:
            value = Decimal(str(rate).replace("_", ""))
        except InvalidOperation:
            continue
        if value > 0 and number_in_range(value):
            fx[currency] = value
    return fx
