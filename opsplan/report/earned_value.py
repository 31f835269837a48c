"""Earned value of a funded program (format 1.1, section 6): what its money bought so far,
against what the plan had bought by now."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class EarnedValue:
    bac: Decimal  # budget at completion: every line naming the program, all budgets
    ac: Decimal  # actual cost: spend on those lines up to the as-of date
    planned_pct: Decimal  # elapsed program days / program days x 100
    percent_complete: Decimal | None  # the latest progress row; None without one
    pv: Decimal  # planned value = BAC x planned_pct / 100
    ev: Decimal | None  # earned value = BAC x percent_complete / 100
    cpi: Decimal | None  # EV / AC
    spi: Decimal | None  # EV / PV
    eac: Decimal  # AC + (BAC - EV) / CPI; BAC without a CPI
    vac: Decimal  # BAC - EAC
    forecast_end: date | None  # start + ceil(program days / SPI) - 1 day, when SPI > 0


def earned_value(bac: Decimal, ac: Decimal, start: date, end: date, as_of: date,
                 percent_complete: Decimal | None) -> EarnedValue:
    days = (end - start).days + 1
    elapsed = 0 if as_of < start else days if as_of >= end else (as_of - start).days + 1
    planned_pct = Decimal(elapsed) * HUNDRED / days
    pv = bac * elapsed / days  # BAC x planned_pct / 100, without rounding planned_pct first
    ev = None if percent_complete is None else bac * percent_complete / HUNDRED
    cpi = ev / ac if ev is not None and ac else None
    spi = ev / pv if ev is not None and pv else None
    eac = ac + (bac - ev) / cpi if ev is not None and cpi else bac
    forecast_end = None
    if ev is not None and pv and ev > 0:
        # program days / SPI = days x PV / EV, exactly, so that ceil is not fooled by rounding.
        stretched = Fraction(days) * Fraction(bac) * elapsed / days / Fraction(ev)
        forecast_end = start + timedelta(days=math.ceil(stretched) - 1)
    return EarnedValue(bac, ac, planned_pct, percent_complete, pv, ev, cpi, spi, eac, bac - eac, forecast_end)
