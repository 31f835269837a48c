"""Utilisation as a colour scale on the processes view: each process with a capacity and a demand
is filled by the band its planned utilisation falls in, the bottleneck of each connected part is
drawn bold, and the view carries a legend of the bands. Only plans with capacity get any of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from opsplan.model import Plan


@dataclass(frozen=True, slots=True)
class Band:
    name: str  # the style class of the band (Mermaid classDef, legend key)
    up_to: Decimal | None  # highest utilisation in the band, percent; None: no limit
    fill: str
    stroke: str
    legend: str


# Green while there is slack, yellow up to the default target, orange up to full, red beyond.
BANDS = (
    Band("utilisation-low", Decimal(70), "#dcfce7", "#15803d", "up to 70%"),
    Band("utilisation-busy", Decimal(85), "#fef9c3", "#a16207", "70.1% to 85%"),
    Band("utilisation-high", Decimal(100), "#fed7aa", "#c2410c", "85.1% to 100%"),
    Band("utilisation-over", None, "#fecaca", "#b91c1c", "above 100%"),
)


def band(utilisation: Decimal) -> Band:
    return next(band for band in BANDS if band.up_to is None or utilisation <= band.up_to)


def planned_utilisations(plan: Plan) -> dict[str, Decimal]:
    """Each process with a capacity and a demand: its planned utilisation in percent."""
    from opsplan.formulas.capacity import planned_utilisation

    return {process.id: planned_utilisation(process.capacity, process.demand) for process in plan.processes.values()
            if process.capacity is not None and process.demand is not None}


def bottleneck_ids(plan: Plan, utilisation: Mapping[str, Decimal]) -> set[str]:
    from opsplan.formulas.capacity import bottlenecks

    return bottlenecks(plan.processes, utilisation)
