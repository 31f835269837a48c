"""Whether a measure's latest reading is too old for its cadence (format 1.1, section 5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from opsplan.model import Cadence

# A reading may be late by half a cadence (a monthly figure posted mid-month) before it is stale.
STALE_AFTER_CADENCES = Decimal("1.5")


def stale_after_days(cadence: Cadence) -> Decimal:
    return STALE_AFTER_CADENCES * cadence.days


def is_stale(latest: date | None, as_of: date, cadence: Cadence | None) -> bool:
    """Older than 1.5 x cadence days on ``as_of``. No cadence: never stale; no reading at all is
    missing data, not stale data."""
    if cadence is None or latest is None:
        return False
    return (as_of - latest).days > stale_after_days(cadence)
