"""The rule registry: loading-stage codes documented here, semantic rules one module per area.

Importing this package registers every rule; ``opsplan explain`` and docs/rules.md read it.
"""

from __future__ import annotations

from opsplan.diagnostics import RULES, Rule, Severity, register


def _stage(code: str, name: str, summary: str, rationale: str, bad: str, good: str) -> None:
    """A code emitted by a loading stage (parse, shape, build): documented, not configurable."""
    register(Rule(code, name, Severity.ERROR, summary, rationale, bad.strip("\n"), good.strip("\n"),
                  configurable=False))


_stage("OPS001", "yaml-syntax", "YAML syntax error",
       "A file that is not valid YAML cannot be read at all; nothing in it is checked until it parses.",
       "processes:\n  order-intake:\n    name: Order intake\n   owner: sales   # indentation off by one\n",
       "processes:\n  order-intake:\n    name: Order intake\n    owner: sales\n")
_stage("OPS002", "not-utf8", "file is not valid UTF-8",
       "Plan files are text in one encoding so that every tool, diff and editor reads the same names.",
       "# saved as Latin-1 or UTF-16 by a spreadsheet export\n",
       "# saved as UTF-8 (a UTF-8 byte-order mark is tolerated)\n")
_stage("OPS003", "duplicate-key", "duplicate key in a mapping",
       "YAML parsers silently keep one of two equal keys; a reviewer cannot tell which value counts.",
       "departments:\n  hr:\n    name: HR\n    name: People\n",
       "departments:\n  hr:\n    name: People\n")
_stage("OPS004", "no-anchors-or-tags", "anchors, aliases, merge keys or tags are not allowed",
       "Aliases make a value mean something written elsewhere, and can expand exponentially "
       "(\"billion laughs\"); tags turn text into objects. Plans say everything where it applies.",
       "defaults: &d {type: core}\nprocesses:\n  billing: {<<: *d, name: Billing, owner: finance}\n",
       "processes:\n  billing: {type: core, name: Billing, owner: finance}\n")
_stage("OPS005", "not-a-plan-file", "top level of a plan file is not a mapping of known kinds",
       "Every plan file maps kinds (departments, processes, budgets, goals, programs) to entities; "
       "anything else is a typo or a file that does not belong in the plan.",
       "- order-intake\n- billing\n",
       "processes:\n  order-intake: {name: Order intake, owner: sales}\n")
_stage("OPS006", "root-file", "`opsplan.yaml` missing, or unsupported `opsplan:` version",
       "The root file says which format the plan is written in; without it opsplan cannot know how "
       "to read the rest.",
       "opsplan: 2\n",
       "opsplan: 1\norganization: {name: Acme Logistics, currency: USD}\n"
       "horizon: {start: 2027-01-01, end: 2029-12-31}\n")
_stage("OPS007", "safety-limit", "a file exceeds a safety limit (size, nesting depth, number of nodes)",
       "Limits keep a hostile or generated file from exhausting memory or time in CI.",
       "# a 50 MB generated file, or lists nested 100 levels deep\n",
       "# split large plans over several files\n")
_stage("OPS008", "unreadable-path",
       "a file or folder is a link leading out of the plan, or a folder cannot be read",
       "Plan files and actuals arrive in pull requests and what opsplan prints is posted back: a link "
       "to a file outside the plan (a token, a password file) would put its content into CI output, "
       "so it is reported at the link and never read. A folder opsplan cannot list would leave part "
       "of the plan out without a word; it is reported instead.",
       "# actuals/spend.csv -> /home/ci/.git-credentials\n# ops/ -> ../../other-repo/ops\n",
       "# copy the file into the plan, or link to a place inside the plan's folder\n")
_stage("OPS101", "missing-field", "missing required field",
       "Required fields are what every report and rule relies on: a process without an owner "
       "belongs to nobody.",
       "processes:\n  billing:\n    name: Billing\n",
       "processes:\n  billing:\n    name: Billing\n    owner: finance\n")
_stage("OPS102", "unknown-field", "unknown field (with the closest known field as hint)",
       "A misspelt field would otherwise be ignored silently, and the value meant for it lost. "
       "Keys starting with `x-` are extensions and are kept.",
       "processes:\n  billing:\n    name: Billing\n    onwer: finance\n",
       "processes:\n  billing:\n    name: Billing\n    owner: finance\n    x-erp-code: FIN-7\n")
_stage("OPS103", "wrong-type", "wrong type or value not allowed (enum, pattern, range)",
       "Each field takes one kind of value; anything else would be guessed at, and guesses differ.",
       "processes:\n  billing:\n    name: Billing\n    owner: finance\n    type: central\n",
       "processes:\n  billing:\n    name: Billing\n    owner: finance\n    type: support\n")
_stage("OPS104", "invalid-id", "invalid id",
       "Ids are lower-case slugs so that references, file names, URLs and graph nodes agree.",
       "departments:\n  Customer Service: {name: Customer service}\n",
       "departments:\n  customer-service: {name: Customer service}\n")
_stage("OPS105", "invalid-value", "invalid money, date or duration",
       "Money is exact, dates are calendar dates and durations carry a unit (hours, days or weeks); "
       "a near miss such as a datetime, `1:30` or `20min` would be read as something else. Numbers "
       "are at most 10^15 in size with at most 30 decimal places, and money at most 10^15 in the plan "
       "currency after conversion: beyond that a value is a slip of the keyboard (or an attack), and "
       "sums and rounding to cents would no longer be exact.",
       "budgets:\n  fy2027:\n    name: FY 2027\n    start: 2027-01-01T00:00:00\n    end: 2027-02-30\n",
       "budgets:\n  fy2027:\n    name: FY 2027\n    start: 2027-01-01\n    end: 2027-12-31\n")

_stage("OPS201", "duplicate-id", "duplicate id within a kind",
       "Ids are how everything refers to everything else; two entities with one id make every "
       "reference to it ambiguous. Reported at the later file in path order, naming the other.",
       "# org/a.yaml\ndepartments:\n  hr: {name: HR}\n# org/b.yaml\ndepartments:\n  hr: {name: People}\n",
       "# org/a.yaml\ndepartments:\n  hr: {name: HR}\n")
_stage("OPS204", "missing-fx-rate", "currency with no `fx` rate",
       "Amounts in another currency must convert exactly into the plan currency to be added up "
       "against caps and totals.",
       "# opsplan.yaml has no fx\nbudgets:\n  fy2027:\n    ...\n    departments:\n      it:\n        lines:\n"
       "          licences: {amount: {amount: 9000, currency: EUR}, type: opex}\n",
       "# opsplan.yaml\nfx:\n  EUR: 1.08\n")

# Semantic rules register themselves on import.
from opsplan.rules import (  # noqa: E402, F401
    actuals,
    budgets,
    capacity,
    cycles,
    goals,
    hygiene,
    programs,
    references,
    workforce,
)


def semantic_rules() -> list[Rule]:
    """The rules that run on a built plan, in code order."""
    return [rule for code, rule in sorted(RULES.items()) if rule.check is not None]
