"""The largest amounts and rates a command may bring, and the largest totals it may make.

Each view keeps amounts as exact 64-bit integers (minor units, whole dong) and the portfolio
sums whole dong over cases; within these bounds every value and every sum of up to a million
cases is exact there, on both dialects. No real aid comes near them.
"""

from __future__ import annotations

from decimal import Decimal

from domain.errors import InvalidInputError

# Whole dong, for one amount's VND value and for each VND total of a case. 9 x 10^12 VND is
# about 350 million USD, more than any single non-refundable aid case; a million cases of it
# sum to 9 x 10^18, within a 64-bit integer (2^63 - 1 is about 9.22 x 10^18).
MAX_VND = Decimal(9 * 10**12)

# Any currency, in its minor units, for one amount and for each total of a case: 10^15 USD,
# 10^14 KWD; 92 times within a 64-bit integer. (Real amounts meet the VND bound long before.)
MAX_MINOR_UNITS = 10**17

# The largest VND rate (dong per unit) of each currency; ``*`` is every other currency.
# 10^7 is over 100 times the strongest currency today (KWD, about 85,000 VND); CLF, a unit of
# account of about 1,000,000 VND, gets the same margin; VND itself has the rate 1.
_MAX_VND_RATE_TEXT = """
* 10000000
CLF 100000000
VND 1
"""
_PAIRS = _MAX_VND_RATE_TEXT.split()
MAX_VND_RATE: dict[str, Decimal] = {_PAIRS[i]: Decimal(_PAIRS[i + 1])
                                    for i in range(0, len(_PAIRS), 2)}

# Case-currency units per unit of another currency: the strongest unit (CLF) is worth under
# 10^8 of the weakest (IRR), so 10^10 leaves a margin of a hundred.
MAX_RATE_TO_CASE = Decimal(10**10)


def _refuse(field: str, value: Decimal, maximum: Decimal, what: str) -> None:
    if value > maximum:
        raise InvalidInputError(
            f"{field}: {what}, {value}, is above the largest accepted, {maximum}",
            code="amount_out_of_range", field=field, maximum=str(maximum))


def max_amount(currency: str, places: int) -> Decimal:
    """The largest amount of ``currency`` (with ``places`` minor digits), in its units."""
    bound = Decimal(MAX_MINOR_UNITS).scaleb(-places)
    return min(bound, MAX_VND) if currency == "VND" else bound


def check_amount(amount: Decimal, currency: str, places: int, field: str,
                 what: str = "") -> None:
    _refuse(field, abs(amount), max_amount(currency, places), what or f"the {currency} amount")


def check_vnd(vnd: Decimal, field: str, what: str = "the VND value") -> None:
    _refuse(field, abs(vnd), MAX_VND, what)


def check_vnd_rate(rate: Decimal, currency: str, field: str) -> None:
    _refuse(field, rate, MAX_VND_RATE.get(currency, MAX_VND_RATE["*"]),
            f"the VND rate of {currency}")


def check_rate_to_case(rate: Decimal, field: str = "rate_to_case") -> None:
    _refuse(field, rate, MAX_RATE_TO_CASE, "the rate")
