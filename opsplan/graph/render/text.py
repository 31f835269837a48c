"""`opsplan graph --analyze` as text for the terminal; plan strings show control characters as escapes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsplan.figures import hours, pct
from opsplan.render.escape import text

if TYPE_CHECKING:
    from opsplan.graph.analyze import Chain, ProcessAnalysis


def render_analysis_text(analysis: ProcessAnalysis) -> str:
    def chain_text(chain: Chain) -> str:
        return " -> ".join(chain.processes) + f"  ({hours(chain.hours)} h)" if chain.processes else "(none)"

    lines = ["Critical path (longest chain by cycle time):", f"  {chain_text(analysis.critical_path)}", "",
             "Most dependants (single points of failure):"]
    lines += [f"  {p}: {n} dependant processes" for p, n in analysis.most_dependants] or ["  (none)"]
    lines += ["", "Departments on the most cross-department edges:"]
    lines += [f"  {d}: {n}" for d, n in analysis.busiest_departments] or ["  (none)"]
    lines += ["", "Isolated processes:"]
    lines += [f"  {p}" for p in analysis.isolated] or ["  (none)"]
    lines += ["", "Longest dependency chain per goal:"]
    lines += [f"  {goal}: {chain_text(chain)}" for goal, chain in analysis.goal_chains] or ["  (none)"]
    if analysis.bottlenecks:  # only plans with capacity and demand have one
        lines += ["", "Bottleneck of each connected part (highest planned utilisation):"]
        lines += [f"  {process}: {pct(utilisation)}%" for process, utilisation in analysis.bottlenecks]
    return "\n".join(text(line) for line in lines) + "\n"
