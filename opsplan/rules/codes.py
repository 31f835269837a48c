"""Every rule's declaration type, and the rules the loading stages raise.

This module is the floor of :mod:`opsplan.rules`: it imports only :mod:`opsplan.diagnostics`, so
the loader (source, schema, build, actuals) raises declared rules without pulling in a rule's
check. A finding is made by its rule (``DUPLICATE_KEY.finding(...)``), which gives it the rule's
default severity; the plan's overrides are applied later, once, by the check pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from opsplan.diagnostics import Diagnostic, Location, Severity

if TYPE_CHECKING:
    from opsplan.model import Plan

Check = Callable[["Plan"], Iterable[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's code and documentation; ``check`` is None for findings a loading stage raises."""

    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    bad: str
    good: str
    configurable: bool = True
    check: Check | None = field(default=None, compare=False)

    def finding(self, message: str, location: Location, hint: str | None = None) -> Diagnostic:
        """A finding of this rule at its default severity."""
        return Diagnostic(self.code, self.severity, message, location, hint)

    def __call__(self, plan: Plan) -> Iterator[Diagnostic]:
        """Run the rule's check over a plan (a rule without a check finds nothing there)."""
        if self.check is not None:
            yield from self.check(plan)


# Every declared rule by code, in declaration order; `opsplan.rules.registry()` sorts it.
DECLARED: dict[str, Rule] = {}


def declare(rule: Rule) -> Rule:
    if rule.code in DECLARED and DECLARED[rule.code].check is not None:
        raise ValueError(f"rule {rule.code} declared twice")
    DECLARED[rule.code] = rule
    return rule


def rule(
    code: str, name: str, severity: Severity, summary: str, *, rationale: str, bad: str, good: str,
    configurable: bool = True,
) -> Callable[[Check], Rule]:
    """Declare a semantic rule: a function of the plan that yields its findings becomes the Rule."""

    def decorate(check: Check) -> Rule:
        return declare(Rule(code, name, severity, summary, rationale, bad.strip("\n"), good.strip("\n"),
                            configurable=configurable, check=check))

    return decorate


def checked_by(declared: Rule) -> Callable[[Check], Rule]:
    """Give a rule declared here (because a loading stage raises it too) its check on the plan."""

    def decorate(check: Check) -> Rule:
        if DECLARED.get(declared.code) is not declared:
            raise ValueError(f"rule {declared.code} is not declared here, or has a check already")
        return declare(replace(declared, check=check))

    return decorate


def _stage(code: str, name: str, summary: str, rationale: str, bad: str, good: str) -> Rule:
    """A code raised by a loading stage (parse, shape, build): documented, not configurable."""
    return declare(Rule(code, name, Severity.ERROR, summary, rationale, bad.strip("\n"), good.strip("\n"),
                        configurable=False))


def _actuals_rule(code: str, name: str, summary: str, rationale: str, bad: str, good: str,
                  severity: Severity = Severity.ERROR) -> Rule:
    """A code raised while actuals are read: documented, with a default severity the plan may change."""
    return declare(Rule(code, name, severity, summary, rationale, bad.strip("\n"), good.strip("\n")))


YAML_SYNTAX = _stage("OPS001", "yaml-syntax", "YAML syntax error",
    "A file that is not valid YAML cannot be read at all; nothing in it is checked until it parses.",
    "processes:\n  order-intake:\n    name: Order intake\n   owner: sales   # indentation off by one\n",
    "processes:\n  order-intake:\n    name: Order intake\n    owner: sales\n")
NOT_UTF8 = _stage("OPS002", "not-utf8", "file is not valid UTF-8",
    "Plan files are text in one encoding so that every tool, diff and editor reads the same names.",
    "# saved as Latin-1 or UTF-16 by a spreadsheet export\n",
    "# saved as UTF-8 (a UTF-8 byte-order mark is tolerated)\n")
DUPLICATE_KEY = _stage("OPS003", "duplicate-key", "duplicate key in a mapping",
    "YAML parsers silently keep one of two equal keys; a reviewer cannot tell which value counts.",
    "departments:\n  hr:\n    name: HR\n    name: People\n",
    "departments:\n  hr:\n    name: People\n")
NO_ANCHORS_OR_TAGS = _stage("OPS004", "no-anchors-or-tags", "anchors, aliases, merge keys or tags are not allowed",
    "Aliases make a value mean something written elsewhere, and can expand exponentially "
    "(\"billion laughs\"); tags turn text into objects. Plans say everything where it applies.",
    "defaults: &d {type: core}\nprocesses:\n  billing: {<<: *d, name: Billing, owner: finance}\n",
    "processes:\n  billing: {type: core, name: Billing, owner: finance}\n")
NOT_A_PLAN_FILE = _stage("OPS005", "not-a-plan-file", "top level of a plan file is not a mapping of known kinds",
    "Every plan file maps kinds (departments, processes, budgets, goals, programs) to entities; "
    "anything else is a typo or a file that does not belong in the plan.",
    "- order-intake\n- billing\n",
    "processes:\n  order-intake: {name: Order intake, owner: sales}\n")
ROOT_FILE_VERSION = _stage("OPS006", "root-file", "`opsplan.yaml` missing, or unsupported `opsplan:` version",
    "The root file says which format the plan is written in; without it opsplan cannot know how "
    "to read the rest.",
    "opsplan: 2\n",
    "opsplan: 1\norganization: {name: Acme Logistics, currency: USD}\n"
    "horizon: {start: 2027-01-01, end: 2029-12-31}\n")
SAFETY_LIMIT = _stage("OPS007", "safety-limit", "a file exceeds a safety limit (size, nesting depth, number of nodes)",
    "Limits keep a hostile or generated file from exhausting memory or time in CI.",
    "# a 50 MB generated file, or lists nested 100 levels deep\n",
    "# split large plans over several files\n")
UNREADABLE_PATH = _stage("OPS008", "unreadable-path",
    "a file or folder is a link leading out of the plan, or a folder cannot be read",
    "Plan files and actuals arrive in pull requests and what opsplan prints is posted back: a link "
    "to a file outside the plan (a token, a password file) would put its content into CI output, "
    "so it is reported at the link and never read. A folder opsplan cannot list would leave part "
    "of the plan out without a word; it is reported instead.",
    "# actuals/spend.csv -> /home/ci/.git-credentials\n# ops/ -> ../../other-repo/ops\n",
    "# copy the file into the plan, or link to a place inside the plan's folder\n")
MISSING_FIELD = _stage("OPS101", "missing-field", "missing required field",
    "Required fields are what every report and rule relies on: a process without an owner "
    "belongs to nobody.",
    "processes:\n  billing:\n    name: Billing\n",
    "processes:\n  billing:\n    name: Billing\n    owner: finance\n")
UNKNOWN_FIELD = _stage("OPS102", "unknown-field", "unknown field (with the closest known field as hint)",
    "A misspelt field would otherwise be ignored silently, and the value meant for it lost. "
    "Keys starting with `x-` are extensions and are kept.",
    "processes:\n  billing:\n    name: Billing\n    onwer: finance\n",
    "processes:\n  billing:\n    name: Billing\n    owner: finance\n    x-erp-code: FIN-7\n")
WRONG_TYPE = _stage("OPS103", "wrong-type", "wrong type or value not allowed (enum, pattern, range)",
    "Each field takes one kind of value; anything else would be guessed at, and guesses differ.",
    "processes:\n  billing:\n    name: Billing\n    owner: finance\n    type: central\n",
    "processes:\n  billing:\n    name: Billing\n    owner: finance\n    type: support\n")
INVALID_ID = _stage("OPS104", "invalid-id", "invalid id",
    "Ids are lower-case slugs so that references, file names, URLs and graph nodes agree.",
    "departments:\n  Customer Service: {name: Customer service}\n",
    "departments:\n  customer-service: {name: Customer service}\n")
INVALID_VALUE = _stage("OPS105", "invalid-value", "invalid money, date or duration",
    "Money is exact, dates are calendar dates and durations carry a unit (minutes, hours, days "
    "or weeks); a near miss such as a datetime, `1:30` or `20m` would be read as something else. Numbers "
    "are at most 10^15 in size with at most 30 decimal places, and money at most 10^15 in the plan "
    "currency after conversion: beyond that a value is a slip of the keyboard (or an attack), and "
    "sums and rounding to cents would no longer be exact.",
    "budgets:\n  fy2027:\n    name: FY 2027\n    start: 2027-01-01T00:00:00\n    end: 2027-02-30\n",
    "budgets:\n  fy2027:\n    name: FY 2027\n    start: 2027-01-01\n    end: 2027-12-31\n")

DUPLICATE_ID = _stage("OPS201", "duplicate-id", "duplicate id within a kind",
    "Ids are how everything refers to everything else; two entities with one id make every "
    "reference to it ambiguous. Reported at the later file in path order, naming the other.",
    "# org/a.yaml\ndepartments:\n  hr: {name: HR}\n# org/b.yaml\ndepartments:\n  hr: {name: People}\n",
    "# org/a.yaml\ndepartments:\n  hr: {name: HR}\n")
# Checked on the built plan by a rule module, and raised by the loader too (an unknown KPI in a
# goal's measure, a horizon that ends before it starts): declared here for both.
UNKNOWN_REFERENCE = declare(Rule(
    "OPS202", "unknown-reference", Severity.ERROR, "reference to an unknown id",
    rationale="A reference to an id that does not exist is a typo or a leftover from a rename; "
    "whatever it was meant to connect is silently disconnected.",
    bad="processes:\n  billing:\n    name: Billing\n    owner: fianance",
    good="processes:\n  billing:\n    name: Billing\n    owner: finance",
    configurable=False))
MISSING_FX_RATE = _stage("OPS204", "missing-fx-rate", "currency with no `fx` rate",
    "Amounts in another currency must convert exactly into the plan currency to be added up "
    "against caps and totals.",
    "# opsplan.yaml has no fx\nbudgets:\n  fy2027:\n    ...\n    departments:\n      it:\n        lines:\n"
    "          licences: {amount: {amount: 9000, currency: EUR}, type: opex}\n",
    "# opsplan.yaml\nfx:\n  EUR: 1.08\n")

PERIOD_ORDER = declare(Rule(
    "OPS403", "period-order", Severity.ERROR, "a period ends before it starts (budget, program)",
    rationale="A period that ends before it starts has no days; every figure spread over it is meaningless.",
    bad="fy2027: {name: FY 2027, start: 2027-12-31, end: 2027-01-01}",
    good="fy2027: {name: FY 2027, start: 2027-01-01, end: 2027-12-31}", configurable=False))


# Actuals (section 9): raised while rows are read.
ACTUALS_FILE = _actuals_rule("OPS701", "actuals-file", "an actuals file cannot be read or its header matches no kind of actuals",
    "Files are recognised by their header (a Parquet file by its column names); a file opsplan cannot "
    "place is ignored entirely, so every figure in it would be missing from reports.",
    "# actuals/q1.csv\nday,metric,val\n2027-01-31,order-intake.order-accuracy,97.5\n",
    "# actuals/q1.csv\ndate,kpi,value\n2027-01-31,order-intake.order-accuracy,97.5\n")
ACTUALS_UNKNOWN_ID = _actuals_rule("OPS702", "actuals-unknown-id", "a row names an unknown department, line, KPI, program or role",
    "A figure booked to something the plan does not declare counts nowhere; usually a typo or an id "
    "renamed in the plan but not in the export.",
    "date,department,line,amount\n2027-01-31,warehose,salaries,200000\n",
    "date,department,line,amount\n2027-01-31,warehouse,salaries,200000\n")
ACTUALS_BAD_VALUE = _actuals_rule("OPS703", "actuals-bad-value", "a row holds an unparsable or missing date or number",
    "Spreadsheet exports bring thousands separators, currency symbols and local date formats; a value "
    "that cannot be read exactly is reported instead of being guessed.",
    "date,kpi,value\n31/01/2027,order-intake.order-accuracy,\"97,5\"\n",
    "date,kpi,value\n2027-01-31,order-intake.order-accuracy,97.5\n")
ACTUALS_CURRENCY = _actuals_rule("OPS704", "actuals-currency", "a spend row's currency has no `fx` rate",
    "Spend is compared with budgets in the plan currency; without a rate the amount cannot be converted.",
    "# opsplan.yaml has no fx: GBP\ndate,department,line,amount,currency\n2027-01-31,warehouse,rent,9000,GBP\n",
    "# opsplan.yaml\nfx:\n  GBP: 1.27\n")
ACTUALS_OUTSIDE_BUDGET = _actuals_rule("OPS705", "actuals-outside-budget", "spend is dated outside every budget that holds its line",
    "Spend counts against the budget whose period holds its date; spend outside every such period "
    "would vanish from the variance.",
    "# fy2027 runs 2027-01-01 to 2027-12-31\ndate,department,line,amount\n2028-01-15,warehouse,salaries,200000\n",
    "# add the line to fy2028, or fix the date\ndate,department,line,amount\n2027-12-31,warehouse,salaries,200000\n")
DUPLICATE_EXPORT = _actuals_rule("OPS706", "duplicate-export", "a file's rows repeat the rows of an earlier file of the same kind",
    "Every row counts, so an export saved twice (a copy, a re-download under another name) counts "
    "every figure twice. A file repeats another when at least half of its rows are rows of that file, "
    "cell for cell in the columns that identify a figure (any column order, extra columns ignored).",
    "# actuals/spend-jan.csv and actuals/spend-jan (1).csv hold the same rows\n"
    "date,department,line,amount\n2027-01-31,warehouse,salaries,200000\n",
    "# one file per export\ndate,department,line,amount\n2027-01-31,warehouse,salaries,200000\n",
    severity=Severity.WARNING)
