"""The report as data: every section's figures on one date and the ranked gaps. Built by
:func:`opsplan.report.build.build_report`, read by the renderers under ``opsplan.report.render``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from opsplan.report.sections.budgets import BudgetReport
from opsplan.report.sections.capacity import CapacityReport
from opsplan.report.sections.goals import GoalReport
from opsplan.report.sections.headcount import HeadcountReport, Staffing
from opsplan.report.sections.initiatives import InitiativeReport
from opsplan.report.sections.kpis import KpiReport
from opsplan.report.sections.programs import ProgramReport
from opsplan.report.sections.shared import Gap
from opsplan.report.sections.waivers import WaiverReport


@dataclass(frozen=True, slots=True)
class Report:
    organization: str
    currency: str
    as_of: date
    horizon_start: date
    horizon_end: date
    actuals_files: tuple[str, ...]
    budgets: tuple[BudgetReport, ...]
    kpis: tuple[KpiReport, ...]
    goals: tuple[GoalReport, ...]
    headcount: tuple[HeadcountReport, ...]
    programs: tuple[ProgramReport, ...]
    gaps: tuple[Gap, ...]  # ranked: severity, then size, largest first
    # The whole organisation: every top-level department's rolled-up figures added up (None
    # without departments). Its actual counts a tree without headcount rows as in the plan.
    headcount_total: Staffing | None = None
    # The waivers that hold on ``as_of``, soonest to expire first (format 1.1).
    waivers: tuple[WaiverReport, ...] = ()
    # Format 1.1: earned value of every funded program, in plan order.
    initiatives: tuple[InitiativeReport, ...] = ()
    capacity: tuple[CapacityReport, ...] = ()  # processes with a capacity or a demand, in plan order
