"""Hostile strings in a plan, its file names and its actuals: every output shows them as text and
none of them can start a workflow command, a terminal escape sequence, markup or a new line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner, Result
from conftest import BASE_PLAN, CAN_DRAW, ROOT_FILE, PlanWriter, plan_repository
from hypothesis import given
from hypothesis import strategies as st

from opsplan.cli import cli
from opsplan.render.escape import _JSON_UNSAFE, json_safe

# A line break that starts a GitHub workflow command, the ESC sequences for "clear the screen",
# "put this on the clipboard" (OSC 52) and "set the window title", a right-to-left override,
# a C1 control, and markup for every format we write.
HOSTILE = ("Evil\n::error file=plan.yaml,line=1::pwned\r\n::set-env name=X::y\x1b[2J\x1b]52;c;cHduZWQ=\x07"
           "\x1b]0;title\x07\u202egnp.exe\x85 ``` | </details> <script>alert(1)</script> ]]> %0A %25")
# Control characters no output may carry raw (line breaks are the outputs' own).
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, [*args], catch_exceptions=False)


def assert_plain_lines(output: str) -> None:
    """No raw control character, and no line a CI runner would read as a workflow command."""
    assert not RAW_CONTROL.search(output), repr(RAW_CONTROL.search(output))
    for line in output.splitlines():
        assert not line.lstrip().startswith("::"), line


def hostile_plan(write_plan: PlanWriter) -> Path:
    name = json.dumps(HOSTILE)  # a JSON string is a valid double-quoted YAML scalar
    plan = (BASE_PLAN.replace("name: Operations", f"name: {name}")
            .replace("title: Raise margin", f"title: {name}")
            .replace("name: Picking", f"name: {name}")
            .replace("{name: Pick rate,", f"{{name: {name},")
            .replace("name: FY 2027", f"name: {name}"))
    return write_plan({"plan.yaml": plan, "actuals/kpi.csv": f"date,kpi,value\n2027-01-05,picking.pick-ratx{HOSTILE.replace(chr(10), ' ').replace(chr(13), ' ')},5\n"},
                      root_file=ROOT_FILE.replace("name: Tiny Co", f"name: {name}"))


# --- check ---------------------------------------------------------------------------------------


@pytest.fixture
def hostile_file(write_plan: PlanWriter) -> Path:
    """A plan whose one finding is in a file named like a workflow command with ESC sequences."""
    return write_plan({"evil\n::error file=x::pwned\x1b[2J\u202e.yaml": "departments:\n  bad id: {}\n"})


def test_check_text_shows_a_hostile_file_name_escaped(hostile_file: Path) -> None:
    result = run("check", str(hostile_file))
    assert result.exit_code == 1
    assert_plain_lines(result.output)
    assert "evil\\n::error file=x::pwned\\x1b[2J\\u202e.yaml:2:3: OPS" in result.output


def test_check_github_keeps_one_command_per_finding(hostile_file: Path) -> None:
    result = run("check", str(hostile_file), "--format", "github")
    lines = result.output.splitlines()
    assert all(line.startswith(("::error ", "::warning ")) for line in lines[:-1])
    assert not lines[-1].startswith("::")
    assert not RAW_CONTROL.search(result.output)
    assert "file=" in lines[0] and "evil%0A%3A%3Aerror file=x%3A%3Apwned\\x1b[2J\\u202e.yaml" in lines[0]


@pytest.mark.parametrize("format_", ["json", "sarif"])
def test_check_json_formats_hold_no_raw_controls(hostile_file: Path, format_: str) -> None:
    result = run("check", str(hostile_file), "--format", format_)
    assert not RAW_CONTROL.search(result.output)
    # The value is kept, escaped: as a JSON escape, or percent-encoded in a SARIF file URI.
    assert "\\u202e" in result.output or "%E2%80%AE" in result.output
    json.loads(result.output)


def test_check_junit_is_xml_with_the_name_visible(hostile_file: Path) -> None:
    result = run("check", str(hostile_file), "--format", "junit")
    ElementTree.fromstring(result.output.encode("utf-8"))
    assert not RAW_CONTROL.search(result.output)
    assert "pwned\\x1b[2J\\u202e.yaml" in result.output


def test_a_file_name_that_is_not_utf8_is_shown_escaped(write_plan: PlanWriter, tmp_path: Path) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN})
    (root / "plan.yaml").rename(root / "pl\udcffan.yaml")  # the byte 0xff, as Python names it
    (root / "more.yaml").write_text("departments:\n  bad id: {}\n", encoding="utf-8")
    (root / "more.yaml").rename(root / "m\udcfeore.yaml")
    for format_ in ("text", "json", "github", "sarif", "junit"):
        output = tmp_path / f"out.{format_}"
        result = run("check", str(root), "--format", format_, "-o", str(output))
        assert result.exit_code == 1, result.output
        written = output.read_text(encoding="utf-8")
        assert "m\\xfeore.yaml" in written or "m\\udcfeore.yaml" in written or "m%FEore.yaml" in written, written
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
    assert any(uri.endswith("m%FEore.yaml") for uri in uris)


# --- report --------------------------------------------------------------------------------------


def test_report_text_shows_names_on_one_line(write_plan: PlanWriter) -> None:
    result = run("report", str(hostile_plan(write_plan)), "--as-of", "2027-03-31")
    assert result.exit_code == 0, result.output
    assert_plain_lines(result.output)
    assert "Evil\\n::error file=plan.yaml,line=1::pwned\\r\\n::set-env" in result.output


def test_an_organisation_name_starting_with_two_colons_cannot_start_a_workflow_command(
        write_plan: PlanWriter) -> None:
    # The organisation's name heads the text report, at the start of a line.
    root = write_plan({"opsplan.yaml": ROOT_FILE.replace("name: Tiny Co", 'name: "::warning::x"'),
                       "plan.yaml": BASE_PLAN})
    result = run("report", str(root), "--as-of", "2027-03-31")
    assert result.exit_code == 0, result.output
    assert_plain_lines(result.output)
    assert result.output.startswith("\\x3a:warning::x: plan report as of 2027-03-31")


def test_report_markdown_escapes_names(write_plan: PlanWriter) -> None:
    result = run("report", str(hostile_plan(write_plan)), "--as-of", "2027-03-31", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert_plain_lines(result.output)
    assert "<script>" not in result.output and "</details> " not in result.output


def test_report_html_escapes_names(write_plan: PlanWriter) -> None:
    result = run("report", str(hostile_plan(write_plan)), "--as-of", "2027-03-31", "--format", "html")
    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(result.output)
    assert "<script>alert" not in result.output


@given(st.one_of(st.text(), st.text(st.characters(max_codepoint=0x7F))))
def test_json_text_has_each_unsafe_character_escaped_and_the_rest_kept(text: str) -> None:
    """Whether the text is all ASCII or not: DEL is the one unsafe ASCII character."""
    expected = "".join(f"\\u{ord(character):04x}" if _JSON_UNSAFE.fullmatch(character) else character
                       for character in text)
    assert json_safe(text) == expected
    assert json_safe(f"{text}\x7f") == f"{expected}\\u007f"


def test_report_json_holds_no_raw_controls(write_plan: PlanWriter) -> None:
    result = run("report", str(hostile_plan(write_plan)), "--as-of", "2027-03-31", "--format", "json")
    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(result.output)
    assert json.loads(result.stdout)["organization"] == HOSTILE


# --- graph ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("format_", ["dot", "mermaid", "json"])
def test_graph_sources_hold_no_raw_controls(write_plan: PlanWriter, format_: str) -> None:
    result = run("graph", str(hostile_plan(write_plan)), "--view", "org", "--format", format_)
    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(result.output)
    if format_ == "json":
        json.loads(result.output)


def test_graph_analysis_refuses_an_id_with_a_line_break_on_one_line(write_plan: PlanWriter) -> None:
    # An id ending in a line break is refused by the loader (OPS104); the finding must still
    # show it escaped, on the finding's own line, and nothing is analysed.
    root = hostile_plan(write_plan)
    (root / "more.yaml").write_text(
        'processes:\n  "packing\\n": {name: a, owner: ops, cycle_time: 3w, depends_on: [shipping]}\n', encoding="utf-8")
    result = run("graph", str(root), "--view", "processes", "--analyze")
    assert result.exit_code == 1, result.output
    assert_plain_lines(result.output)
    assert "OPS104 invalid id `packing\\n`" in result.output


@pytest.mark.skipif(not CAN_DRAW, reason="no Graphviz here")
def test_graph_svg_is_well_formed_xml(write_plan: PlanWriter, tmp_path: Path) -> None:
    output = tmp_path / "g.svg"
    result = run("graph", str(hostile_plan(write_plan)), "--view", "org", "--format", "svg", "-o", str(output))
    assert result.exit_code == 0, result.output
    svg = output.read_bytes()
    ElementTree.fromstring(svg)
    assert not RAW_CONTROL.search(svg.decode("utf-8"))


@pytest.mark.skipif(not CAN_DRAW, reason="no Graphviz here")
def test_a_name_starting_with_a_line_break_is_drawn(write_plan: PlanWriter, tmp_path: Path) -> None:
    # Graphviz compiled to WebAssembly failed to lay out a label starting with an empty line.
    root = write_plan({"plan.yaml": "departments:\n  ops: {name: \"\\n::error file=plan.yaml,line=1::pwned\"}\n"
                                    "  hr: {name: \"\\nA\", parent: ops}\n"})
    output = tmp_path / "org.svg"
    result = run("graph", str(root), "--view", "org", "--format", "svg", "-o", str(output))
    assert result.exit_code == 0, result.output
    ElementTree.fromstring(output.read_bytes())


# --- diff ----------------------------------------------------------------------------------------


@pytest.fixture
def renamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose second commit renames a department to the hostile name."""
    changed = (BASE_PLAN.replace("name: Operations", f"name: {json.dumps(HOSTILE)}")
               .replace("amount: 500.10", "amount: 9800000").replace("total: 1000", "total: 10000000")
               .replace("cap: 600", "cap: 9900000"))
    return plan_repository(tmp_path, monkeypatch, changed)


def test_diff_text_shows_the_new_name_on_one_line(renamed: Path) -> None:
    result = run("diff", "HEAD~1", "HEAD", "plan")
    assert result.exit_code == 0, result.output
    assert_plain_lines(result.output)
    assert "name: Operations -> Evil\\n::error" in result.output


def test_diff_markdown_keeps_the_entities_inside_their_code_block(renamed: Path) -> None:
    result = run("diff", "HEAD~1", "HEAD", "plan", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert_plain_lines(result.output)
    lines = result.output.splitlines()
    opening = next(line for line in lines if line.startswith("```") and line.endswith("diff"))
    fence = opening[: -len("diff")]
    assert len(fence) > 3  # longer than the name's run of three backticks
    inside = lines[lines.index(opening) + 1: lines.index(fence, lines.index(opening) + 1)]
    assert any("Evil\\n::error" in line for line in inside)
    assert lines[-1] == "</details>"


def test_diff_json_holds_no_raw_controls(renamed: Path) -> None:
    result = run("diff", "HEAD~1", "HEAD", "plan", "--format", "json")
    assert not RAW_CONTROL.search(result.output)
    json.loads(result.output)
