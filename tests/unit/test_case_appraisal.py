"""Appraisal and decision: accept, consult, complete, approve, reject, notify the donor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.case import AidCase
from domain.errors import InvalidInputError, ProcessGuardError, RuleViolationError
from domain.money import Money
from domain.rules import RuleProfile
from domain.values import Actor
from tests.unit.conftest import (
    APPRAISER,
    APPROVER,
    DEVIATION,
    FOCAL,
    OWNER,
    REGISTRY,
    Walker,
    doc,
    profile_on,
    recorded,
    refused,
    register_donor,
    usd,
)


def approve(case: AidCase, walk: Walker, **kw: Any) -> None:
    args: dict[str, Any] = dict(
        decision_no="123/QD-UBND", decision_date=date(2026, 2, 20), signer="Chair",
        authority_level="head_of_managing_agency", approved_amount=usd("100000.00"),
        vnd_rate=Decimal("25000"), conditions=[], donor=walk.donor, profile=walk.profile,
        actor=APPROVER, effective_date=date(2026, 2, 20))
    args.update(kw)
    case.approve(**args)


def test_accepting_a_dossier_starts_the_appraisal_with_its_due_date_and_vufo(
        walk: Walker) -> None:
    case = walk.to("submitted")
    case.accept_dossier(donor=walk.donor, profile=walk.profile, actor=FOCAL,
                        effective_date=date(2026, 2, 3))
    events = case.collect_events()
    assert [type(e).__name__ for e in events] == ["AppraisalStarted"]
    assert events[0].appraisal_due_on == date(2026, 2, 23)  # type: ignore[attr-defined]
    assert events[0].mandatory_consultees == ["VUFO"]  # type: ignore[attr-defined]
    assert case.status == "under_appraisal"


def test_a_dossier_accepted_under_decree_80_records_that_profile(walk: Walker) -> None:
    old = profile_on(date(2025, 12, 1))
    case = walk.to("submitted")
    case.accept_dossier(donor=walk.donor, profile=old, actor=FOCAL,
                        effective_date=date(2025, 12, 1))
    assert case.appraisal is not None and case.appraisal["rule_profile"].startswith("decree-80")
    assert case.appraisal["due_on"] == date(2025, 12, 21)


def test_a_donor_that_is_not_a_foreign_ngo_has_no_mandatory_consultee(
        profile: RuleProfile) -> None:
    walker = Walker(register_donor(profile, kind="foreign_government"), profile)
    case = walker.to("under_appraisal")
    assert case.appraisal is not None and case.appraisal["mandatory_consultees"] == []
    case.complete_appraisal(recommendation="approve", actor=APPRAISER,
                            effective_date=date(2026, 2, 10))
    assert recorded(case) == ["AppraisalCompleted"]


@pytest.mark.parametrize("state", ["draft", "returned", "under_appraisal"])
def test_accepting_from_another_state_is_refused(walk: Walker, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.accept_dossier(donor=walk.donor, profile=walk.profile, actor=FOCAL,
                                        effective_date=date(2026, 2, 3)))


def test_a_consultation_records_its_reply_due_date(walk: Walker) -> None:
    case = walk.to("under_appraisal")
    case.request_consultation(agency="Ministry of Public Security", profile=walk.profile,
                              actor=FOCAL, effective_date=date(2026, 2, 4))
    assert recorded(case) == ["ConsultationRequested"]
    assert case.consultations["Ministry of Public Security"]["reply_due_on"] == date(2026, 2, 14)


def test_the_same_agency_cannot_be_consulted_twice(walk: Walker) -> None:
    case = walk.to("consulted")
    refused(case, ProcessGuardError, "consultation_already_requested",
            lambda: case.request_consultation(agency="VUFO", profile=walk.profile,
                                              actor=FOCAL, effective_date=date(2026, 2, 11)))


def test_consulting_outside_the_appraisal_is_refused(walk: Walker) -> None:
    case = walk.to("submitted")
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.request_consultation(agency="VUFO", profile=walk.profile,
                                              actor=FOCAL, effective_date=date(2026, 2, 4)))


def test_an_opinion_is_recorded_for_a_requested_agency(walk: Walker) -> None:
    case = walk.to("under_appraisal")
    case.request_consultation(agency="VUFO", profile=walk.profile, actor=FOCAL,
                              effective_date=date(2026, 2, 4))
    case.record_opinion(agency="VUFO", stance="agree_with_conditions", document=doc("opinion"),
                        summary="report to VUFO yearly", actor=FOCAL,
                        effective_date=date(2026, 2, 9))
    assert recorded(case) == ["ConsultationRequested", "OpinionRecorded"]
    assert case.consultations["VUFO"]["stance"] == "agree_with_conditions"


def test_an_opinion_from_an_agency_never_asked_is_refused(walk: Walker) -> None:
    case = walk.to("under_appraisal")
    refused(case, ProcessGuardError, "consultation_not_requested",
            lambda: case.record_opinion(agency="VUFO", stance="agree", actor=FOCAL,
                                        effective_date=date(2026, 2, 9)))


def test_a_second_opinion_from_the_same_agency_is_refused(walk: Walker) -> None:
    case = walk.to("consulted")
    refused(case, ProcessGuardError, "opinion_recorded",
            lambda: case.record_opinion(agency="VUFO", stance="disagree", actor=FOCAL,
                                        effective_date=date(2026, 2, 12)))


def test_an_opinion_with_an_unknown_stance_is_refused(walk: Walker) -> None:
    case = walk.to("under_appraisal")
    case.request_consultation(agency="VUFO", profile=walk.profile, actor=FOCAL,
                              effective_date=date(2026, 2, 4))
    case.collect_events()
    refused(case, InvalidInputError, "invalid_stance",
            lambda: case.record_opinion(agency="VUFO", stance="maybe", actor=FOCAL,
                                        effective_date=date(2026, 2, 9)))


def test_completing_the_appraisal_after_every_reply(walk: Walker) -> None:
    case = walk.to("consulted")
    case.complete_appraisal(recommendation="approve", actor=APPRAISER,
                            effective_date=date(2026, 2, 15))
    assert recorded(case) == ["AppraisalCompleted"]
    assert case.status == "appraised" and case.appraised_by == APPRAISER.id


def test_completing_without_asking_vufo_is_refused(walk: Walker) -> None:
    case = walk.to("under_appraisal")
    error = refused(case, ProcessGuardError, "consultation_incomplete",
                    lambda: case.complete_appraisal(recommendation="approve", note="no time",
                                                    actor=APPRAISER,
                                                    effective_date=date(2026, 3, 1)))
    assert error.extra["missing"] == ["VUFO"]


def unanswered_vufo(walk: Walker) -> AidCase:
    case = walk.to("under_appraisal")
    case.request_consultation(agency="VUFO", profile=walk.profile, actor=FOCAL,
                              effective_date=date(2026, 2, 4))
    case.collect_events()
    return case


def test_completing_before_vufos_reply_is_due_is_refused(walk: Walker) -> None:
    case = unanswered_vufo(walk)
    refused(case, ProcessGuardError, "consultation_incomplete",
            lambda: case.complete_appraisal(recommendation="approve", note="VUFO silent",
                                            actor=APPRAISER, effective_date=date(2026, 2, 14)))


def test_completing_after_an_overdue_reply_needs_a_note(walk: Walker) -> None:
    case = unanswered_vufo(walk)
    refused(case, ProcessGuardError, "consultation_incomplete",
            lambda: case.complete_appraisal(recommendation="approve", actor=APPRAISER,
                                            effective_date=date(2026, 2, 15)))
    case.complete_appraisal(recommendation="approve", note="VUFO did not reply in time",
                            actor=APPRAISER, effective_date=date(2026, 2, 15))
    assert recorded(case) == ["AppraisalCompleted"]
    assert case.appraisal is not None and case.appraisal["overdue_consultees"] == ["VUFO"]


def test_an_unknown_recommendation_is_refused(walk: Walker) -> None:
    case = walk.to("consulted")
    refused(case, InvalidInputError, "invalid_recommendation",
            lambda: case.complete_appraisal(recommendation="perhaps", actor=APPRAISER,
                                            effective_date=date(2026, 2, 15)))


def test_approval_at_the_required_level_records_the_decision(walk: Walker) -> None:
    case = walk.to("appraised")
    approve(case, walk, conditions=["quarterly visits"])
    events = case.collect_events()
    assert [type(e).__name__ for e in events] == ["Approved"]
    approved = events[0]
    assert approved.required_authority_level == "head_of_managing_agency"  # type: ignore
    assert approved.rule_profile == walk.profile.ref  # type: ignore[attr-defined]
    assert approved.implementation_deadline == date(2026, 8, 20)  # type: ignore
    assert case.status == "approved" and case.approved_amount == Decimal("100000.00")
    assert case.original_approved_amount == case.approved_amount
    assert case.approved_vnd == Decimal("2500000000")


def test_approval_by_a_recorded_delegate_is_accepted(walk: Walker) -> None:
    case = walk.to("appraised")
    approve(case, walk, authority_level="vice_chair_provincial_peoples_committee")
    assert recorded(case) == ["Approved"]


def test_approval_by_a_delegate_above_the_ceiling_is_refused(walk: Walker) -> None:
    case = walk.to("appraised")
    refused(case, RuleViolationError, "authority_level",
            lambda: approve(case, walk, approved_amount=usd("500000.00"),
                            authority_level="vice_chair_provincial_peoples_committee"))


def test_approval_by_a_province_chair_is_refused_for_religious_aid(walk: Walker) -> None:
    case = walk.to("appraised", sensitive_flags=["religion"])
    error = refused(case, RuleViolationError, "authority_level", lambda: approve(case, walk))
    assert isinstance(error, RuleViolationError) and error.flag == "C02"
    assert "Decree 313/2025" in error.rule_ref


def test_approval_at_the_wrong_level_with_a_deviation_is_recorded(walk: Walker) -> None:
    case = walk.to("appraised", sensitive_flags=["religion"])
    approve(case, walk, deviation=DEVIATION)
    assert recorded(case) == ["Approved"]
    assert case.approval is not None
    assert case.approval["required_authority_level"] == "prime_minister"
    assert [d["flag"] for d in case.deviations] == ["C02"]


def test_approval_is_refused_when_the_certificate_lapsed_on_the_decision_date(
        walk: Walker) -> None:
    case = walk.to("appraised")
    walk.donor.suspend_certificate(number="123/GDK", reason="inquiry", actor=REGISTRY,
                                   effective_date=date(2026, 2, 18))
    error = refused(case, RuleViolationError, "donor_certificate_invalid",
                    lambda: approve(case, walk))
    assert isinstance(error, RuleViolationError) and error.flag == "C03"
    approve(case, walk, deviation=DEVIATION)
    assert recorded(case) == ["Approved"] and case.deviations[0]["rule"] == (
        "donor_certificate_invalid")


@pytest.mark.parametrize("actor", [OWNER, APPRAISER])
def test_the_submitter_or_appraiser_cannot_approve(walk: Walker, actor: Actor) -> None:
    case = walk.to("appraised")
    same = Actor(actor.id, "approver")
    error = refused(case, RuleViolationError, "segregation_of_duties",
                    lambda: approve(case, walk, actor=same))
    assert isinstance(error, RuleViolationError) and error.flag == "C18"
    approve(case, walk, actor=same, deviation=DEVIATION)
    assert case.deviations[0]["flag"] == "C18"


def test_every_broken_rule_of_one_approval_is_recorded_with_the_deviation(
        walk: Walker) -> None:
    case = walk.to("appraised", sensitive_flags=["defence"])
    approve(case, walk, actor=Actor(OWNER.id, "approver"), deviation=DEVIATION)
    assert [d["flag"] for d in case.deviations] == ["C02", "C18"]


def test_an_approved_amount_in_another_currency_is_refused(walk: Walker) -> None:
    case = walk.to("appraised")
    refused(case, InvalidInputError, "currency_mismatch",
            lambda: approve(case, walk, approved_amount=Money.of("1", "EUR")))


@pytest.mark.parametrize("state", ["under_appraisal", "approved", "rejected"])
def test_approving_outside_the_appraised_state_is_refused(walk: Walker, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed", lambda: approve(case, walk))


def test_rejection_is_final_and_iati_cancelled(walk: Walker) -> None:
    case = walk.to("appraised")
    case.reject(decision_no="9/QD", reasons=["overlaps"], actor=APPROVER,
                effective_date=date(2026, 2, 20))
    assert recorded(case) == ["Rejected"]
    assert (case.status, case.iati_status) == ("rejected", 5)
    assert case.allowed_commands() == ["notify_donor", "record_audit"]


def test_rejection_without_reasons_is_refused(walk: Walker) -> None:
    case = walk.to("appraised")
    refused(case, InvalidInputError, "reasons_required",
            lambda: case.reject(decision_no="9/QD", reasons=[], actor=APPROVER,
                                effective_date=date(2026, 2, 20)))


def test_rejection_before_appraisal_is_refused(walk: Walker) -> None:
    case = walk.to("submitted")
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.reject(decision_no="9/QD", reasons=["x"], actor=APPROVER,
                                effective_date=date(2026, 2, 20)))


@pytest.mark.parametrize("state,about", [("rejected", "rejection"), ("revoked", "revocation")])
def test_the_donor_is_notified_after_rejection_or_revocation(walk: Walker, state: str,
                                                             about: str) -> None:
    case = walk.to(state)
    case.notify_donor(about=about, document=doc("other"), actor=FOCAL,
                      effective_date=date(2026, 10, 1))
    assert recorded(case) == ["DonorNotified"]
    assert case.donor_notifications[0]["about"] == about


@pytest.mark.parametrize("state,about", [("rejected", "revocation"), ("revoked", "rejection"),
                                         ("approved", "revocation")])
def test_notifying_about_something_that_did_not_happen_is_refused(walk: Walker, state: str,
                                                                  about: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.notify_donor(about=about, actor=FOCAL,
                                      effective_date=date(2026, 10, 1)))
