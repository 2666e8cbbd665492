"""Goods received as aid in kind: what, how many, in which unit (their value is the money)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.errors import InvalidInputError

MAX_QUANTITY = Decimal(10) ** 12


@dataclass(frozen=True)
class Goods:
    kind: str  # e.g. "Gạo", "Máy lọc nước"
    quantity: Decimal
    unit: str  # e.g. "kg", "bộ"

    def __post_init__(self) -> None:
        for name in ("kind", "unit"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip() or len(value) > 200:
                raise InvalidInputError(f"goods.{name} must be a text of 1 to 200 characters",
                                        code="invalid_goods", field=f"goods.{name}")
        q = self.quantity
        if not isinstance(q, Decimal) or not q.is_finite() or not 0 < q < MAX_QUANTITY \
                or q.as_tuple().exponent < -3:  # type: ignore[operator]
            raise InvalidInputError("goods.quantity must be above 0 and below 10^12, with at "
                                    "most 3 decimals", code="invalid_goods",
                                    field="goods.quantity")

    def record(self) -> dict[str, Any]:
        """The JSON-friendly record stored in the event."""
        return {"kind": self.kind.strip(), "quantity": self.quantity, "unit": self.unit.strip()}
