"""Waivers: a finding accepted for a while, by name, with an owner and an expiry date.

These codes are raised by the check stage that applies the plan's waivers
(:mod:`opsplan.check.waivers`), after every other rule has run: only then is it known which
findings a waiver matches. They judge waivers, so none of them can itself be waived.
"""

from __future__ import annotations

from opsplan.diagnostics import Severity
from opsplan.rules.codes import Rule, declare

# Rules a waiver may name: what the plan means (budgets, goals, hygiene) and its actuals. The
# structural ones (parse, shape, references, cycles) cannot be waived any more than turned off.
WAIVABLE_FROM, WAIVABLE_UNTIL = "OPS400", "OPS799"

_WAIVER = """\
waivers:
  payroll-kpis-later:
    rule: OPS602
    entity: process/payroll
    owner: finance
    reason: Payroll KPIs arrive with the new HR system in Q3
    expires: {expires}
"""

EXPIRED_WAIVER = declare(Rule(
    "OPS801", "waiver-expired", Severity.ERROR, "a waiver has expired",
    "A waiver is a promise to fix a finding by a date. Once the date has passed, the finding "
    "counts again and the waiver's owner is named, so that the promise is either kept or renewed "
    "in a reviewed change.",
    _WAIVER.format(expires="2026-03-31   # before the day of the check").strip("\n"),
    _WAIVER.format(expires="2027-09-30   # renewed in review, or the waiver removed").strip("\n"),
    configurable=False))

UNUSED_WAIVER = declare(Rule(
    "OPS802", "waiver-unused", Severity.WARNING, "a waiver matches no finding",
    "A waiver that silences nothing has done its job (the finding was fixed) or names the wrong "
    "rule or entity; left in the plan it would silence the same finding if it came back unseen.",
    _WAIVER.format(expires="2027-09-30   # but process payroll has KPIs now").strip("\n"),
    "waivers: {}   # the waiver removed once the finding is fixed",
    configurable=False))

UNWAIVABLE_RULE = declare(Rule(
    "OPS803", "waiver-unwaivable", Severity.ERROR, "a waiver names a code that cannot be waived",
    "Only rules the plan may configure (OPS400-OPS799) can be waived: a plan with a syntax, shape, "
    "reference or cycle error cannot be read reliably, so those must be fixed, not accepted.",
    _WAIVER.format(expires="2027-09-30").replace("OPS602", "OPS202").strip("\n"),
    _WAIVER.format(expires="2027-09-30").strip("\n"),
    configurable=False))


def is_waivable(rule: Rule) -> bool:
    return rule.configurable and WAIVABLE_FROM <= rule.code <= WAIVABLE_UNTIL
