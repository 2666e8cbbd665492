"""Money: commitments, receipts, disbursements, expenditures and refunds, with their rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.case import AidCase
from domain.errors import InvalidInputError, ProcessGuardError, RuleViolationError
from domain.money import Money
from tests.unit.conftest import DEVIATION, OWNER, REGISTRY, Walker, recorded, refused, usd

ACCOUNT = "VCB-0011"


def receive(case: AidCase, walk: Walker, value: str = "10000.00", **kw: Any) -> None:
    args: dict[str, Any] = dict(amount=usd(value), vnd_rate=Decimal("25000"),
                                aid_account=ACCOUNT, donor=walk.donor, profile=walk.profile,
                                actor=OWNER, effective_date=date(2026, 3, 5))
    args.update(kw)
    case.record_receipt(**args)


def use(case: AidCase, walk: Walker, command: str, value: str, **kw: Any) -> None:
    args: dict[str, Any] = dict(amount=usd(value), vnd_rate=Decimal("25000"),
                                aid_account=ACCOUNT, profile=walk.profile, actor=OWNER,
                                effective_date=date(2026, 4, 1))
    args.update(kw)
    getattr(case, command)(**args)


def test_a_commitment_within_the_approved_amount_is_recorded(walk: Walker) -> None:
    case = walk.to("approved")
    case.record_commitment(amount=usd("100000.00"), agreement_ref="AGR-1",
                           vnd_rate=Decimal("25000"), profile=walk.profile, actor=OWNER,
                           effective_date=date(2026, 2, 25))
    assert recorded(case) == ["CommitmentRecorded"]
    assert case.totals["committed"] == Decimal("100000.00")


def test_a_commitment_beyond_the_approved_amount_is_a_rule_violation(walk: Walker) -> None:
    case = walk.to("approved")
    command = lambda dev=None: case.record_commitment(  # noqa: E731
        amount=usd("100000.01"), agreement_ref="AGR-1", vnd_rate=Decimal("25000"),
        profile=walk.profile, actor=OWNER, effective_date=date(2026, 2, 25), deviation=dev)
    error = refused(case, RuleViolationError, "commitment_exceeds_approved", command)
    assert isinstance(error, RuleViolationError) and error.flag == "C10"
    command(DEVIATION)
    assert recorded(case) == ["CommitmentRecorded"] and case.deviations[0]["flag"] == "C10"


@pytest.mark.parametrize("state", ["appraised", "completed"])
def test_a_commitment_outside_approval_or_implementation_is_refused(walk: Walker,
                                                                    state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.record_commitment(amount=usd("1"), agreement_ref="A",
                                           vnd_rate=Decimal("25000"), profile=walk.profile,
                                           actor=OWNER, effective_date=date(2026, 3, 1)))


def test_the_first_receipt_after_approval_starts_implementation(walk: Walker) -> None:
    case = walk.to("approved")
    receive(case, walk)
    events = case.collect_events()
    assert [type(e).__name__ for e in events] == ["FundsReceived"]
    assert events[0].starts_implementation is True  # type: ignore[attr-defined]
    assert (case.status, case.iati_status, case.actual_start) == (
        "in_implementation", 2, date(2026, 3, 5))
    receive(case, walk, effective_date=date(2026, 4, 5))
    assert case.actual_start == date(2026, 3, 5)
    assert case.totals["received"] == Decimal("20000.00")
    assert case.totals_vnd["received"] == Decimal("500000000")


def test_a_receipt_in_another_currency_records_three_amounts(walk: Walker) -> None:
    case = walk.to("approved")
    case.record_receipt(amount=Money.of("9000.00", "EUR"), rate_to_case=Decimal("1.0851"),
                        vnd_rate=Decimal("27345.5"), aid_account=ACCOUNT, donor=walk.donor,
                        profile=walk.profile, actor=OWNER, effective_date=date(2026, 3, 5))
    event = case.collect_events()[0]
    assert (event.amount, event.currency, event.case_amount, event.vnd_amount) == (  # type: ignore
        Decimal("9000.00"), "EUR", Decimal("9765.90"), Decimal("246109500"))


@pytest.mark.parametrize("kw,code", [({"rate_to_case": None, "amount": Money.of("1", "EUR")},
                                      "rate_required"),
                                     ({"vnd_rate": None}, "vnd_rate_required"),
                                     ({"amount": usd("0")}, "invalid_amount")])
def test_a_receipt_without_its_rates_or_amount_is_refused(walk: Walker, kw: dict[str, Any],
                                                          code: str) -> None:
    case = walk.to("approved")
    refused(case, InvalidInputError, code, lambda: receive(case, walk, **kw))


def test_a_receipt_before_approval_is_refused(walk: Walker) -> None:
    case = walk.to("appraised")
    error = refused(case, RuleViolationError, "receipt_before_approval",
                    lambda: receive(case, walk))
    assert isinstance(error, RuleViolationError) and error.flag == "C01"


@pytest.mark.parametrize("state", ["draft", "submitted", "under_appraisal", "appraised"])
def test_a_receipt_before_approval_with_a_deviation_keeps_the_state(walk: Walker,
                                                                   state: str) -> None:
    case = walk.to(state)
    receive(case, walk, deviation=DEVIATION)
    assert recorded(case) == ["FundsReceived"]
    assert case.status == state and case.actual_start is None
    assert case.deviations[0]["rule"] == "receipt_before_approval"


def test_a_deviation_where_no_rule_is_broken_is_refused_as_invalid_input(walk: Walker) -> None:
    case = walk.to("approved")  # receiving after approval, on the aid account: nothing broken
    error = refused(case, InvalidInputError, "deviation_without_breach",
                    lambda: receive(case, walk, deviation=DEVIATION))
    assert isinstance(error, InvalidInputError) and error.field == "deviation"


def test_cash_without_the_aid_account_is_a_rule_violation(walk: Walker) -> None:
    case = walk.to("approved")
    error = refused(case, RuleViolationError, "aid_account_missing",
                    lambda: receive(case, walk, aid_account=None))
    assert isinstance(error, RuleViolationError) and error.flag == "C13"
    receive(case, walk, aid_account=None, deviation=DEVIATION)
    assert case.deviations[0]["flag"] == "C13"


def test_goods_received_in_kind_need_no_aid_account(walk: Walker) -> None:
    case = walk.to("approved")
    receive(case, walk, aid_account=None, in_kind=True)
    assert recorded(case) == ["FundsReceived"] and case.deviations == []


def test_a_receipt_outside_the_approved_period_is_a_rule_violation(walk: Walker) -> None:
    case = walk.to("approved")
    error = refused(case, RuleViolationError, "outside_approved_period",
                    lambda: receive(case, walk, effective_date=date(2026, 2, 27)))
    assert isinstance(error, RuleViolationError) and error.flag == "C11"
    receive(case, walk, effective_date=date(2026, 2, 27), deviation=DEVIATION)
    assert case.deviations[0]["flag"] == "C11"


def test_a_receipt_on_a_date_the_certificate_was_suspended_is_a_rule_violation(
        walk: Walker) -> None:
    case = walk.to("approved")
    walk.donor.suspend_certificate(number="123/GDK", reason="inquiry", actor=REGISTRY,
                                   effective_date=date(2026, 3, 1))
    error = refused(case, RuleViolationError, "donor_certificate_invalid",
                    lambda: receive(case, walk))
    assert isinstance(error, RuleViolationError) and error.flag == "C03"
    receive(case, walk, deviation=DEVIATION)
    assert [d["flag"] for d in case.deviations] == ["C03"]


def test_a_receipt_while_suspended_is_refused(walk: Walker) -> None:
    case = walk.to("suspended")
    error = refused(case, ProcessGuardError, "case_suspended",
                    lambda: receive(case, walk, deviation=DEVIATION))
    assert isinstance(error, ProcessGuardError) and "resume" in error.allowed_commands


@pytest.mark.parametrize("state", ["rejected", "revoked", "completed", "terminated", "closed"])
def test_a_receipt_after_the_case_ended_is_refused(walk: Walker, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: receive(case, walk, deviation=DEVIATION))


@pytest.mark.parametrize("command,total,event", [
    ("record_disbursement", "disbursed", "DisbursementRecorded"),
    ("record_expenditure", "spent", "ExpenditureRecorded")])
def test_uses_within_receipts_are_recorded(walk: Walker, command: str, total: str,
                                           event: str) -> None:
    case = walk.to("in_implementation")
    use(case, walk, command, "60000.00")
    assert recorded(case) == [event]
    assert case.totals[total] == Decimal("60000.00") and case.balance == 0


@pytest.mark.parametrize("command", ["record_disbursement", "record_expenditure"])
def test_using_more_than_was_received_is_overspending(walk: Walker, command: str) -> None:
    case = walk.to("in_implementation")
    error = refused(case, RuleViolationError, "overspending",
                    lambda: use(case, walk, command, "60000.01"))
    assert isinstance(error, RuleViolationError) and error.flag == "C10"
    use(case, walk, command, "60000.01", deviation=DEVIATION)
    assert case.deviations[0]["rule"] == "overspending"


def test_using_more_than_the_approved_amount_is_overspending(walk: Walker) -> None:
    case = walk.to("in_implementation")
    receive(case, walk, "50000.00", effective_date=date(2026, 3, 20))
    case.collect_events()
    error = refused(case, RuleViolationError, "overspending",
                    lambda: use(case, walk, "record_expenditure", "100000.01"))
    assert "approved" in error.detail


def test_a_tolerance_in_the_profile_allows_using_a_little_more_than_received(
        walk: Walker) -> None:
    tolerant = replace(walk.profile, params={
        **walk.profile.params, "overspend_tolerance_percent": replace(
            walk.profile.params["overspend_tolerance_percent"], value="1")})
    case = walk.to("in_implementation")
    use(case, walk, "record_expenditure", "60600.00", profile=tolerant)
    assert recorded(case) == ["ExpenditureRecorded"]


@pytest.mark.parametrize("command", ["record_disbursement", "record_expenditure"])
def test_uses_dated_outside_the_period_or_without_account_are_rule_violations(
        walk: Walker, command: str) -> None:
    case = walk.to("in_implementation")
    refused(case, RuleViolationError, "outside_approved_period",
            lambda: use(case, walk, command, "10", effective_date=date(2028, 1, 1)))
    refused(case, RuleViolationError, "aid_account_missing",
            lambda: use(case, walk, command, "10", aid_account=""))
    use(case, walk, command, "10", aid_account="", deviation=DEVIATION)
    assert [d["flag"] for d in case.deviations] == ["C13"]


@pytest.mark.parametrize("command", ["record_disbursement", "record_expenditure"])
def test_uses_before_approval_are_a_rule_violation(walk: Walker, command: str) -> None:
    case = walk.to("appraised")
    refused(case, RuleViolationError, "receipt_before_approval",
            lambda: use(case, walk, command, "10"))


@pytest.mark.parametrize("command", ["record_disbursement", "record_expenditure",
                                     "record_refund"])
def test_no_money_moves_while_suspended(walk: Walker, command: str) -> None:
    case = walk.to("suspended")
    refused(case, ProcessGuardError, "case_suspended", lambda: use(case, walk, command, "10"))


def test_a_refund_explains_the_balance(walk: Walker) -> None:
    case = walk.to("in_implementation")
    use(case, walk, "record_refund", "60000.00", counterparty="Oxfam")
    assert recorded(case) == ["RefundRecorded"]
    assert case.balance == 0 and case.totals["refunded"] == Decimal("60000.00")


def test_a_refund_larger_than_the_balance_is_refused(walk: Walker) -> None:
    case = walk.to("in_implementation")
    refused(case, RuleViolationError, "overspending",
            lambda: use(case, walk, "record_refund", "60000.01"))
    use(case, walk, "record_refund", "60000.01", deviation=DEVIATION)
    assert case.deviations[0]["flag"] == "C10"


def test_a_cash_refund_needs_the_aid_account(walk: Walker) -> None:
    case = walk.to("in_implementation")
    refused(case, RuleViolationError, "aid_account_missing",
            lambda: use(case, walk, "record_refund", "1", aid_account=None))


@pytest.mark.parametrize("state", ["approved", "appraised"])
def test_a_refund_before_implementation_is_refused(walk: Walker, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: use(case, walk, "record_refund", "1"))


def test_money_events_carry_who_when_and_the_rule_profile(walk: Walker) -> None:
    case = walk.to("approved")
    receive(case, walk)
    event = case.collect_events()[0]
    assert (event.actor_id, event.actor_role, event.effective_date) == (  # type: ignore
        OWNER.id, "aid_owner", date(2026, 3, 5))
    assert event.rule_profile == walk.profile.ref and event.deviations == []  # type: ignore
