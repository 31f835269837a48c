"""Programs: each program's schedule at the as-of date, its hires against the roles planned and
its training completion against the pace to its target; gaps where hiring or training is behind."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from opsplan.figures import number, pct
from opsplan.formulas.workforce import Requisitions, planned_hires, requisitions
from opsplan.model import Plan, Program, ProgramType
from opsplan.report import wording
from opsplan.report.sections.shared import (
    HUNDRED,
    ONE,
    Basis,
    EntityRef,
    Evidence,
    Gap,
    GapKind,
    GapSeverity,
    ScheduleStatus,
    elapsed_days,
    entity_source,
    period_days,
    share,
)

# Hires short by this share of the plan to date, or more, is a high gap.
SEVERE_HIRING_SHORTFALL = Decimal("0.25")


@dataclass(frozen=True, slots=True)
class RoleReport:
    id: str
    count: int
    start: date
    planned: int  # hires planned by as_of, spread from start to by
    hired: int  # cumulative rows on or before as_of
    short: int  # max(planned - hired, 0)
    department: str = ""  # where the hires work
    by: date | None = None  # all hired by
    requisitions: Requisitions | None = None  # None without a time_to_fill


@dataclass(frozen=True, slots=True)
class TrainingReport:
    participants: int | None
    completed: int  # cumulative rows on or before as_of
    completion_pct: Decimal | None  # completed / participants x 100
    completion_target: Decimal | None
    expected_pct: Decimal | None  # target x elapsed program days / program days


@dataclass(frozen=True, slots=True)
class ProgramReport:
    id: str
    name: str
    type: str  # initiative | hiring | training
    owner: str
    start: date
    end: date
    schedule: ScheduleStatus
    elapsed_days: int
    period_days: int
    improves: tuple[str, ...]
    supports_goals: tuple[str, ...]
    funded_by: tuple[str, ...]  # lines as BUDGET/DEPARTMENT/LINE
    roles: tuple[RoleReport, ...]
    planned_hires: int  # by as_of, all roles
    hired: int
    training: TrainingReport | None
    behind: bool  # hires below plan, or training completion below its expected pace
    source: str


@dataclass(frozen=True, slots=True)
class Opening:
    """A role's requisitions on the as-of date, for the list per department."""

    department: str
    program: str
    role: RoleReport
    requisitions: Requisitions


def openings(programs: tuple[ProgramReport, ...]) -> list[Opening]:
    """Roles not yet filled with requisitions that should be open by now or are due in the next
    30 days, by department (in the order departments first appear), then program and role."""
    found = [Opening(role.department, program.id, role, role.requisitions)
             for program in programs for role in program.roles
             if role.requisitions is not None and role.hired < role.count
             and (role.requisitions.open_by_now or role.requisitions.due_next_30_days)]
    order = {department: index for index, department in enumerate(dict.fromkeys(o.department for o in found))}
    return sorted(found, key=lambda opening: order[opening.department])


def schedule_status(start: date, end: date, as_of: date, behind: bool) -> ScheduleStatus:
    """`overdue` is a finished program whose figures are behind: hires below plan, or training
    completion below its target."""
    if as_of < start:
        return ScheduleStatus.NOT_STARTED
    if as_of <= end:
        return ScheduleStatus.RUNNING
    return ScheduleStatus.OVERDUE if behind else ScheduleStatus.FINISHED


def build(basis: Basis) -> tuple[ProgramReport, ...]:
    return tuple(_program_report(basis, program) for program in basis.plan.programs.values())


def _program_report(basis: Basis, program: Program) -> ProgramReport:
    as_of, actuals, links = basis.as_of, basis.actuals, basis.links
    days = period_days(program.start, program.end)
    elapsed = elapsed_days(program.start, program.end, as_of)
    hired: dict[str, int] = {}
    for row in actuals.hires:
        if row.program == program.id:
            hired[row.role] = hired.get(row.role, 0) + row.hired
    roles = []
    for role in program.roles:
        planned = planned_hires(role, as_of)
        got = hired.get(role.id, 0)
        roles.append(RoleReport(role.id, role.count, role.start, planned, got, max(planned - got, 0),
                                department=role.department or program.owner, by=role.hired_by,
                                requisitions=requisitions(role, as_of) if role.time_to_fill is not None else None))
    training = None
    behind = any(role.short for role in roles)
    if program.type is ProgramType.TRAINING:
        completed = sum(row.completed for row in actuals.completions if row.program == program.id)
        completion = (Decimal(completed) / program.participants * HUNDRED) if program.participants else None
        target = program.completion_target
        expected = target * elapsed / days if target is not None and elapsed < days else target
        training = TrainingReport(program.participants, completed, completion, target, expected)
        behind = behind or (completion is not None and expected is not None and completion < expected)
    return ProgramReport(
        id=program.id, name=program.name, type=program.type.value, owner=program.owner,
        start=program.start, end=program.end,
        schedule=schedule_status(program.start, program.end, as_of, behind),
        elapsed_days=elapsed, period_days=days, improves=program.improves,
        supports_goals=tuple(links.program_goals.get(program.id, ())),
        funded_by=tuple(links.funding.get(program.id, ())), roles=tuple(roles),
        planned_hires=sum(role.planned for role in roles), hired=sum(role.hired for role in roles),
        training=training, behind=behind, source=entity_source(program.origin))


# --- gaps ------------------------------------------------------------------------------------


def gaps(plan: Plan, as_of: date, programs: tuple[ProgramReport, ...]) -> list[Gap]:
    return [*_hiring_behind(plan, as_of, programs), *_training_behind(plan, as_of, programs)]


def _hiring_behind(plan: Plan, as_of: date, programs: tuple[ProgramReport, ...]) -> list[Gap]:
    found = []
    for program in programs:
        short = [role for role in program.roles if role.short]
        if not short:
            continue
        missing = sum(role.short for role in short)
        size = share(Decimal(missing), Decimal(program.planned_hires))
        evidence = [Evidence(role.id, f"{role.hired} of {role.planned} hired (role started {role.start}, "
                             f"{role.count} planned in all)") for role in short]
        evidence.append(Evidence("program", f"{program.hired} of {program.planned_hires} planned hires by "
                                 f"{as_of}; runs {program.start} to {program.end} ({program.schedule.value})"))
        wanted = ", ".join(f"{role.short} {role.id}" for role in short)
        recommendation = (
            f"Catch up {wording.plural(missing, 'hire')} ({wanted}): review the pipeline of {program.id} with "
            f"{wording.head(plan, program.owner)} and recruiting, widen sourcing (agencies, referrals, job boards) "
            f"and plan cover (overtime, temps) for the work these roles should take on until they are filled.")
        found.append(Gap(
            kind=GapKind.HIRING_BEHIND,
            severity=GapSeverity.HIGH if size >= SEVERE_HIRING_SHORTFALL else GapSeverity.MEDIUM, size=size,
            title=f"Hiring behind plan in {program.id}: {program.hired} of {program.planned_hires} hired",
            entities=(EntityRef("program", program.id), EntityRef("department", program.owner),
                      *(EntityRef("department", department) for department in
                        dict.fromkeys(role.department for role in short) if department != program.owner)),
            evidence=tuple(evidence), recommendation=recommendation))
    return found


def _training_behind(plan: Plan, as_of: date, programs: tuple[ProgramReport, ...]) -> list[Gap]:
    found = []
    for program in programs:
        training = program.training
        if training is None or not program.behind or training.completion_pct is None:
            continue
        assert training.completion_target is not None and training.expected_pct is not None
        assert training.participants is not None
        needed = max(math.ceil(Decimal(training.participants) * training.completion_target / HUNDRED)
                     - training.completed, 0)
        finished = program.schedule is ScheduleStatus.OVERDUE
        size = share(training.expected_pct - training.completion_pct, training.expected_pct)
        evidence = (
            Evidence("completed", f"{training.completed} of {training.participants} participants "
                                  f"({pct(training.completion_pct)}%)"),
            Evidence(f"expected by {as_of}", f"{pct(training.expected_pct)}%"),
            Evidence(f"target by {program.end}", f"{number(training.completion_target)}%"),
        )
        if finished:
            recommendation = (f"{program.id} ended on {program.end} below target: run a catch-up session "
                              f"for the {needed} participants still needed, with {wording.head(plan, program.owner)}, "
                              f"and agree their managers release them for it.")
        else:
            months = max(Decimal((program.end - as_of).days) / Decimal("30.4"), ONE)
            per_month = math.ceil(needed / months)
            recommendation = (f"{needed} more participants must complete {program.id} by {program.end} "
                              f"(about {per_month} a month): schedule more sessions with "
                              f"{wording.head(plan, program.owner)} and ask the audience's managers "
                              f"({wording.names(program_audience(plan, program.id))}) to free people for them.")
        found.append(Gap(
            kind=GapKind.TRAINING_BELOW_TARGET, severity=GapSeverity.HIGH if finished else GapSeverity.MEDIUM,
            size=size,
            title=f"Training {program.id} below target: {pct(training.completion_pct)}% completed, "
                  f"{pct(training.expected_pct)}% expected by now",
            entities=(EntityRef("program", program.id), EntityRef("department", program.owner)),
            evidence=evidence, recommendation=recommendation))
    return found


def program_audience(plan: Plan, program_id: str) -> list[str]:
    program = plan.programs[program_id]
    return list(program.audience) or [program.owner]
