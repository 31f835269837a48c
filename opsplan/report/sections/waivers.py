"""Waivers in the report: the findings the plan accepts for now, by whom and until when, with
those that expire within ``EXPIRING_WITHIN`` of the report's date marked, so their owners renew
or fix in time rather than on the day the check starts failing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from opsplan.report.sections.shared import Basis

EXPIRING_WITHIN = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class WaiverReport:
    id: str
    rule: str
    entity: str  # `process/payroll`, or `file:PATH` for a file of actuals
    owner: str
    reason: str
    expires: date  # the last day it holds
    days_left: int  # from the report's date to the expiry date (0: it expires that day)

    @property
    def expiring(self) -> bool:
        return self.days_left <= EXPIRING_WITHIN.days

    @property
    def about(self) -> str:
        """What the waiver is about, in words: `process/payroll` or `file actuals/x.csv`."""
        return self.entity.replace("file:", "file ", 1) if self.entity.startswith("file:") else self.entity


def build(basis: Basis) -> tuple[WaiverReport, ...]:
    """Every waiver that holds on the report's date, soonest to expire first."""
    as_of = basis.as_of
    active = [WaiverReport(waiver.id, waiver.rule, waiver.entity, waiver.owner, waiver.reason, waiver.expires,
                           (waiver.expires - as_of).days)
              for waiver in basis.plan.waivers.values() if waiver.expires >= as_of]
    return tuple(sorted(active, key=lambda waiver: (waiver.expires, waiver.id)))


def expiring(waivers: tuple[WaiverReport, ...]) -> tuple[WaiverReport, ...]:
    return tuple(waiver for waiver in waivers if waiver.expiring)
