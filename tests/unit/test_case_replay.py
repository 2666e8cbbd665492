"""Replay and storage shape: events rebuild the same state and survive JSON transcoding."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    UUIDAsHex,
)

from application.transcodings import DateAsISO
from domain.case import AidCase
from domain.case_guards import ALLOWED, IATI_STATUS
from tests.unit.conftest import APPROVER, DEVIATION, OWNER, Walker, open_case, usd


def full_history(walk: Walker) -> tuple[AidCase, list[Any]]:
    """A case through every kind of event, keeping all its events."""
    case = open_case(walk.donor)
    for step in Walker.PATHS["in_implementation"]:
        getattr(walk, "_" + step)(case)
    case.record_receipt(amount=usd("100.00"), vnd_rate=Decimal("25000"), aid_account=None,
                        donor=walk.donor, profile=walk.profile, actor=OWNER,
                        effective_date=date(2026, 3, 6), deviation=DEVIATION)
    case.request_amendment(changes={"planned_end": date(2028, 1, 31)}, reason="delays",
                           actor=OWNER, effective_date=date(2026, 3, 10))
    case.decide_amendment(amendment_id="A1", approved=True, decision_no="1/QD", signer="Chair",
                          authority_level="head_of_managing_agency", profile=walk.profile,
                          actor=APPROVER, effective_date=date(2026, 3, 12))
    case.suspend(reason="inquiry", decision="2/QD", actor=APPROVER,
                 effective_date=date(2026, 3, 15))
    case.resume(decision="3/QD", actor=APPROVER, effective_date=date(2026, 3, 20))
    for step in ("spent", "completed", "reported", "handed_over"):
        getattr(walk, "_" + step)(case)
    case.record_refund(amount=usd("100.00"), vnd_rate=Decimal("25000"), aid_account="VCB",
                       profile=walk.profile, actor=OWNER, effective_date=date(2027, 2, 1))
    walk._closed(case)
    return case, list(case.collect_events())


def replay(events: list[Any]) -> AidCase:
    aggregate = None
    for e in events:
        aggregate = e.mutate(aggregate)
    assert isinstance(aggregate, AidCase)
    return aggregate


def test_replaying_the_events_rebuilds_the_same_state(walk: Walker) -> None:
    case, events = full_history(walk)
    assert replay(events).state() == case.state()
    assert case.status == "closed" and len(case.deviations) == 1


def test_replaying_part_of_the_history_gives_the_case_as_it_was(walk: Walker) -> None:
    case, events = full_history(walk)
    approved_at = next(i for i, e in enumerate(events) if type(e).__name__ == "Approved")
    past = replay(events[:approved_at + 1])
    assert past.status == "approved" and past.version == approved_at + 1


def test_every_event_survives_json_transcoding(walk: Walker) -> None:
    case, events = full_history(walk)
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
        transcoder.register(transcoding)
    mapper: Mapper[Any] = Mapper(transcoder=transcoder)
    restored = [mapper.to_domain_event(mapper.to_stored_event(e)) for e in events]
    assert replay(restored).state() == case.state()
    assert {type(e).__qualname__.split(".")[0] for e in events} == {"AidCase"}


def test_state_is_plain_json(walk: Walker) -> None:
    case, _ = full_history(walk)
    state = case.state()
    assert json.loads(json.dumps(state)) == state
    for key in ("reference", "donor_id", "totals", "totals_vnd", "approval", "amendments",
                "reports", "consultations", "documents", "deviations", "handover", "audits",
                "suspension", "delay_justified", "donor_notifications", "iati_status",
                "original_approved_amount", "legal_basis", "submitted_by", "appraised_by"):
        assert key in state
    assert state["planned_end"] == "2028-01-31" and state["totals"]["refunded"] == "100.00"


def test_event_class_names_are_the_stored_ones() -> None:
    names = {"Opened", "DraftUpdated", "DocumentAttached", "DossierSubmitted",
             "DossierReturned", "AppraisalStarted", "ConsultationRequested", "OpinionRecorded",
             "AppraisalCompleted", "Approved", "Rejected", "DonorNotified",
             "CommitmentRecorded", "FundsReceived", "DisbursementRecorded",
             "ExpenditureRecorded", "RefundRecorded", "AmendmentRequested",
             "AmendmentApproved", "AmendmentRefused", "Suspended", "Resumed", "Revoked",
             "Terminated", "DelayJustified", "ReportSubmitted", "ReportAccepted",
             "ReportReturned", "ActivitiesCompleted", "AssetsHandedOver", "AuditRecorded",
             "Closed"}
    for name in names:
        cls = getattr(AidCase, name)
        assert cls.__module__ == "domain.case" and cls.__qualname__ == f"AidCase.{name}"


@pytest.mark.parametrize("state", sorted(ALLOWED))
def test_every_state_has_an_iati_status_and_commands(state: str) -> None:
    assert IATI_STATUS[state] in range(1, 7)
    assert ALLOWED[state]


def test_every_event_says_who_and_when(walk: Walker) -> None:
    _, events = full_history(walk)
    for e in events:
        assert e.actor_id and e.actor_role and isinstance(e.effective_date, date)
        assert not hasattr(e.effective_date, "hour")
