"""The checks of the dossier, the state budget, the Front's routing, the audit and the move to
Decree 313/2025: given a case walked with domain commands, then its flag spans."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.donor import Donor
from domain.errors import RuleViolationError
from domain.values import Document
from tests.unit.conftest import (
    APPROVER,
    AUDITOR,
    DEVIATION,
    FOCAL,
    OWNER,
    Walker,
    doc,
    open_case,
    profile_on,
    usd,
)
from tests.unit.test_compliance import of, open_on, spans, version_of, walked, with_param

DECREE_80 = profile_on(date(2025, 6, 1))
DECREE_313 = profile_on(date(2026, 1, 15))
VFF = "Central Committee of the Vietnam Fatherland Front"


# --- C05 --------------------------------------------------------------------------------------

def test_c05_a_dossier_submitted_without_an_item_with_a_deviation_is_flagged(
        walk: Walker) -> None:
    case = open_case(walk.donor)
    case.attach_document(document=doc("request"), actor=OWNER, effective_date=date(2026, 1, 20))
    case.submit(donor=walk.donor, profile=walk.profile, actor=OWNER,
                effective_date=date(2026, 2, 1), deviation=DEVIATION)
    [flag] = of(spans(case, walk), "C05")
    assert (flag.severity, flag.active_from, flag.active_until) == (
        "warning", date(2026, 2, 1), None)
    assert DEVIATION.reason in flag.message
    assert flag.evidence == (version_of(case, "DossierSubmitted"),)


def test_c05_a_consent_only_in_english_is_refused_then_flagged_with_a_deviation(
        walk: Walker) -> None:
    english = Document(kind="donor_consent", title="Letter of consent",
                       uri="https://docs.example/consent-en.pdf", language="en")
    untranslated, translated = open_case(walk.donor), open_case(walk.donor)
    for case, kinds in ((untranslated, ("request", "project_document", "donor_legal_status")),
                        (translated, ("request", "donor_consent", "project_document",
                                      "donor_legal_status"))):
        for document in [english] + [doc(kind) for kind in kinds]:
            case.attach_document(document=document, actor=OWNER,
                                 effective_date=date(2026, 1, 20))
    walk._submitted(translated)
    with pytest.raises(RuleViolationError) as refused:
        walk._submitted(untranslated)
    assert refused.value.code == "dossier_untranslated"
    assert refused.value.extra["untranslated"] == ["donor_consent"]
    untranslated.submit(donor=walk.donor, profile=walk.profile, actor=OWNER,
                        effective_date=date(2026, 2, 1), deviation=DEVIATION)

    codes = [f.message for f in of(spans(untranslated, walk), "C05")]
    assert any("no Vietnamese translation of donor_consent" in m for m in codes), codes
    assert of(spans(translated, walk), "C05") == []


# --- C14 --------------------------------------------------------------------------------------

def test_c14_state_budget_revenue_is_flagged_from_its_receipt_until_entered(
        walk: Walker) -> None:
    case = walked(walk, "in_implementation")
    case.record_budget_entry(reference="GNT-1", document=doc(), actor=OWNER,
                             effective_date=date(2026, 3, 20))
    [flag] = of(spans(case, walk), "C14")
    assert (flag.active_from, flag.active_until) == (date(2026, 3, 5), date(2026, 3, 20))
    assert flag.evidence == (version_of(case, "FundsReceived"),
                             version_of(case, "BudgetEntryRecorded"))


def test_c14_is_absent_for_aid_that_is_not_state_budget_revenue(walk: Walker) -> None:
    case = walked(walk, "in_implementation", state_budget_revenue=False)
    assert "C14" not in open_on(spans(case, walk), date(2026, 6, 1))


# --- C22 --------------------------------------------------------------------------------------

def _approve_unaddressed(walk: Walker, agency: str, level: str) -> list[str]:
    case = open_case(walk.donor, aid_form="humanitarian_unaddressed", managing_agency=agency)
    for step in Walker.PATHS["appraised"]:
        getattr(walk, "_" + step)(case)
    case.approve(decision_no="1/QD-MTTW", decision_date=date(2026, 2, 20), signer="President",
                 authority_level=level, approved_amount=usd("100000.00"),
                 vnd_rate=Decimal("25000"), donor=walk.donor, profile=walk.profile,
                 actor=APPROVER, effective_date=date(2026, 2, 20),
                 deviation=None if level == "vff_president" else DEVIATION)
    return [f.message for f in of(spans(case, walk), "C22")]


def test_c22_aid_with_no_named_locality_kept_by_the_province_is_a_critical_flag(
        walk: Walker) -> None:
    messages = _approve_unaddressed(walk, "Bac Ninh People's Committee",
                                    "head_of_managing_agency")
    assert messages == [f"managed by Bac Ninh People's Committee, not the {VFF}",
                        "approved at head_of_managing_agency, not vff_president"]


def test_c22_is_absent_when_the_front_manages_and_its_president_approves(walk: Walker) -> None:
    assert _approve_unaddressed(walk, VFF, "vff_president") == []


# --- C23 --------------------------------------------------------------------------------------

def test_c23_a_case_closed_without_the_audit_the_rules_require_until_one_is_recorded(
        walk: Walker) -> None:
    case = walked(walk, "closed")
    case.record_audit(auditor="State Audit Region I", summary="no findings",
                      document=doc("audit"), actor=AUDITOR, effective_date=date(2027, 3, 1))
    rules = with_param(walk.profile, "audit_required_from_vnd", "1000000000")
    [flag] = of(spans(case, walk, profile=rules), "C23")
    assert (flag.active_from, flag.active_until) == (date(2027, 2, 15), date(2027, 3, 1))
    assert "not verified" in flag.rule_ref


def test_c23_is_absent_with_an_audit_before_closing_or_no_requirement(walk: Walker) -> None:
    audited = open_case(walk.donor)
    for step in Walker.PATHS["closed"]:
        if step == "closed":
            audited.record_audit(auditor="State Audit Region I", summary="no findings",
                                 document=doc("audit"), actor=AUDITOR,
                                 effective_date=date(2027, 2, 10))
        getattr(walk, "_" + step)(audited)
    rules = with_param(walk.profile, "audit_required_from_vnd", "1000000000")
    assert of(spans(audited, walk, profile=rules), "C23") == []
    assert of(spans(walked(walk, "closed"), walk), "C23") == []  # the rules require none


def test_c23_a_case_closed_without_the_audit_its_donors_agreement_requires_is_flagged(
        walk: Walker) -> None:
    case = open_case(walk.donor)
    for step in Walker.PATHS["closed"]:
        getattr(walk, "_" + step)(case)
        if step == "approved":
            case.record_commitment(amount=usd("50000"), agreement_ref="AGR-2026-07",
                                   vnd_rate=Decimal("25000"), audit_required=True,
                                   profile=walk.profile, actor=OWNER,
                                   effective_date=date(2026, 2, 25))
    [flag] = of(spans(case, walk), "C23")  # the rules require none: the donor does
    assert flag.active_from == date(2027, 2, 15) and flag.active_until is None
    assert "AGR-2026-07" in flag.message and flag.rule_ref == "aid agreement AGR-2026-07 (recorded)"
    assert flag.basis_verified


# --- C24 --------------------------------------------------------------------------------------

def test_c24_a_case_approved_under_decree_80_and_active_is_flagged_until_reviewed(
        donor: Donor) -> None:
    walk = Walker(donor, DECREE_80)
    case = walked(walk, "in_implementation")
    unreviewed = of(spans(case, walk), "C24")
    case.record_transition_review(note="reviewed against Decree 313", document=doc(),
                                  profile=DECREE_313, actor=FOCAL,
                                  effective_date=date(2026, 3, 10))
    [flag] = of(spans(case, walk), "C24")
    assert [(f.active_from, f.active_until) for f in unreviewed] == [(date(2026, 2, 20), None)]
    assert (flag.active_from, flag.active_until) == (date(2026, 2, 20), date(2026, 3, 10))
    assert flag.evidence == (version_of(case, "Approved"), version_of(case, "TransitionReviewed"))


def test_c24_is_absent_for_a_case_approved_under_decree_313(walk: Walker) -> None:
    assert of(spans(walked(walk, "in_implementation"), walk), "C24") == []
