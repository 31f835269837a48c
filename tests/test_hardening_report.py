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
