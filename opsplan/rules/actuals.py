"""Actuals: findings of the CSV reader (section 9). They are raised while rows are read, so
the rules carry documentation and a default severity but no check of their own."""

from __future__ import annotations

from opsplan.diagnostics import Rule, Severity, register


def _actuals_rule(code: str, name: str, summary: str, rationale: str, bad: str, good: str,
                  severity: Severity = Severity.ERROR) -> None:
    register(Rule(code, name, severity, summary, rationale, bad.strip("\n"), good.strip("\n")))


_actuals_rule(
    "OPS701", "actuals-file", "an actuals file cannot be read or its header matches no kind of actuals",
    "Files are recognised by their header; a file opsplan cannot place is ignored entirely, so every "
    "figure in it would be missing from reports.",
    "# actuals/q1.csv\nday,metric,val\n2027-01-31,order-intake.order-accuracy,97.5\n",
    "# actuals/q1.csv\ndate,kpi,value\n2027-01-31,order-intake.order-accuracy,97.5\n")
_actuals_rule(
    "OPS702", "actuals-unknown-id", "a row names an unknown department, line, KPI, program or role",
    "A figure booked to something the plan does not declare counts nowhere; usually a typo or an id "
    "renamed in the plan but not in the export.",
    "date,department,line,amount\n2027-01-31,warehose,salaries,200000\n",
    "date,department,line,amount\n2027-01-31,warehouse,salaries,200000\n")
_actuals_rule(
    "OPS703", "actuals-bad-value", "a row holds an unparsable or missing date or number",
    "Spreadsheet exports bring thousands separators, currency symbols and local date formats; a value "
    "that cannot be read exactly is reported instead of being guessed.",
    "date,kpi,value\n31/01/2027,order-intake.order-accuracy,\"97,5\"\n",
    "date,kpi,value\n2027-01-31,order-intake.order-accuracy,97.5\n")
_actuals_rule(
    "OPS704", "actuals-currency", "a spend row's currency has no `fx` rate",
    "Spend is compared with budgets in the plan currency; without a rate the amount cannot be converted.",
    "# opsplan.yaml has no fx: GBP\ndate,department,line,amount,currency\n2027-01-31,warehouse,rent,9000,GBP\n",
    "# opsplan.yaml\nfx:\n  GBP: 1.27\n")
_actuals_rule(
    "OPS705", "actuals-outside-budget", "spend is dated outside every budget that holds its line",
    "Spend counts against the budget whose period holds its date; spend outside every such period "
    "would vanish from the variance.",
    "# fy2027 runs 2027-01-01 to 2027-12-31\ndate,department,line,amount\n2028-01-15,warehouse,salaries,200000\n",
    "# add the line to fy2028, or fix the date\ndate,department,line,amount\n2027-12-31,warehouse,salaries,200000\n")
_actuals_rule(
    "OPS706", "duplicate-export", "a file's rows repeat the rows of an earlier file of the same kind",
    "Every row counts, so an export saved twice (a copy, a re-download under another name) counts "
    "every figure twice. A file repeats another when at least half of its rows are rows of that file, "
    "cell for cell in the columns that identify a figure (any column order, extra columns ignored).",
    "# actuals/spend-jan.csv and actuals/spend-jan (1).csv hold the same rows\n"
    "date,department,line,amount\n2027-01-31,warehouse,salaries,200000\n",
    "# one file per export\ndate,department,line,amount\n2027-01-31,warehouse,salaries,200000\n",
    severity=Severity.WARNING)
