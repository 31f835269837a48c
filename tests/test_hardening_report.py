"""`opsplan graph` and `opsplan report` take no option silently: an output file's extension picks
the format, a contradiction or a combination that would be ignored is refused. And the report
tells the truth: hires counted once, one definition of a supported goal, the whole organisation
named as such, hints that work, percentage points called so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BASE_PLAN, PlanWriter, needs_drawing

from opsplan.cli import cli

AS_OF = "2027-03-31"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def plan(write_plan: PlanWriter) -> Path:
    return write_plan({"plan.yaml": BASE_PLAN})


# --- 10: graph -o infers the format from the extension ---------------------------------------


@pytest.mark.parametrize(("name", "starts"), [
    ("graph.mmd", "flowchart LR"),
    ("graph.json", "{"),
    ("graph.dot", "digraph"),
    ("graph.gv", "digraph"),
])
def test_graph_output_format_follows_the_extension(plan: Path, tmp_path: Path, name: str, starts: str) -> None:
    target = tmp_path / name
    code, _, err = run("graph", str(plan), "-o", str(target))
    assert (code, err) == (0, "")
    assert target.read_text(encoding="utf-8").lstrip().startswith(starts)


@needs_drawing
@pytest.mark.parametrize(("name", "magic"), [("graph.png", b"\x89PNG"), ("graph.pdf", b"%PDF"),
                                             ("graph.svg", b"<")])
def test_graph_pictures_follow_the_extension(plan: Path, tmp_path: Path, name: str, magic: bytes) -> None:
    target = tmp_path / name
    assert run("graph", str(plan), "-o", str(target))[0] == 0
    data = target.read_bytes()
    assert data.startswith(magic) or (magic == b"<" and b"<svg" in data[:500])


def test_graph_format_contradicting_the_extension_is_refused(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.png"
    code, out, err = run("graph", str(plan), "--format", "dot", "-o", str(target))
    assert code == 2 and out == ""
    assert "x.png" in err and "--format dot" in err and "png" in err
    assert not target.exists()


def test_graph_unknown_extension_keeps_the_default(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.out"
    assert run("graph", str(plan), "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("digraph")
    # an explicit format with an unknown extension is what the user asked for
    assert run("graph", str(plan), "--format", "mermaid", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("flowchart LR")


def test_graph_extension_is_read_case_insensitively(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "GRAPH.MMD"
    assert run("graph", str(plan), "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("flowchart LR")


# --- 10: --analyze takes no option it would ignore --------------------------------------------


@pytest.mark.parametrize("options", [
    ("--format", "svg"), ("--format", "mermaid"), ("--format", "png"), ("--format", "dot"),
    ("--view", "goals"), ("--view", "org"), ("--select", "picking"), ("--engine", "sfdp"),
])
def test_analyze_refuses_options_it_cannot_honour(plan: Path, options: tuple[str, str]) -> None:
    code, out, err = run("graph", str(plan), "--analyze", *options)
    assert code == 2 and out == ""
    assert "--analyze" in err and options[0] in err


def test_analyze_writes_text_or_json_by_extension(plan: Path, tmp_path: Path) -> None:
    as_json = tmp_path / "analysis.json"
    assert run("graph", str(plan), "--analyze", "-o", str(as_json))[0] == 0
    assert "critical_path" in json.loads(as_json.read_text(encoding="utf-8"))
    as_text = tmp_path / "analysis.txt"
    assert run("graph", str(plan), "--analyze", "-o", str(as_text))[0] == 0
    assert as_text.read_text(encoding="utf-8").lower().startswith("critical path")
    # the view it analyses may be named; a picture file is refused, not filled with text
    assert run("graph", str(plan), "--analyze", "--view", "processes")[0] == 0
    code, _, err = run("graph", str(plan), "--analyze", "-o", str(tmp_path / "analysis.svg"))
    assert code == 2 and "--analyze" in err and not (tmp_path / "analysis.svg").exists()


# --- 10: report -o infers the format from the extension --------------------------------------


@pytest.mark.parametrize(("name", "starts"), [
    ("report.md", "<!-- opsplan-report -->"),
    ("report.json", "{"),
    ("report.html", "<!DOCTYPE html>"),
    ("report.txt", "Tiny Co: plan report as of 2027-03-31"),
])
def test_report_output_format_follows_the_extension(plan: Path, tmp_path: Path, name: str, starts: str) -> None:
    target = tmp_path / name
    code, _, err = run("report", str(plan), "--as-of", AS_OF, "-o", str(target))
    assert (code, err) == (0, "")
    assert target.read_text(encoding="utf-8").startswith(starts)


def test_report_format_contradicting_the_extension_is_refused(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    code, out, err = run("report", str(plan), "--as-of", AS_OF, "--format", "markdown", "-o", str(target))
    assert code == 2 and out == ""
    assert "r.html" in err and "--format markdown" in err and "html" in err
    assert not target.exists()


def test_report_unknown_extension_keeps_text(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.log"
    assert run("report", str(plan), "--as-of", AS_OF, "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("Tiny Co: plan report")


# --- 11: one definition of a supported goal, the one OPS601 uses -----------------------------

# `margin` names no support of its own; its sub-goal `cheaper` does (shipping, and the funded
# automation program). `orphan` has no support at all, nor any sub-goal.
ORPHAN_GOAL = """\
  orphan:
    title: Nobody works on this
    owner: ops
    due: 2029-12-31
    measure: {metric: churn, unit: percent, better: lower, baseline: 5, target: 3}
"""


@pytest.fixture
def cascade(write_plan: PlanWriter) -> Path:
    return write_plan({"plan.yaml": BASE_PLAN.replace("programs:\n", ORPHAN_GOAL + "programs:\n", 1)})


def test_a_parent_goal_supported_through_its_sub_goal_is_supported_everywhere(cascade: Path) -> None:
    code, out, _ = run("check", str(cascade), "--format", "json")
    warned = {finding["message"] for finding in json.loads(out)["diagnostics"] if finding["code"] == "OPS601"}
    assert warned == {"goal `orphan` has no supporting process or program"}

    code, out, _ = run("report", str(cascade), "--as-of", AS_OF, "--format", "json")
    goals = {goal["id"]: goal for goal in json.loads(out)["goals"]}
    assert (goals["margin"]["supported"], goals["margin"]["supported_through"]) == (True, ["cheaper"])
    assert (goals["cheaper"]["supported"], goals["cheaper"]["supported_through"]) == (True, [])
    assert (goals["orphan"]["supported"], goals["orphan"]["supported_through"]) == (False, [])
    # the work of `cheaper` is funded (automation has a budget line), so `margin`'s is too
    assert [goals[goal]["funded"] for goal in ("margin", "cheaper", "orphan")] == [True, True, False]

    code, out, _ = run("report", str(cascade), "--as-of", AS_OF, "--format", "html")
    rows = {goal: out[out.index(f"{goal} · "):] for goal in ("margin", "orphan")}
    assert "nothing supports it" not in rows["margin"].split("</tr>")[0]
    assert "cheaper" in rows["margin"].split("</tr>")[0]
    assert "nothing supports it" in rows["orphan"].split("</tr>")[0]

    code, out, _ = run("report", str(cascade), "--as-of", AS_OF, "--format", "markdown")
    margin_row = next(line for line in out.splitlines() if line.startswith("| ") and "| `margin` |" in line)
    orphan_row = next(line for line in out.splitlines() if line.startswith("| ") and "| `orphan` |" in line)
    assert "`cheaper`" in margin_row and margin_row.endswith("| yes |")
    assert orphan_row.endswith("| - | **no** |")

    code, out, _ = run("report", str(cascade), "--as-of", AS_OF)
    assert code == 0
    gap_titles = [line.strip() for line in out.splitlines() if "has no supporting work" in line]
    assert len(gap_titles) == 1 and "orphan" in gap_titles[0]


# --- 11: the summary card counts the whole organisation --------------------------------------


def test_the_summary_card_counts_the_organisation_not_its_first_department(write_plan: PlanWriter) -> None:
    two_roots = BASE_PLAN.replace("processes:\n", "  sales: {name: Sales, head: Ana Ruiz, headcount: 3}\n"
                                  "processes:\n", 1)
    root = write_plan({"plan.yaml": two_roots,
                       "actuals/headcount.csv": "date,department,headcount\n2027-03-31,warehouse,41\n"})
    code, out, _ = run("report", str(root), "--as-of", AS_OF, "--format", "html")
    assert code == 0
    assert "people in Operations" not in out and "people in Sales" not in out
    card = out[out.index("people in the organisation"):]
    # 10 ops + 41 warehouse counted + 3 sales (no rows: as in the plan); planned 10 + 40 + 3
    before = out[:out.index("people in the organisation")]
    assert before[before.rindex('class="card"'):].count("54") == 1
    assert "planned by now 53" in card[:400] and "in the plan 53" in card[:400]


# --- 11: hires are counted once, on the hiring program's owner --------------------------------


def test_hires_count_once_on_the_owner_and_its_ancestors(write_plan: PlanWriter) -> None:
    # the hiring program belongs to HR (a sibling of the warehouse, under ops)
    plan_text = (BASE_PLAN.replace("processes:\n", "  hr: {name: People, parent: ops, head: Kim Lee, headcount: 4}\n"
                                   "processes:\n", 1)
                 .replace("    name: Peak hiring\n    owner: warehouse", "    name: Peak hiring\n    owner: hr"))
    root = write_plan({"plan.yaml": plan_text,
                       "actuals/hires.csv": "date,program,role,hired\n2027-04-30,hiring,associate,5\n"})
    code, out, _ = run("report", str(root), "--as-of", "2027-04-30", "--format", "json")
    assert code == 0
    report = json.loads(out)
    heads = {head["department"]: head for head in report["headcount"]}
    # 12 hires spread over 2027-04-01..09-30 (183 days): by 04-30 (day 30) floor(12 x 30 / 183) = 1
    assert heads["hr"]["own"]["planned"] == 4 + 1
    assert heads["warehouse"]["own"]["planned"] == 40
    assert heads["ops"]["rolled_up"]["planned"] == 10 + 40 + 4 + 1  # once, not per department
    hiring = next(program for program in report["programs"] if program["id"] == "hiring")
    assert (hiring["planned_hires"], hiring["hired"]) == (1, 5)


def test_hires_land_on_the_roles_department_not_the_programs_owner(write_plan: PlanWriter) -> None:
    plan_text = (BASE_PLAN.replace("processes:\n", "  hr: {name: People, parent: ops, head: Kim Lee, headcount: 4}\n"
                                   "processes:\n", 1)
                 .replace("    name: Peak hiring\n    owner: warehouse", "    name: Peak hiring\n    owner: hr")
                 .replace("associate: {count: 12,", "associate: {department: warehouse, count: 12,", 1))
    root = write_plan({"plan.yaml": plan_text})
    code, out, _ = run("report", str(root), "--as-of", "2027-09-30", "--format", "json")
    assert code == 0, out
    heads = {head["department"]: head for head in json.loads(out)["headcount"]}
    assert (heads["hr"]["own"]["planned"], heads["warehouse"]["own"]["planned"]) == (4, 40 + 12)
    assert heads["ops"]["rolled_up"]["planned"] == 10 + 40 + 4 + 12  # once, on the warehouse only
    assert [end["program"] for end in heads["warehouse"]["at_program_ends"]] == ["hiring"]
    assert heads["hr"]["at_program_ends"] == []


# --- 11: a difference of percentages is in percentage points ----------------------------------


def test_a_goal_behind_in_percent_is_behind_in_percentage_points(write_plan: PlanWriter) -> None:
    # margin: 8.5% on 2027-01-01 to 12% on 2029-12-31; on 2027-12-31 the path is at
    # 8.5 + 3.5 x 364/1094 = 9.66%, and 8.6% is 1.06 points behind it.
    root = write_plan({"plan.yaml": BASE_PLAN, "actuals/readings.csv": "date,kpi,value\n2027-12-31,margin,8.6\n"})
    code, out, _ = run("report", str(root), "--as-of", "2027-12-31", "--format", "json")
    assert code == 0
    gap = next(gap for gap in json.loads(out)["gaps"] if gap["kind"] == "goal-off-track")
    evidence = {item["label"]: item["value"] for item in gap["evidence"]}
    assert evidence["behind the path by"] == "1.06 percentage points"
    assert evidence["current"].startswith("8.6% on")  # values stay in percent
    assert "margin must get 1.06 percentage points higher" in gap["recommendation"]
    assert "1.06% higher" not in gap["recommendation"]


# --- 11: a lower-case currency gets a hint the plan can follow --------------------------------


def test_a_lower_case_currency_is_hinted_in_capitals(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN, "actuals/spend.csv": (
        "date,department,line,amount,currency\n2027-01-15,warehouse,salaries,10,usd\n"
        "2027-01-16,warehouse,salaries,10,eur\n2027-01-17,warehouse,salaries,10,gbp\n")})
    code, out, _ = run("check", str(root))
    assert code == 1
    assert "add `usd:" not in out and "add `eur:" not in out and "add `gbp:" not in out
    lines = out.splitlines()
    hints = [lines[index + 1].strip() for index, line in enumerate(lines) if "OPS704" in line]
    assert hints[0] == "hint: currency codes are written in capitals: `USD`"
    assert hints[1] == "hint: currency codes are written in capitals: `EUR`"
    assert hints[2] == ("hint: currency codes are written in capitals: `GBP`, and it needs a rate: "
                        "add `GBP: <rate into USD>` under `fx:` in opsplan.yaml")
