"""How report figures are written: money to cents and percentages to one decimal, both rounded
half up, as plain decimal strings. Every output format uses these, so all show the same digits."""

from __future__ import annotations

from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def round_money(value: Decimal) -> Decimal:
    return _quantize(value, CENT)


def round_pct(value: Decimal) -> Decimal:
    return _quantize(value, TENTH)


# quantize fails when the result has more digits than the context's precision (28 by default):
# an amount of 10^26 to cents. Plan amounts are bounded, but sums of actuals need not be. In a
# context as wide as decimal allows, the rounded value is the same as in any context it fits in,
# with no context to make or widen a figure (which took most of the time of writing one).
_UNBOUNDED = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _quantize(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, ROUND_HALF_UP, _UNBOUNDED) if value.is_finite() else value


def money(value: Decimal) -> str:
    """``1234.5`` -> ``"1234.50"``: for JSON and machine-read outputs."""
    # str writes a value with two decimals as format "f" does (never with an exponent), faster.
    # Most amounts are whole (as plans write them) or in cents already (as ledgers' sums are):
    # str writes those as they round, without the rounding, which took longer than the writing.
    text = str(value)
    if text.isdigit():  # a whole amount: str writes no exponent for it, nor a sign when positive
        return text + ".00"
    if text[-3:-2] != ".":  # not two decimals last (an exponent, written last, is "E+5" or longer)
        text = str(_quantize(value, CENT))
    return _unsigned_zero(text) if text[0] == "-" else text


def money_grouped(value: Decimal) -> str:
    """``1234.5`` -> ``"1,234.50"``: for people."""
    return f"{round_money(value):,.2f}" if value.is_finite() else str(value)


def signed_money(value: Decimal) -> str:
    """A change, with its sign: ``+1,234.50``, ``-0.75``, ``0.00``."""
    rounded = round_money(value)
    text = money_grouped(rounded.copy_abs())
    return f"+{text}" if rounded > 0 else f"-{text}" if rounded < 0 else text


def pct(value: Decimal) -> str:
    """``12.345`` -> ``"12.3"``."""
    text = str(_quantize(value, TENTH))  # one decimal: as format "f" writes it, like money's
    return _unsigned_zero(text) if text[0] == "-" else text


def number(value: Decimal) -> str:
    """A measured value: as written when it holds at most 4 decimals (``11.90`` stays ``11.90``),
    else (a computed value such as a goal's expected value) rounded to 2 decimals."""
    text = str(value)
    if "E" in text or "e" in text:  # str writes a large or tiny value with an exponent, format "f" never
        text = format(value, "f")
    dot = text.find(".")
    if dot >= 0 and len(text) - dot > 5:
        return money(value)
    return _unsigned_zero(text) if text[0] == "-" else text  # str never writes an empty text


def _unsigned_zero(text: str) -> str:
    # -0.00 reads as a negative figure where there is none.
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def measured(value: Decimal, unit: str | None, currency: str) -> str:
    """A measured value with its unit: ``93.4%``, ``12.10 USD``, ``45 days``."""
    if unit == "percent":
        return f"{number(value)}%"
    if unit == "money":
        return f"{number(value)} {currency}"
    return f"{number(value)} {unit}" if unit else number(value)


def hours(value: Decimal) -> str:
    """Elapsed hours (a cycle time, a critical path): whole hours without decimals, else like
    :func:`number`, so a third of an hour (``20min``) is ``0.33`` and not 28 digits of threes."""
    if value == value.to_integral_value():
        return f"{value.normalize():f}"
    return number(value)
