"""Amendments and the approver's decisions: suspend, resume, revoke, terminate, delay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.case import AidCase
from domain.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    ProcessGuardError,
    RuleViolationError,
)
from domain.values import Actor
from tests.unit.conftest import (
    APPRAISER,
    APPROVER,
    DEVIATION,
    OWNER,
    Walker,
    doc,
    recorded,
    refused,
    usd,
)

BIGGER = {"approved_amount": usd("120000.00"), "vnd_rate": Decimal("25000"),
          "planned_end": date(2028, 6, 30)}


def request(case: AidCase, changes: dict[str, Any] | None = None, **kw: Any) -> None:
    case.request_amendment(changes=changes or BIGGER, reason="second phase of wells",
                           actor=OWNER, effective_date=date(2026, 6, 1), **kw)


def decide(case: AidCase, walk: Walker, approved: bool = True, **kw: Any) -> None:
    args: dict[str, Any] = dict(amendment_id="A1", approved=approved, decision_no="200/QD",
                                signer="Chair", authority_level="head_of_managing_agency",
                                reasons=None if approved else ["no budget"],
                                profile=walk.profile, actor=APPROVER,
                                effective_date=date(2026, 6, 10))
    args.update(kw)
    case.decide_amendment(**args)


def pending(walk: Walker, state: str = "in_implementation") -> AidCase:
    case = walk.to(state)
    request(case)
    case.collect_events()
    return case


def test_requesting_an_amendment_records_the_changes(walk: Walker) -> None:
    case = walk.to("in_implementation")
    request(case)
    assert recorded(case) == ["AmendmentRequested"]
    assert case.amendments[0]["changes"]["approved_vnd"] == Decimal("3000000000")
    assert "decide_amendment" in case.allowed_commands()
    assert "request_amendment" not in case.allowed_commands()


def test_only_one_amendment_may_be_pending(walk: Walker) -> None:
    case = pending(walk)
    refused(case, ProcessGuardError, "amendment_pending",
            lambda: request(case, {"title": "Clean water, phase two"}))


@pytest.mark.parametrize("changes,code", [
    ({}, "amendment_changes"), ({"province": "HN"}, "amendment_changes"),
    ({"vnd_rate": Decimal("1")}, "amendment_changes"),
    ({"planned_end": date(2026, 1, 1)}, "date_order"),
    ({"approved_amount": usd("10")}, "amendment_below_used"),
])
def test_invalid_amendment_changes_are_refused(walk: Walker, changes: dict[str, Any],
                                               code: str) -> None:
    case = walk.to("spent")
    refused(case, InvalidInputError, code,
            lambda: case.request_amendment(changes=changes, reason="r", actor=OWNER,
                                           effective_date=date(2026, 6, 1)))


def test_a_duplicate_amendment_id_is_refused(walk: Walker) -> None:
    case = pending(walk)
    decide(case, walk)
    case.collect_events()
    refused(case, ConflictError, "duplicate_amendment",
            lambda: request(case, {"title": "Phase two"}, amendment_id="A1"))


@pytest.mark.parametrize("state", ["appraised", "completed", "closed"])
def test_amendments_outside_implementation_are_refused(walk: Walker, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed", lambda: request(case))


def test_an_approved_amendment_takes_effect(walk: Walker) -> None:
    case = pending(walk)
    decide(case, walk)
    assert recorded(case) == ["AmendmentApproved"]
    assert case.approved_amount == Decimal("120000.00")
    assert case.original_approved_amount == Decimal("100000.00")
    assert case.planned_end == date(2028, 6, 30) and case.pending_amendment() is None


def test_an_approved_amendment_covers_later_spending(walk: Walker) -> None:
    case = pending(walk)
    case.record_receipt(amount=usd("60000.00"), vnd_rate=Decimal("25000"), aid_account="A",
                        donor=walk.donor, profile=walk.profile, actor=OWNER,
                        effective_date=date(2026, 6, 5))
    spend = lambda: case.record_expenditure(  # noqa: E731
        amount=usd("110000.00"), vnd_rate=Decimal("25000"), aid_account="A",
        profile=walk.profile, actor=OWNER, effective_date=date(2026, 6, 20))
    case.collect_events()
    refused(case, RuleViolationError, "overspending", spend)
    decide(case, walk)
    spend()
    assert recorded(case) == ["AmendmentApproved", "ExpenditureRecorded"]


def test_a_refused_amendment_changes_nothing(walk: Walker) -> None:
    case = pending(walk)
    decide(case, walk, approved=False)
    assert recorded(case) == ["AmendmentRefused"]
    assert case.approved_amount == Decimal("100000.00")
    assert case.amendments[0]["status"] == "refused"


def test_refusing_an_amendment_needs_reasons(walk: Walker) -> None:
    case = pending(walk)
    refused(case, InvalidInputError, "reasons_required",
            lambda: decide(case, walk, approved=False, reasons=[]))


def test_deciding_an_unknown_or_decided_amendment_is_refused(walk: Walker) -> None:
    case = pending(walk)
    refused(case, NotFoundError, "amendment_not_found",
            lambda: decide(case, walk, amendment_id="A9"))
    decide(case, walk)
    case.collect_events()
    refused(case, ProcessGuardError, "amendment_not_pending", lambda: decide(case, walk))


def test_an_amendment_decided_below_the_original_level_is_a_rule_violation(
        walk: Walker) -> None:
    case = pending(walk)
    error = refused(case, RuleViolationError, "authority_level",
                    lambda: decide(case, walk, authority_level="provincial_department"))
    assert isinstance(error, RuleViolationError) and error.flag == "C02"
    decide(case, walk, authority_level="provincial_department", deviation=DEVIATION)
    assert case.deviations[-1]["event"] == "AmendmentApproved"


@pytest.mark.parametrize("actor_id", [OWNER.id, APPRAISER.id])
def test_the_submitter_or_appraiser_cannot_decide_an_amendment(walk: Walker,
                                                              actor_id: str) -> None:
    case = pending(walk)
    who = Actor(actor_id, "approver")
    refused(case, RuleViolationError, "segregation_of_duties",
            lambda: decide(case, walk, actor=who))
    decide(case, walk, approved=False, actor=who, deviation=DEVIATION)
    assert recorded(case) == ["AmendmentRefused"] and case.deviations[-1]["flag"] == "C18"


@pytest.mark.parametrize("state", ["approved", "in_implementation"])
def test_suspending_and_resuming_returns_to_the_previous_state(walk: Walker,
                                                               state: str) -> None:
    case = walk.to(state)
    case.suspend(reason="audit findings", decision="55/QD", actor=APPROVER,
                 effective_date=date(2026, 4, 1))
    assert (case.status, case.iati_status) == ("suspended", 6)
    case.resume(decision="56/QD", actor=APPROVER, effective_date=date(2026, 5, 1))
    assert recorded(case) == ["Suspended", "Resumed"] and case.status == state
    assert case.suspensions[0]["resumed_on"] == date(2026, 5, 1)


@pytest.mark.parametrize("state", ["appraised", "suspended", "completed"])
def test_suspending_from_other_states_is_refused(walk: Walker, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.suspend(reason="x", decision="d", actor=APPROVER,
                                 effective_date=date(2026, 4, 1)))


@pytest.mark.parametrize("state", ["approved", "in_implementation"])
def test_resuming_a_case_that_is_not_suspended_is_refused(walk: Walker, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.resume(decision="d", actor=APPROVER, effective_date=date(2026, 4, 1)))


def test_an_approval_can_be_revoked(walk: Walker) -> None:
    case = walk.to("approved")
    case.revoke(reason="not implemented within 6 months", decision="77/QD", actor=APPROVER,
                effective_date=date(2026, 9, 1))
    assert recorded(case) == ["Revoked"] and (case.status, case.iati_status) == ("revoked", 5)


@pytest.mark.parametrize("state", ["in_implementation", "appraised", "suspended"])
def test_revoking_after_implementation_started_or_before_approval_is_refused(
        walk: Walker, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.revoke(reason="x", decision="d", actor=APPROVER,
                                effective_date=date(2026, 9, 1)))


@pytest.mark.parametrize("state", ["approved", "in_implementation", "suspended"])
def test_a_case_can_be_terminated(walk: Walker, state: str) -> None:
    case = walk.to(state)
    case.terminate(reason="donor withdrew", decision="56/QD", actor=APPROVER,
                   effective_date=date(2026, 4, 2))
    assert recorded(case) == ["Terminated"] and (case.status, case.iati_status) == (
        "terminated", 5)
    assert case.actual_end == (date(2026, 4, 2) if case.actual_start else None)


@pytest.mark.parametrize("state", ["appraised", "completed", "terminated"])
def test_terminating_from_other_states_is_refused(walk: Walker, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.terminate(reason="x", decision="d", actor=APPROVER,
                                   effective_date=date(2026, 4, 2)))


def test_a_justified_delay_is_recorded_before_implementation(walk: Walker) -> None:
    case = walk.to("approved")
    case.record_justified_delay(reason="flood season", document=doc("decision"),
                                actor=APPROVER, effective_date=date(2026, 7, 1))
    assert recorded(case) == ["DelayJustified"]
    assert case.delay_justified is not None and case.delay_justified["reason"] == "flood season"


def test_a_delay_cannot_be_justified_once_implementation_started(walk: Walker) -> None:
    case = walk.to("suspended")
    refused(case, ProcessGuardError, "implementation_started",
            lambda: case.record_justified_delay(reason="x", document=doc(), actor=APPROVER,
                                                effective_date=date(2026, 7, 1)))
    case = walk.to("in_implementation")
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.record_justified_delay(reason="x", document=doc(), actor=APPROVER,
                                                effective_date=date(2026, 7, 1)))
