"""Money: a Decimal amount in an ISO 4217 currency, never a float (SPEC §2.3)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from domain.errors import InvalidInputError

# ISO 4217 active currencies and their minor units. ANG, SLL and ZWL were replaced in
# 2023-2025 (XCG, SLE, ZWG) but are kept so that back-dated records can still name them.
_MINOR_UNITS_TEXT = """
AED 2 AFN 2 ALL 2 AMD 2 ANG 2 AOA 2 ARS 2 AUD 2 AWG 2 AZN 2 BAM 2 BBD 2 BDT 2 BGN 2
BHD 3 BIF 0 BMD 2 BND 2 BOB 2 BOV 2 BRL 2 BSD 2 BTN 2 BWP 2 BYN 2 BZD 2 CAD 2 CDF 2
CHE 2 CHF 2 CHW 2 CLF 4 CLP 0 CNY 2 COP 2 COU 2 CRC 2 CUP 2 CVE 2 CZK 2 DJF 0 DKK 2
DOP 2 DZD 2 EGP 2 ERN 2 ETB 2 EUR 2 FJD 2 FKP 2 GBP 2 GEL 2 GHS 2 GIP 2 GMD 2 GNF 0
GTQ 2 GYD 2 HKD 2 HNL 2 HTG 2 HUF 2 IDR 2 ILS 2 INR 2 IQD 3 IRR 2 ISK 0 JMD 2 JOD 3
JPY 0 KES 2 KGS 2 KHR 2 KMF 0 KPW 2 KRW 0 KWD 3 KYD 2 KZT 2 LAK 2 LBP 2 LKR 2 LRD 2
LSL 2 LYD 3 MAD 2 MDL 2 MGA 2 MKD 2 MMK 2 MNT 2 MOP 2 MRU 2 MUR 2 MVR 2 MWK 2 MXN 2
MXV 2 MYR 2 MZN 2 NAD 2 NGN 2 NIO 2 NOK 2 NPR 2 NZD 2 OMR 3 PAB 2 PEN 2 PGK 2 PHP 2
PKR 2 PLN 2 PYG 0 QAR 2 RON 2 RSD 2 RUB 2 RWF 0 SAR 2 SBD 2 SCR 2 SDG 2 SEK 2 SGD 2
SHP 2 SLE 2 SLL 2 SOS 2 SRD 2 SSP 2 STN 2 SVC 2 SYP 2 SZL 2 THB 2 TJS 2 TMT 2 TND 3
TOP 2 TRY 2 TTD 2 TWD 2 TZS 2 UAH 2 UGX 0 USD 2 USN 2 UYI 0 UYU 2 UYW 4 UZS 2 VED 2
VES 2 VND 0 VUV 0 WST 2 XAF 0 XCD 2 XCG 2 XOF 0 XPF 0 YER 2 ZAR 2 ZMW 2 ZWG 2 ZWL 2
"""
_PAIRS = _MINOR_UNITS_TEXT.split()
MINOR_UNITS: dict[str, int] = {_PAIRS[i]: int(_PAIRS[i + 1]) for i in range(0, len(_PAIRS), 2)}


def minor_units(currency: str) -> int:
    try:
        return MINOR_UNITS[currency]
    except (KeyError, TypeError):
        raise InvalidInputError(f"unknown currency {currency!r}", code="unknown_currency",
                                field="currency") from None


def to_decimal(value: Any, field: str = "amount") -> Decimal:
    """A finite Decimal from a Decimal, int or str; floats are refused (they are not exact)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidInputError(f"{field} must be a Decimal, int or string, never a float",
                                code="float_not_allowed", field=field)
    result: Decimal | None = None
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (int, str)):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            result = None
    if result is None or not result.is_finite():
        raise InvalidInputError(f"{field} is not a finite number: {value!r}",
                                code="invalid_amount", field=field)
    return result


def quantize_for(currency: str, value: Decimal) -> Decimal:
    """``value`` rounded half-up to the currency's minor units."""
    try:
        return value.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise InvalidInputError(f"amount out of range: {value}", code="amount_out_of_range",
                                field="amount") from None


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        amount = to_decimal(self.amount)
        exact = quantize_for(self.currency, amount)
        if exact != amount:
            raise InvalidInputError(
                f"{self.currency} has {minor_units(self.currency)} decimal places: {amount}",
                code="too_many_decimals", field="amount")
        object.__setattr__(self, "amount", exact)

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: str) -> Money:
        return cls(to_decimal(amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money) or other.currency != self.currency:
            raise InvalidInputError("amounts in different currencies cannot be combined",
                                    code="currency_mismatch", field="currency")

    def add(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def sub(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    __add__ = add
    __sub__ = sub

    def convert(self, rate: Decimal | int | str, to_currency: str) -> Money:
        """This amount at ``rate`` (units of ``to_currency`` per unit), rounded half-up."""
        factor = to_decimal(rate, "rate")
        if factor <= 0:
            raise InvalidInputError("an exchange rate must be positive", code="invalid_rate",
                                    field="rate")
        return Money(quantize_for(to_currency, self.amount * factor), to_currency)

    @property
    def is_positive(self) -> bool:
        return self.amount > 0

    def to_dict(self) -> dict[str, str]:
        return {"amount": str(self.amount), "currency": self.currency}

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
