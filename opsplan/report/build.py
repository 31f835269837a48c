"""The gap report: where the organisation stands against its plan on one date, and what to do.

``build_report(plan, actuals, as_of)`` builds every section's figures once (a table of sections,
in report order), then each section's gaps, ranked once; the renderers under
``opsplan.report.render`` only format them. The conventions (how expected spend, pace and
statuses are defined) are documented in docs/report.md and pinned by tests/test_report.py.
Money is exact Decimal in the plan currency; outputs round it to cents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from opsplan.load.actuals import Actuals
from opsplan.model import Plan
from opsplan.report.model import Report
from opsplan.report.sections import (
    budget_gaps,
    budgets,
    capacity,
    goals,
    headcount,
    initiatives,
    kpis,
    programs,
    waivers,
)
from opsplan.report.sections.shared import Basis, Gap, GapKind, GapSeverity

# Each section's figures, by the Report field that holds them, in report order.
SECTIONS: tuple[tuple[str, Callable[[Basis], tuple[Any, ...]]], ...] = (
    ("budgets", budgets.build),
    ("kpis", kpis.build),
    ("goals", goals.build),
    ("headcount", headcount.build),
    ("programs", programs.build),
    ("capacity", capacity.build),
    ("initiatives", initiatives.build),
    ("waivers", waivers.build),
)

SEVERITY_ORDER = {severity: index for index, severity in enumerate(GapSeverity)}
KIND_ORDER = {kind: index for index, kind in enumerate(GapKind)}


def build_report(plan: Plan, actuals: Actuals | None, as_of: date) -> Report:
    """Every figure of the report on ``as_of``; actuals rows dated after it are ignored."""
    basis = Basis.of(plan, actuals, as_of)
    figures = {name: build(basis) for name, build in SECTIONS}
    report = Report(
        organization=plan.settings.organization.name,
        currency=plan.currency,
        as_of=as_of,
        horizon_start=plan.settings.horizon.start,
        horizon_end=plan.settings.horizon.end,
        actuals_files=basis.actuals.files,
        gaps=(),
        headcount_total=headcount.headcount_total(figures["headcount"]),
        **figures,
    )
    return _with_gaps(plan, report)


def _with_gaps(plan: Plan, report: Report) -> Report:
    found = [
        *goals.gaps(plan, report.as_of, report.currency, report.goals, report.kpis, report.programs),
        *kpis.gaps(plan, report.currency, report.kpis, report.programs),
        *kpis.stale_gaps(plan, report.as_of, report.kpis),
        *budget_gaps.gaps(plan, report.as_of, report.currency, report.budgets),
        *programs.gaps(plan, report.as_of, report.programs),
        *initiatives.gaps(plan, report.as_of, report.currency, report.initiatives),
        *initiatives.missing_progress(plan, report.as_of, report.initiatives),
        *capacity.gaps(plan, report.capacity),
    ]
    return replace(report, gaps=rank(found))


def rank(gaps: list[Gap]) -> tuple[Gap, ...]:
    """Gaps ranked: severity, then size (largest first), then kind and the entities concerned."""
    return tuple(sorted(gaps, key=lambda gap: (SEVERITY_ORDER[gap.severity], -gap.size, KIND_ORDER[gap.kind],
                                               [(entity.kind, entity.id) for entity in gap.entities])))
