"""Properties of locating a field in a marked YAML tree: ``locate`` reads the packed marks where
they are kept, and an origin's key line comes from the marks the loader kept; they must find
exactly what a walk through ``mark()`` finds, for any tree and any path, one that leaves the
tree included."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from conftest import ACME, REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplan.check.pipeline import check_path
from opsplan.diagnostics import Location
from opsplan.marks import MarkedMap, MarkedSeq, Origin, locate

FILE = "plan.yaml"
KEYS = ("a", "b", "c")
places = st.tuples(st.integers(1, 5_000), st.integers(1, 200))


@st.composite
def trees(draw: st.DrawFn, depth: int = 3) -> Any:
    """A marked map or sequence, its children marked at random places, leaves plain values."""
    line, column = draw(places)
    if depth == 0 or draw(st.booleans()):
        return draw(st.integers(0, 9))
    if draw(st.booleans()):
        mapping = MarkedMap(line, column)
        for key in draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=3)):
            mapping[key] = draw(trees(depth - 1))
            mapping.set_mark(key, *draw(places), *draw(places))
        return mapping
    sequence = MarkedSeq(line, column)
    for _ in range(draw(st.integers(0, 3))):
        sequence.append(draw(trees(depth - 1)))
        sequence.add_mark(*draw(places))
    return sequence


paths = st.lists(st.one_of(st.sampled_from(KEYS), st.integers(-1, 3)), max_size=4)


def walked(node: Any, path: list[str | int], key: bool) -> Location:
    """The location through each node's mark(): the walk locate must agree with."""
    line, column = getattr(node, "line", 1), getattr(node, "column", 1)
    for index, part in enumerate(path):
        if isinstance(node, MarkedMap) and isinstance(part, str) and part in node.marks:
            key_line, key_column, line, column = node.mark(part)
            if key and index == len(path) - 1:
                line, column = key_line, key_column
        elif isinstance(node, MarkedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, column = node.mark(part)
        else:
            break
        node = node[part]
    return Location(FILE, line, column)


@settings(max_examples=400, deadline=None)
@given(tree=trees(), path=paths, key=st.booleans())
def test_locate_finds_what_a_walk_through_the_marks_finds(tree: Any, path: list[str | int], key: bool) -> None:
    assert locate(FILE, tree, path, key=key) == walked(tree, path, key)


@settings(max_examples=400, deadline=None)
@given(tree=trees(), entity=paths)
def test_an_origins_key_line_is_the_line_of_its_location(tree: Any, entity: list[str | int]) -> None:
    """Located by walking, or read from the marks of the mapping holding the entity's key."""
    origin = Origin(FILE, tree, tuple(entity))
    assert origin.key_line == origin.location.line
    holder, last = parent_of(tree, entity), entity[-1] if entity else None
    if isinstance(holder, MarkedMap) and isinstance(last, str) and last in holder.marks:
        kept = Origin(FILE, tree, tuple(entity), holder.marks[last])
        assert kept.key_line == origin.location.line


def parent_of(tree: Any, path: list[str | int]) -> Any:
    """The node holding the last step of ``path``; None when the path leaves the tree before it."""
    node = tree
    for part in path[:-1]:
        in_map = isinstance(node, MarkedMap) and isinstance(part, str) and part in node
        in_list = isinstance(node, MarkedSeq) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_map or in_list):
            return None
        node = node[part]
    return node


@settings(max_examples=10, deadline=None)
@given(processes=st.integers(3, 40), seed=st.integers(0, 1_000))
def test_the_key_line_the_loader_keeps_is_the_line_of_the_entitys_own_key(
        tmp_path_factory: pytest.TempPathFactory, processes: int, seed: int) -> None:
    """Every process, KPI, budget and budget line of a generated plan (and of the demo plan) keeps
    the marks of its id key from the loader: the line it gives is the one a walk finds."""
    folder = tmp_path_factory.mktemp("plan")
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(processes), str(folder), "--force",
                    "--seed", str(seed)], check=True, capture_output=True)
    for root in (folder, ACME):
        plan = check_path(root)[1].plan
        assert plan is not None
        origins = [*(process.origin for process in plan.processes.values()),
                   *(kpi.origin for kpi in plan.kpis.values()),
                   *(budget.origin for budget in plan.budgets.values()),
                   *(line.origin for budget in plan.budgets.values() for line in budget.lines)]
        assert origins and all(origin.key_mark is not None for origin in origins)
        assert [origin.key_line for origin in origins] == [origin.location.line for origin in origins]
