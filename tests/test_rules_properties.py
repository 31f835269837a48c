"""Properties of the rules on generated plans: cycle findings agree with networkx, and budget
sums are exact to the cent whatever the amounts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import networkx as nx
from conftest import ROOT_FILE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsplan.check.pipeline import check_source
from opsplan.load.source import DirectorySource

HEAD = "departments:\n  ops: {name: Ops, head: A}\n"


def _check(tmp: Path, body: str) -> list[str]:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "opsplan.yaml").write_text(ROOT_FILE, encoding="utf-8")
    (tmp / "plan.yaml").write_text(HEAD + body, encoding="utf-8")
    return [d.code for d in check_source(DirectorySource(tmp)).diagnostics]


edges = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edges=edges)
def test_a_process_cycle_is_reported_exactly_when_the_graph_has_one(tmp_path_factory: object, edges: list[tuple[int, int]]) -> None:
    graph = nx.DiGraph()
    graph.add_nodes_from(range(8))
    graph.add_edges_from(edges)
    lines = ["processes:"]
    for node in range(8):
        needs = ", ".join(f"p{target}" for target in sorted(graph.successors(node)))
        lines.append(f"  p{node}: {{name: P{node}, owner: ops, depends_on: [{needs}], "
                     "kpis: {k: {name: K, better: higher, target: 1}}}")
    codes = _check(tmp_path_factory.mktemp("plan"), "\n".join(lines) + "\n")  # type: ignore[attr-defined]
    cyclic_components = [c for c in nx.strongly_connected_components(graph)
                         if len(c) > 1 or any(graph.has_edge(n, n) for n in c)]
    assert codes.count("OPS302") == len(cyclic_components)


cents = st.lists(st.integers(1, 10_000_000), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(amounts=cents, slack=st.sampled_from([0, 1, -1]))
def test_caps_hold_to_the_cent(tmp_path_factory: object, amounts: list[int], slack: int) -> None:
    values = [Decimal(cents) / 100 for cents in amounts]
    cap = sum(values, Decimal(0)) + Decimal(slack) / 100
    lines = "".join(f"          l{i}: {{amount: {value}, type: opex}}\n" for i, value in enumerate(values))
    body = ("processes:\n  p: {name: P, owner: ops, kpis: {k: {name: K, better: higher, target: 1}}}\n"
            "budgets:\n  b:\n    name: B\n    start: 2027-01-01\n    end: 2027-12-31\n"
            f"    departments:\n      ops:\n        cap: \"{cap}\"\n        lines:\n{lines}")
    codes = _check(tmp_path_factory.mktemp("plan"), body)  # type: ignore[attr-defined]
    assert codes == (["OPS401"] if slack < 0 else [])
