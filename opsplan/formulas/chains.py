"""The longest chains of dependent processes by cycle time, in linear time (Kahn's topological
order): the critical path `graph --analyze` and `diff` report, and the chain behind each
off-track goal in the report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from opsplan.model import Process

ZERO = Decimal(0)


def longest_finishes(processes: Mapping[str, Process], predecessors: Mapping[str, Sequence[str]]
                     ) -> tuple[dict[str, Decimal], dict[str, str | None]]:
    """For each process, the hours of the longest chain ending at it (its own cycle time
    included), and the process before it on that chain (None for the first). ``predecessors``
    lists each process's dependencies, each once, none its own id, in the order that breaks ties:
    the first of equal chains wins. Processes on a dependency cycle, or after one, have no chain
    and are left out. The results are in the order the processes were finished."""
    waiting = {process_id: len(before) for process_id, before in predecessors.items()}
    dependants: dict[str, list[str]] = {process_id: [] for process_id in predecessors}
    for process_id, before in predecessors.items():
        for dependency in before:
            dependants[dependency].append(process_id)
    ready = [process_id for process_id, count in waiting.items() if count == 0]
    hours: dict[str, Decimal] = {}
    previous: dict[str, str | None] = {}
    hours_of = hours.__getitem__  # once, not a bound method per process: a plan has thousands
    for process_id in ready:  # grows while it is walked
        best = max(predecessors[process_id], key=hours_of, default=None)
        cycle_time = processes[process_id].cycle_time
        own = cycle_time.hours if cycle_time is not None else ZERO
        hours[process_id] = own + (hours[best] if best is not None else ZERO)
        previous[process_id] = best
        for dependant in dependants[process_id]:
            waiting[dependant] -= 1
            if waiting[dependant] == 0:
                ready.append(dependant)
    return hours, previous


def chain_to(process_id: str, previous: Mapping[str, str | None]) -> tuple[str, ...]:
    """The processes of the longest chain ending at ``process_id``, first to last."""
    processes: list[str] = []
    step: str | None = process_id
    while step is not None:
        processes.append(step)
        step = previous[step]
    return tuple(reversed(processes))
