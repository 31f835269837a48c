"""The longest chain ending at each process (the report's critical paths, `graph --analyze`),
against a plain recursive definition on random dependency graphs."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from types import SimpleNamespace
from typing import Any, cast

from hypothesis import given
from hypothesis import strategies as st

from opsplan.graph.analyze import longest_chains
from opsplan.model import Plan

IDS = ["a", "b", "c", "d", "e", "f", "g"]


@st.composite
def dependency_plans(draw: st.DrawFn) -> Any:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=len(IDS), unique=True))
    processes = {}
    for process_id in ids:
        # Dependencies on any process (a cycle now and then), on unknown ids, and repeated.
        depends_on = draw(st.lists(st.sampled_from([*ids, "unknown"]), max_size=4))
        hours = draw(st.none() | st.sampled_from([Decimal(0), Decimal(1), Decimal("2.5"), Decimal(4)]))
        processes[process_id] = SimpleNamespace(
            id=process_id, depends_on=depends_on, cycle_time=None if hours is None else SimpleNamespace(hours=hours))
    return SimpleNamespace(processes=processes)


def _has_cycle(plan: Any) -> bool:
    def reaches(start: str, goal: str, seen: frozenset[str]) -> bool:
        return any(dependency == goal or (dependency not in seen and reaches(dependency, goal, seen | {dependency}))
                   for dependency in plan.processes[start].depends_on if dependency in plan.processes)

    return any(reaches(process_id, process_id, frozenset()) for process_id in plan.processes)


@given(dependency_plans())
def test_longest_chains_follow_their_definition(plan: Any) -> None:
    chains = longest_chains(cast(Plan, plan))
    if _has_cycle(plan):
        assert dict(chains) == {}
        return

    @cache
    def longest(process_id: str) -> tuple[tuple[str, ...], Decimal]:
        process = plan.processes[process_id]
        own = process.cycle_time.hours if process.cycle_time else Decimal(0)
        before = sorted({d for d in process.depends_on if d in plan.processes})
        best = max((longest(d) for d in before), key=lambda chain: chain[1], default=((), Decimal(0)))
        return (*best[0], process_id), best[1] + own

    assert set(chains) == set(plan.processes)
    for process_id in plan.processes:
        assert (chains[process_id].processes, chains[process_id].hours) == longest(process_id)
