"""The domain's bounds on amounts, rates and case totals (``domain.bounds``): each refusal is
``amount_out_of_range`` naming the field, and records nothing (whatever calls the domain)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.bounds import MAX_VND, max_amount
from domain.errors import InvalidInputError
from domain.money import Money
from tests.unit.conftest import OWNER, Walker, open_case, recorded, refused, usd


def receive(walk: Walker, case: Any, amount: Money, **kw: Any) -> None:
    case.record_receipt(amount=amount, aid_account="VCB-0011", donor=walk.donor,
                        profile=walk.profile, actor=OWNER, effective_date=date(2026, 3, 5),
                        **{"vnd_rate": Decimal("25000"), **kw})


def test_the_largest_amount_at_the_largest_rate_is_accepted_and_one_cent_more_is_not(
    walk: Walker,
) -> None:
    case = walk.to("approved")
    largest = MAX_VND / Decimal(10**7)  # 900,000.00 USD at 10^7 VND per USD
    receive(walk, case, usd(f"{largest:.2f}"), vnd_rate=Decimal(10**7))
    assert recorded(case) == ["FundsReceived"]
    error = refused(case, InvalidInputError, "amount_out_of_range", lambda: receive(
        walk, walk.to("approved"), usd(f"{largest + Decimal('0.01'):.2f}"),
        vnd_rate=Decimal(10**7)))
    assert isinstance(error, InvalidInputError) and error.field == "amount"


def test_a_case_total_beyond_the_bound_is_refused_though_each_receipt_is_within(
    walk: Walker,
) -> None:
    case = walk.to("in_implementation")
    receive(walk, case, usd("200000000.00"))  # 5 x 10^12 VND
    recorded(case)
    error = refused(case, InvalidInputError, "amount_out_of_range",
                    lambda: receive(walk, case, usd("200000000.00")))
    assert "received total in VND" in error.detail


@pytest.mark.parametrize(("currency", "rate", "accepted"), [
    ("USD", "10000000", True), ("USD", "10000000.0001", False),
    ("CLF", "100000000", True), ("KWD", "100000000", False),
])
def test_the_vnd_rate_is_bounded_per_currency(walk: Walker, currency: str, rate: str,
                                              accepted: bool) -> None:
    case = walk.to("in_implementation")
    command = lambda: receive(walk, case, Money.of("1", currency),  # noqa: E731
                              vnd_rate=Decimal(rate), rate_to_case=Decimal("1"))
    if accepted:
        command()
        assert recorded(case) == ["FundsReceived"]
    else:
        error = refused(case, InvalidInputError, "amount_out_of_range", command)
        assert isinstance(error, InvalidInputError) and error.field == "vnd_rate"


def test_a_rate_to_the_case_currency_beyond_the_bound_is_refused(walk: Walker) -> None:
    case = walk.to("in_implementation")
    error = refused(case, InvalidInputError, "amount_out_of_range", lambda: receive(
        walk, case, Money.of("1", "EUR"), rate_to_case=Decimal("10000000001")))
    assert isinstance(error, InvalidInputError) and error.field == "rate_to_case"


def test_a_requested_amount_beyond_the_bound_is_refused_when_opening(walk: Walker) -> None:
    with pytest.raises(InvalidInputError) as caught:
        open_case(walk.donor, requested=Money.of(max_amount("VND", 0) + 1, "VND"),
                  requested_vnd_rate=None)
    assert (caught.value.code, caught.value.field) == ("amount_out_of_range", "requested")


def test_an_amount_too_large_to_be_exact_is_out_of_range() -> None:
    with pytest.raises(InvalidInputError) as caught:
        Money.of("1e400", "USD")
    assert caught.value.code == "amount_out_of_range"
