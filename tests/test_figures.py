"""How figures are written: the same text as formatting the rounded value with format "f",
whatever its size or exponent, and whatever the current decimal context."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

from opsplan.figures import money, number, pct, round_money, round_pct

# Values of any size and exponent: str writes some of them with an exponent, format "f" never.
decimals = st.one_of(
    st.builds(lambda sign, digits, exponent: Decimal((sign, tuple(int(d) for d in str(digits)), exponent)),
              st.sampled_from([0, 1]), st.integers(0, 10**40), st.integers(-40, 40)),
    st.sampled_from([Decimal(text) for text in ("0", "-0", "-0.001", "-0.04", "0.005", "-0.005", "0.05", "-0.05",
                                                 "0E-7", "-0E+3", "1E+3", "1E-7", "NaN", "-NaN", "Infinity",
                                                 "-Infinity", "1E+100000", "1E-100000")]))


def reference(value: Decimal, places: int) -> str:
    """The value rounded half up in a context wide enough for it, written by format "f"."""
    if value.is_finite():
        with localcontext() as context:
            context.prec = max(context.prec, value.adjusted() + places + 2)
            context.Emax = max(context.Emax, context.prec)
            value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return unsigned(format(value, "f"))


def unsigned(text: str) -> str:
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


@given(decimals)
def test_money_and_pct_are_rounded_half_up_and_written_without_exponent(value: Decimal) -> None:
    assert money(value) == reference(value, 2)
    assert pct(value) == reference(value, 1)


# Amounts as plans and ledgers hold them, whole or in cents, and near those: money writes the
# first two as str does, without rounding them.
amounts = st.builds(lambda sign, digits, exponent: Decimal((sign, tuple(int(d) for d in str(digits)), exponent)),
                    st.sampled_from([0, 1]), st.integers(0, 10**30), st.sampled_from([0, -1, -2, -3]))


@given(amounts)
def test_whole_amounts_and_amounts_in_cents_are_written_as_any_other(value: Decimal) -> None:
    assert money(value) == reference(value, 2)
    with localcontext() as context:
        context.capitals = 0
        assert money(value) == reference(value, 2)


@given(decimals)
def test_number_is_written_as_it_is_up_to_four_decimals_else_as_money(value: Decimal) -> None:
    text = format(value, "f")
    rounded = "." in text and len(text) - text.index(".") > 5
    assert number(value) == (reference(value, 2) if rounded else unsigned(text))


@given(decimals)
def test_figures_do_not_depend_on_the_current_context(value: Decimal) -> None:
    texts, rounded = (number(value), money(value), pct(value)), (round_money(value), round_pct(value))
    with localcontext() as context:
        context.prec, context.capitals = 5, 0  # too narrow for most values; exponents written "1e+3"
        assert (number(value), money(value), pct(value)) == texts
        assert [figure.as_tuple() for figure in (round_money(value), round_pct(value))] == [
            figure.as_tuple() for figure in rounded]
