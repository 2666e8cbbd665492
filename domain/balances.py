"""A case's balance over a period, from its transactions: opening, received, used,
refunded and closing, each transaction counted in the period of its effective date."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from domain.periods import Period


def _sums(transactions: Iterable[dict[str, Any]], field: str) -> dict[str, Decimal]:
    out = {k: Decimal(0) for k in ("received", "used", "refunded")}
    for t in transactions:
        kind = "used" if t["kind"] in ("disbursed", "spent") else t["kind"]
        if kind in out:
            out[kind] += t[field]
    return out


def movements(transactions: list[dict[str, Any]], period: Period, field: str
              ) -> dict[str, Decimal]:
    """Opening balance, received, used (disbursed and spent), refunded and closing balance
    of ``field`` (``case_amount`` or ``vnd_amount``): opening + received − used − refunded
    = closing, exactly."""
    before = _sums((t for t in transactions if t["effective_date"] < period.start), field)
    within = _sums((t for t in transactions
                    if period.start <= t["effective_date"] <= period.end), field)
    opening = before["received"] - before["used"] - before["refunded"]
    closing = opening + within["received"] - within["used"] - within["refunded"]
    return {"opening": opening, **within, "closing": closing}
