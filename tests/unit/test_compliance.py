"""Compliance checks: given a case walked with domain commands, then its flag spans."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.case import AidCase
from domain.compliance import FlagSpan, History, Mark, evaluate_case, marks_of
from domain.donor import Donor
from domain.rules import Param, RuleProfile
from domain.values import Actor
from infrastructure.rule_profiles import RuleBook, load_rulebook
from tests.unit.conftest import (
    APPROVER,
    DEVIATION,
    FOCAL,
    OWNER,
    REGISTRY,
    Walker,
    doc,
    open_case,
    register_donor,
    usd,
)

ACCOUNT = "VCB-0011"
RATE = Decimal("25000")


def walked(walk: Walker, state: str, **open_overrides: Any) -> AidCase:
    """Given: a case walked to ``state``, its events kept (for evidence versions)."""
    case = open_case(walk.donor, **open_overrides)
    for step in Walker.PATHS[state]:
        getattr(walk, "_" + step)(case)
    return case


def spans(case: AidCase, walk: Walker, donor: Donor | None = None,
          profile: RuleProfile | None = None) -> list[FlagSpan]:
    return evaluate_case(case, donor or walk.donor, profile or walk.profile,
                         History(marks_of(case.pending_events)))


def of(found: list[FlagSpan], code: str) -> list[FlagSpan]:
    return [s for s in found if s.code == code]


def open_on(found: list[FlagSpan], day: date) -> set[str]:
    return {s.code for s in found if s.is_open(day)}


def version_of(case: AidCase, name: str, which: int = -1) -> int:
    return [e.originator_version for e in case.pending_events
            if type(e).__name__ == name][which]


def with_param(profile: RuleProfile, name: str, value: Any) -> RuleProfile:
    params = {**profile.params, name: Param(value, f"not verified: test value {value}", False)}
    return replace(profile, params=params)


def receive(case: AidCase, walk: Walker, amount: str, on: date, **kw: Any) -> None:
    args: dict[str, Any] = dict(amount=usd(amount), vnd_rate=RATE, aid_account=ACCOUNT,
                                donor=walk.donor, profile=walk.profile, actor=OWNER,
                                effective_date=on)
    args.update(kw)
    case.record_receipt(**args)


def disburse(case: AidCase, walk: Walker, amount: str, on: date, **kw: Any) -> None:
    case.record_disbursement(amount=usd(amount), vnd_rate=RATE, aid_account=ACCOUNT,
                             profile=walk.profile, actor=OWNER, effective_date=on, **kw)


def report(case: AidCase, kind: str, start: date, end: date, on: date) -> str:
    case.submit_report(kind=kind, period_start=start, period_end=end, document=doc("report"),
                       actor=OWNER, effective_date=on)
    return f"{kind}-{start:%Y%m%d}-{end:%Y%m%d}"


def amend(case: AidCase, walk: Walker, changes: dict[str, Any], on: date) -> None:
    case.request_amendment(changes=changes, reason="the scope changed", actor=OWNER,
                           effective_date=on)
    case.decide_amendment(amendment_id=case.amendments[-1]["id"], approved=True,
                          decision_no="A/QD", signer="Chair",
                          authority_level="head_of_managing_agency", profile=walk.profile,
                          actor=APPROVER, effective_date=on)


# --- a clean case ---------------------------------------------------------------------------

def test_a_case_run_by_the_book_has_no_flag_open_during_its_life(walk: Walker) -> None:
    case = open_case(walk.donor)
    for step in Walker.PATHS["closed"]:
        getattr(walk, "_" + step)(case)
        if step == "in_implementation":  # state-budget revenue, entered on its receipt
            case.record_budget_entry(reference="GNT-1", document=doc(), actor=OWNER,
                                     effective_date=date(2026, 3, 5))
    found = spans(case, walk)
    for day in (date(2026, 2, 1), date(2026, 6, 1), date(2026, 12, 31), date(2027, 6, 30),
                date(2030, 1, 1)):
        assert open_on(found, day) == set(), day


# --- C01 --------------------------------------------------------------------------------------

def test_c01_money_received_before_approval_with_a_deviation_is_a_lasting_critical_flag(
        walk: Walker) -> None:
    case = walked(walk, "appraised")
    receive(case, walk, "5000.00", date(2026, 2, 16), deviation=DEVIATION)
    [flag] = of(spans(case, walk), "C01")
    assert (flag.severity, flag.active_from, flag.active_until) == (
        "critical", date(2026, 2, 16), None)
    assert DEVIATION.reason in flag.message and DEVIATION.document in flag.message
    assert flag.evidence == (version_of(case, "FundsReceived"),)
    assert "only after approval" in flag.rule_ref


def test_c01_a_receipt_back_dated_before_the_approval_decision_is_flagged(
        walk: Walker) -> None:
    case = walked(walk, "approved", planned_start=date(2026, 1, 1))
    receive(case, walk, "5000.00", date(2026, 2, 18))
    assert [s.active_from for s in of(spans(case, walk), "C01")] == [date(2026, 2, 18)]


def test_c01_does_not_fire_for_money_after_approval(walk: Walker) -> None:
    assert of(spans(walked(walk, "spent"), walk), "C01") == []


# --- C02 --------------------------------------------------------------------------------------

def approve(case: AidCase, walk: Walker, level: str = "head_of_managing_agency",
            actor: Actor = APPROVER, **kw: Any) -> None:
    case.approve(decision_no="1/QD", decision_date=date(2026, 2, 20), signer="someone",
                 authority_level=level, approved_amount=usd("100000.00"), vnd_rate=RATE,
                 donor=walk.donor, profile=walk.profile, actor=actor,
                 effective_date=date(2026, 2, 21), **kw)


def test_c02_approval_at_the_wrong_level_recorded_with_a_deviation_is_critical(
        walk: Walker) -> None:
    case = walked(walk, "appraised")
    approve(case, walk, level="minister_home_affairs", deviation=DEVIATION)
    [flag] = of(spans(case, walk), "C02")
    assert flag.active_from == date(2026, 2, 20) and flag.active_until is None
    assert "head_of_managing_agency is required" in flag.message
    assert DEVIATION.reason in flag.message
    assert "Decree 313/2025" in flag.rule_ref and not flag.basis_verified


def test_c02_does_not_fire_for_the_competent_authority_or_a_recorded_delegation(
        walk: Walker) -> None:
    assert of(spans(walked(walk, "approved"), walk), "C02") == []
    case = walked(walk, "appraised")
    approve(case, walk, level="vice_chair_provincial_peoples_committee")  # BN delegation
    assert of(spans(case, walk), "C02") == []


# --- C03 --------------------------------------------------------------------------------------

def test_c03_a_certificate_suspended_while_the_case_is_active_flags_it_from_that_day(
        walk: Walker) -> None:
    case = walked(walk, "in_implementation")
    walk.donor.suspend_certificate(number="123/GDK", reason="inspection", actor=REGISTRY,
                                   effective_date=date(2026, 6, 1), until=date(2026, 6, 30))
    [flag] = [s for s in of(spans(case, walk), "C03") if s.active_from < date(2028, 1, 1)]
    assert (flag.severity, flag.active_from, flag.active_until) == (
        "critical", date(2026, 6, 1), date(2026, 7, 1))
    assert "suspended" in flag.message and "Decree 58/2022" in flag.rule_ref
    # With the donor's history the span names the suspension as its evidence.
    donor_marks = [Mark(1, "Registered"), Mark(2, "CertificateIssued", "123/GDK"),
                   *marks_of(walk.donor.pending_events)]
    history = History(marks_of(case.pending_events), donor_marks)
    [traced] = [s for s in evaluate_case(case, walk.donor, walk.profile, history)
                if s.code == "C03" and s.active_from == date(2026, 6, 1)]
    assert traced.donor_evidence == (3,)


def test_c03_a_suspension_spares_settled_cases_and_cases_the_certificate_does_not_cover(
        profile: RuleProfile) -> None:
    donor = register_donor(profile)
    donor.issue_certificate(number="456/GDK", kind="operation", issued_on=date(2025, 6, 1),
                            expires_on=date(2028, 5, 31), provinces=["HCM"],
                            fields=["12", "140"], profile=profile, actor=REGISTRY,
                            effective_date=date(2025, 6, 2))
    walk = Walker(donor, profile)
    bn, hcm = walked(walk, "in_implementation"), walked(
        walk, "in_implementation", province="HCM", reference="HCM-2026-1")
    done = walked(walk, "closed", reference="BN-2026-9")
    donor.suspend_certificate(number="123/GDK", reason="inspection", actor=REGISTRY,
                              effective_date=date(2027, 3, 1))
    assert "C03" in open_on(spans(bn, walk), date(2027, 3, 1))
    assert "C03" not in open_on(spans(bn, walk), date(2027, 2, 28))
    assert "C03" not in open_on(spans(hcm, walk), date(2027, 3, 1))
    assert of(spans(done, walk), "C03") == []


def test_c03_an_invalid_certificate_at_approval_recorded_with_a_deviation_is_flagged(
        walk: Walker) -> None:
    case = walked(walk, "appraised")
    walk.donor.revoke_certificate(number="123/GDK", reason="fraud", actor=REGISTRY,
                                  effective_date=date(2026, 2, 18))
    approve(case, walk, deviation=DEVIATION)
    [flag] = of(spans(case, walk), "C03")
    assert flag.active_from == date(2026, 2, 20) and flag.active_until is None
    assert "at approval" in flag.message and DEVIATION.document in flag.message


def test_c03_does_not_fire_while_the_certificate_is_valid(walk: Walker) -> None:
    found = spans(walked(walk, "in_implementation"), walk)
    assert [s.active_from for s in of(found, "C03")] == [date(2028, 6, 1)]  # expiry only


# --- C04 --------------------------------------------------------------------------------------

def test_c04_warns_from_the_window_before_expiry_until_the_certificate_lapses(
        walk: Walker) -> None:
    found = spans(walked(walk, "in_implementation"), walk)
    [flag] = of(found, "C04")
    assert (flag.severity, flag.active_from, flag.active_until) == (
        "warning", date(2028, 3, 2), date(2028, 6, 1))  # 90 days before 2028-05-31
    certificate = [s for s in found if s.code in ("C03", "C04")]
    assert open_on(certificate, date(2028, 3, 1)) == set()
    assert open_on(certificate, date(2028, 6, 1)) == {"C03"}  # expired: now critical
    assert "not verified" in flag.rule_ref


def test_c04_reads_the_warning_window_from_the_profile(walk: Walker) -> None:
    profile = with_param(walk.profile, "certificate_expiry_warning_days", 30)
    [flag] = of(spans(walked(walk, "in_implementation"), walk, profile=profile), "C04")
    assert flag.active_from == date(2028, 5, 1)


def test_c04_does_not_fire_after_the_case_has_ended_or_once_a_new_certificate_covers_it(
        walk: Walker) -> None:
    assert of(spans(walked(walk, "completed"), walk), "C04") == []
    case = walked(walk, "in_implementation")
    walk.donor.issue_certificate(number="789/GDK", kind="operation", issued_on=date(2028, 1, 10),
                                 expires_on=date(2031, 1, 9), provinces=["BN"],
                                 fields=["12", "14"], profile=walk.profile, actor=REGISTRY,
                                 effective_date=date(2028, 1, 10))
    assert [s.active_from for s in of(spans(case, walk), "C04")] == [date(2030, 10, 11)]


# --- C06 --------------------------------------------------------------------------------------

def test_c06_an_appraisal_past_its_due_date_is_flagged_until_completed(walk: Walker) -> None:
    case = walked(walk, "consulted")
    case.complete_appraisal(recommendation="approve", actor=FOCAL,
                            effective_date=date(2026, 3, 1))
    [flag] = of(spans(case, walk), "C06")
    assert (flag.active_from, flag.active_until) == (date(2026, 2, 24), date(2026, 3, 1))
    assert "appraisal due 2026-02-23" in flag.message


def test_c06_an_overdue_consultee_reply_is_flagged_until_it_arrives(walk: Walker) -> None:
    case = walked(walk, "under_appraisal")
    case.request_consultation(agency="VUFO", profile=walk.profile, actor=FOCAL,
                              effective_date=date(2026, 2, 4))
    assert "C06" in open_on(spans(case, walk), date(2026, 2, 15))
    case.record_opinion(agency="VUFO", stance="agree", actor=FOCAL,
                        effective_date=date(2026, 2, 18))
    [flag] = [s for s in of(spans(case, walk), "C06") if s.active_from == date(2026, 2, 15)]
    assert flag.active_until == date(2026, 2, 18)
    assert flag.evidence == (version_of(case, "ConsultationRequested"),
                             version_of(case, "OpinionRecorded"))


def test_c06_an_appraisal_completed_without_vufo_for_a_foreign_ngo_is_flagged(
        walk: Walker) -> None:
    other = with_param(walk.profile, "mandatory_consultee_foreign_ngo", "MOFA")
    case = walked(walk, "submitted")
    case.accept_dossier(donor=walk.donor, profile=other, actor=FOCAL,
                        effective_date=date(2026, 2, 3))
    case.request_consultation(agency="MOFA", profile=other, actor=FOCAL,
                              effective_date=date(2026, 2, 4))
    case.record_opinion(agency="MOFA", stance="agree", actor=FOCAL,
                        effective_date=date(2026, 2, 6))
    case.complete_appraisal(recommendation="approve", actor=FOCAL,
                            effective_date=date(2026, 2, 10))
    [flag] = of(spans(case, walk), "C06")
    assert flag.active_from == date(2026, 2, 10) and "VUFO" in flag.message


def test_c06_does_not_fire_for_a_timely_appraisal(walk: Walker) -> None:
    assert of(spans(walked(walk, "appraised"), walk), "C06") == []


# --- C07 --------------------------------------------------------------------------------------

def test_c07_no_receipt_six_months_after_approval_is_a_revocation_candidate(
        walk: Walker) -> None:
    found = spans(walked(walk, "approved"), walk)
    [flag] = of(found, "C07")
    assert (flag.active_from, flag.active_until) == (date(2026, 8, 21), None)
    assert "C07" not in open_on(found, date(2026, 8, 20))


def test_c07_is_resolved_by_a_justified_delay_and_absent_with_a_timely_receipt(
        walk: Walker) -> None:
    case = walked(walk, "approved")
    case.record_justified_delay(reason="flooding delayed the works", document=doc("decision"),
                                actor=APPROVER, effective_date=date(2026, 9, 10))
    [flag] = of(spans(case, walk), "C07")
    assert flag.active_until == date(2026, 9, 10)
    assert of(spans(walked(walk, "in_implementation"), walk), "C07") == []


# --- C08: and evaluation as of a date -------------------------------------------------------

def test_c08_overdue_half_year_report_across_its_due_date(walk: Walker) -> None:
    case = walked(walk, "in_implementation")
    before = spans(case, walk)
    assert "C08" not in open_on(before, date(2026, 7, 20))  # the due date itself
    assert "C08" in open_on(before, date(2026, 7, 21))      # due + 1
    report(case, "half_year", date(2026, 1, 1), date(2026, 6, 30), date(2026, 8, 5))
    after = spans(case, walk)
    [flag] = [s for s in of(after, "C08") if s.active_from == date(2026, 7, 21)]
    assert flag.active_until == date(2026, 8, 5)  # resolved, both dates kept
    assert "C08" not in open_on(after, date(2026, 8, 5))
    assert flag.is_open(date(2026, 7, 31))        # "what was overdue on 31 July?"
    assert "not verified" in flag.rule_ref


def test_c08_a_returned_report_does_not_count_as_submitted(walk: Walker) -> None:
    case = walked(walk, "in_implementation")
    rid = report(case, "half_year", date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 10))
    case.review_report(report_id=rid, accepted=False, reasons=["figures missing"],
                       actor=FOCAL, effective_date=date(2026, 8, 1))
    report(case, "half_year", date(2026, 1, 1), date(2026, 6, 30), date(2026, 8, 10))
    h1 = [s for s in of(spans(case, walk), "C08") if s.active_from < date(2026, 12, 31)]
    assert [(s.active_from, s.active_until) for s in h1] == [(date(2026, 8, 1),
                                                              date(2026, 8, 10))]


def test_c08_does_not_fire_for_reports_submitted_on_time(walk: Walker) -> None:
    case = walked(walk, "in_implementation")
    report(case, "half_year", date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 10))
    assert "C08" not in open_on(spans(case, walk), date(2026, 12, 31))


# --- C09 --------------------------------------------------------------------------------------

def test_c09_completion_and_settlement_are_overdue_180_days_after_the_actual_end(
        walk: Walker) -> None:
    found = spans(walked(walk, "completed"), walk)
    [flag] = of(found, "C09")  # completion and settlement share a due date: one span
    assert flag.active_from == date(2027, 6, 14) and flag.active_until is None
    assert "completion" in flag.message and "settlement" in flag.message


def test_c09_does_not_fire_once_both_reports_are_in(walk: Walker) -> None:
    assert of(spans(walked(walk, "reported"), walk), "C09") == []


# --- C10 --------------------------------------------------------------------------------------

def test_c10_uses_beyond_receipts_are_critical_until_receipts_catch_up(walk: Walker) -> None:
    case = walked(walk, "in_implementation")
    disburse(case, walk, "70000.00", date(2026, 4, 1), deviation=DEVIATION)
    receive(case, walk, "20000.00", date(2026, 5, 1))
    [flag] = of(spans(case, walk), "C10")
    assert (flag.severity, flag.active_from, flag.active_until) == (
        "critical", date(2026, 4, 1), date(2026, 5, 1))
    assert DEVIATION.reason in flag.message
    assert flag.evidence == (version_of(case, "DisbursementRecorded"),
                             version_of(case, "FundsReceived"))


def test_c10_spending_beyond_the_approval_is_resolved_by_an_amendment(walk: Walker) -> None:
    case = walked(walk, "in_implementation")
    receive(case, walk, "60000.00", date(2026, 3, 10))
    disburse(case, walk, "110000.00", date(2026, 4, 1), deviation=DEVIATION)
    amend(case, walk, {"approved_amount": usd("120000.00"), "vnd_rate": RATE},
          date(2026, 6, 1))
    [flag] = of(spans(case, walk), "C10")
    assert (flag.active_from, flag.active_until) == (date(2026, 4, 1), date(2026, 6, 1))
    assert "exceed the approved 100000.00" in flag.message


def test_c10_does_not_fire_within_receipts_and_approval(walk: Walker) -> None:
    assert of(spans(walked(walk, "spent"), walk), "C10") == []


# --- C11 --------------------------------------------------------------------------------------

def test_c11_money_outside_the_period_is_flagged_until_an_amendment_covers_it(
        walk: Walker) -> None:
    case = walked(walk, "in_implementation")
    receive(case, walk, "1000.00", date(2028, 1, 15), deviation=DEVIATION)
    [open_flag] = of(spans(case, walk), "C11")
    assert (open_flag.active_from, open_flag.active_until) == (date(2028, 1, 15), None)
    amend(case, walk, {"planned_end": date(2028, 6, 30)}, date(2028, 2, 1))
    [flag] = of(spans(case, walk), "C11")
    assert (flag.active_from, flag.active_until) == (date(2028, 1, 15), date(2028, 2, 1))
    assert DEVIATION.reason in flag.message
    assert version_of(case, "AmendmentApproved") in flag.evidence


def test_c11_does_not_fire_inside_the_period(walk: Walker) -> None:
    assert of(spans(walked(walk, "spent"), walk), "C11") == []


# --- C13 --------------------------------------------------------------------------------------

def test_c13_cash_without_the_aid_account_is_critical(walk: Walker) -> None:
    case = walked(walk, "approved")
    receive(case, walk, "1000.00", date(2026, 3, 5), aid_account=None, deviation=DEVIATION)
    [flag] = of(spans(case, walk), "C13")
    assert (flag.severity, flag.active_from, flag.active_until) == (
        "critical", date(2026, 3, 5), None)
    assert DEVIATION.document in flag.message


def test_c13_does_not_fire_for_goods_in_kind_or_cash_through_the_account(walk: Walker) -> None:
    case = walked(walk, "in_implementation")
    receive(case, walk, "1000.00", date(2026, 3, 6), aid_account=None, in_kind=True)
    assert of(spans(case, walk), "C13") == []


# --- C17 --------------------------------------------------------------------------------------

def test_c17_a_rejection_is_flagged_from_its_date_until_the_donor_is_notified(
        walk: Walker) -> None:
    case = walked(walk, "rejected")
    assert "C17" in open_on(spans(case, walk), date(2026, 2, 20))
    case.notify_donor(about="rejection", document=doc("decision"), actor=FOCAL,
                      effective_date=date(2026, 3, 1))
    [flag] = of(spans(case, walk), "C17")
    assert (flag.active_from, flag.active_until) == (date(2026, 2, 20), date(2026, 3, 1))


def test_c17_does_not_fire_when_the_donor_is_told_the_same_day(walk: Walker) -> None:
    case = walked(walk, "revoked")
    case.notify_donor(about="revocation", actor=FOCAL, effective_date=date(2026, 9, 1))
    assert of(spans(case, walk), "C17") == []


# --- C18 --------------------------------------------------------------------------------------

def test_c18_the_appraiser_approving_is_critical(walk: Walker) -> None:
    case = walked(walk, "appraised")
    approve(case, walk, actor=Actor("focal-2", "approver"), deviation=DEVIATION)
    [flag] = of(spans(case, walk), "C18")
    assert (flag.severity, flag.active_from) == ("critical", date(2026, 2, 20))
    assert DEVIATION.reason in flag.message


def test_c18_does_not_fire_for_an_independent_approver(walk: Walker) -> None:
    assert of(spans(walked(walk, "approved"), walk), "C18") == []


# --- the profile in force ------------------------------------------------------------------

@pytest.mark.parametrize(("submitted_on", "overdue_from"), [
    (date(2025, 12, 7), date(2026, 7, 21)),   # Decree 80: 20 days after 30 June
    (date(2025, 12, 8), date(2026, 8, 15)),   # Decree 313 (test value: 45 days)
])
def test_the_profile_in_force_at_submission_sets_the_report_due_date(
        donor: Donor, submitted_on: date, overdue_from: date) -> None:
    base = load_rulebook()
    p80, p313 = (next(p for p in base.profiles if p.id == i)
                 for i in ("decree-80-2020", "decree-313-2025"))
    book = RuleBook([p80, with_param(p313, "half_year_report_due_days", 45)], {})
    profile = book.in_force(submitted_on)
    case = Walker(donor, profile).to("in_implementation")
    assert case.legal_basis == profile.ref
    own = book.by_ref(case.legal_basis)
    assert own is not None
    found = evaluate_case(case, donor, own)
    assert min(s.active_from for s in of(found, "C08")) == overdue_from
