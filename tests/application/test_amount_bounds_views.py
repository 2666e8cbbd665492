"""The largest amounts and rates the domain accepts go through every projection exactly, on
both backends, and a million cases of them sum exactly in one portfolio cell; one minor unit
more is refused and leaves the views catching up."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.commands.certificates import IssueCertificate
from application.commands.funds import RecordDisbursement, RecordExpenditure, RecordReceipt
from application.commands.opening import RegisterDonor
from application.projections.queries import query_cases, query_portfolio
from application.services import Services
from domain.bounds import MAX_VND, MAX_VND_RATE, max_amount
from domain.errors import InvalidInputError
from domain.money import Money, minor_units, quantize_for
from domain.values import Deviation
from interfaces.container import Container
from tests.application.support import OWNER, REGISTRY, approved_case

CASES = 1_000_000  # national scale: a million cases summed in one portfolio cell
_numbers = itertools.count(1)
OVERSPENT = Deviation(reason="spent twice the receipts to test the bounds",
                      document="Minutes 1/BB")


def largest(currency: str, rate: Decimal) -> Decimal:
    """The largest amount of ``currency`` accepted at ``rate`` VND per unit."""
    step = Decimal(1).scaleb(-minor_units(currency))
    by_vnd = (MAX_VND / rate).quantize(step, rounding=ROUND_FLOOR)
    return min(by_vnd, max_amount(currency, minor_units(currency)))


def _rate(currency: str, rate: Decimal | None) -> dict[str, Any]:
    return {} if currency == "VND" else {"vnd_rate": rate}


def donor(services: Services) -> UUID:
    code = f"BOUND-{next(_numbers)}"
    donor_id = services.register_donor(RegisterDonor(actor=REGISTRY, code=code,
                                                     name=f"Donor {code}", country="GB",
                                                     kind="foreign_ngo", iati_ref=None,
                                                     effective_date=date(2024, 1, 1))).id
    services.handle_donor(IssueCertificate(donor_id=donor_id, actor=REGISTRY, number=f"C-{code}",
                                           kind="operation", issued_on=date(2024, 6, 1),
                                           expires_on=date(2027, 5, 31), provinces=["BN"],
                                           fields=["1"], effective_date=date(2024, 6, 1)))
    return donor_id


SPLIT = (("14030", "60"), ("12220", "40"))


def case_at_the_bounds(services: Services, donor_id: UUID, amount: Money,
                       rate: Decimal | None, sectors: tuple[tuple[str, str], ...] = SPLIT
                       ) -> UUID:
    """A case approved for ``amount`` that received, disbursed and spent ``amount`` each."""
    vnd = _rate(amount.currency, rate)
    case_id = approved_case(services, donor_id, f"BN-2025-B{next(_numbers)}", amount, sectors,
                            vnd_rate=rate, title="At the bounds")
    money = {"amount": amount, "aid_account": "VCB-1", "actor": OWNER, **vnd}
    services.handle_case(RecordReceipt(case_id=case_id, effective_date=date(2025, 2, 1), **money))
    services.handle_case(RecordDisbursement(case_id=case_id, effective_date=date(2025, 3, 1),
                                            **money))
    services.handle_case(RecordExpenditure(case_id=case_id, effective_date=date(2025, 4, 1),
                                           deviation=OVERSPENT, **money))
    return case_id


def caught_up(container: Container) -> None:
    container.runner.catch_up()
    head = container.runner.head()
    assert container.runner.positions() == {name: head for name in container.runner.projections}


@st.composite
def currency_and_rate(draw: st.DrawFn) -> tuple[str, Decimal | None]:
    currency = draw(st.sampled_from(["VND", "USD", "EUR", "JPY", "KWD", "CLF"]))
    if currency == "VND":
        return currency, None
    top = MAX_VND_RATE.get(currency, MAX_VND_RATE["*"])
    rate = draw(st.one_of(st.just(top), st.decimals(min_value=Decimal("0.0001"),
                                                    max_value=top, places=4)))
    return currency, rate


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(chosen=currency_and_rate())
def test_the_largest_accepted_amounts_and_rates_go_through_every_projection(
    container: Container, chosen: tuple[str, Decimal | None]
) -> None:
    currency, rate = chosen
    services = container.services
    amount = Money(largest(currency, rate or Decimal(1)), currency)
    donor_id = donor(services)
    case_id = case_at_the_bounds(services, donor_id, amount, rate)
    one_more = Money(amount.amount + Decimal(1).scaleb(-minor_units(currency)), currency)
    with pytest.raises(InvalidInputError) as refused:
        services.handle_case(RecordReceipt(case_id=case_id, actor=OWNER, amount=one_more,
                                           aid_account="VCB-1", effective_date=date(2025, 5, 1),
                                           **_rate(currency, rate)))
    assert refused.value.code == "amount_out_of_range"

    caught_up(container)
    vnd = quantize_for("VND", amount.amount * (rate or 1))
    assert vnd <= MAX_VND
    with container.views.transaction(write=False) as tx:
        page = query_cases(tx, provinces=None, filters={"donor_id": donor_id},
                           as_of=date(2025, 6, 1), cursor=None, limit=10, sort=None)
        [item] = page.items
        assert [item[m] for m in ("approved", "received", "disbursed", "spent")] == \
            [amount.amount] * 4
        assert [item[f"{m}_vnd"] for m in ("approved", "received", "disbursed", "spent")] == \
            [vnd] * 4
        shares = tx.fetchall("SELECT sum(approved_vnd), sum(spent_vnd) FROM "
                             "portfolio_contribution WHERE case_id = %s", (str(case_id),))
        assert [int(v) for v in shares[0]] == [int(vnd)] * 2


def test_a_million_cases_at_the_bounds_sum_exactly_in_one_portfolio_cell(
    container: Container,
) -> None:
    assert CASES * MAX_VND < 2**63  # the bound fits a 64-bit integer a million times
    services = container.services
    donor_id = donor(services)
    top = Money(MAX_VND, "VND")
    case_at_the_bounds(services, donor_id, top, None, (("14030", "100"),))
    caught_up(container)
    sums = ("case_count", "lead_case_count", "approved_vnd", "received_vnd", "disbursed_vnd",
            "spent_vnd")
    with container.views.transaction() as tx:
        # The one case's cells stand for all but one of a million such cases...
        tx.execute(f"UPDATE portfolio SET {', '.join(f'{s} = {s} * %s' for s in sums)}",
                   [CASES - 1] * len(sums))
    # ...and the millionth goes through the projection into the same cell.
    case_at_the_bounds(services, donor_id, top, None, (("14030", "100"),))
    caught_up(container)
    with container.views.transaction(write=False) as tx:
        page = query_portfolio(tx, provinces=None, filters={}, group_by=["province", "status"],
                               cursor=None, limit=50, sort=None)
    whole = CASES * MAX_VND
    assert page.totals == {"case_count": CASES, "approved_vnd": whole,
                           "received_vnd": whole, "disbursed_vnd": whole, "spent_vnd": whole}
    assert [(i["status"], i["case_count"], i["spent_vnd"]) for i in page.items] == [
        ("in_implementation", CASES, whole)]
