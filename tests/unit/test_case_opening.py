"""Opening a case and its dossier: open, update_draft, attach_document, submit, return."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.case import AidCase
from domain.donor import Donor
from domain.errors import InvalidInputError, NotFoundError, ProcessGuardError, RuleViolationError
from domain.money import Money
from domain.rules import RuleProfile
from domain.values import Document
from tests.unit.conftest import (
    DEVIATION,
    FOCAL,
    OWNER,
    REGISTRY,
    Walker,
    doc,
    open_case,
    recorded,
    refused,
    register_donor,
    usd,
)


def test_opening_a_case_records_opened_in_draft(donor: Donor) -> None:
    case = open_case(donor)
    assert recorded(case) == ["Opened"]
    assert (case.status, case.iati_status, case.currency) == ("draft", 1, "USD")
    assert case.id == AidCase.create_id("BN-2026-0042") and case.donor_id == donor.id
    assert case.requested_vnd == Decimal("2500000000")


def test_opening_needs_a_registered_donor() -> None:
    with pytest.raises(NotFoundError) as caught:
        open_case(None)  # type: ignore[arg-type]
    assert caught.value.code == "donor_not_found"


@pytest.mark.parametrize("override,code", [
    ({"sectors": [{"code": "12220", "percentage": Decimal("60")},
                  {"code": "14030", "percentage": Decimal("30")}]}, "sector_percentages"),
    ({"sectors": [{"code": "1222", "percentage": Decimal("100")}]}, "invalid_sector"),
    ({"planned_start": date(2028, 1, 1)}, "date_order"),
    ({"requested": Money.of("0", "USD")}, "invalid_amount"),
    ({"requested_vnd_rate": None}, "vnd_rate_required"),
    ({"reference": "BN 2026/42"}, "invalid_reference"),
    ({"aid_form": "loan"}, "invalid_aid_form"),
    ({"sensitive_flags": ["politics"]}, "invalid_sensitive_flag"),
    ({"effective_date": "2026-01-10"}, "invalid_date"),
])
def test_opening_with_invalid_fields_is_refused(donor: Donor, override: dict[str, object],
                                                code: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        open_case(donor, **override)
    assert caught.value.code == code


def test_a_vnd_case_needs_no_rate(donor: Donor) -> None:
    case = open_case(donor, requested=Money.of("500000000", "VND"), requested_vnd_rate=None)
    assert case.currency == "VND" and case.requested_vnd == Decimal("500000000")


def test_updating_a_draft_records_only_the_changes(walk: Walker) -> None:
    case = walk.to("draft")
    case.update_draft(title="Clean water II", planned_end=date(2027, 6, 30), actor=OWNER,
                      effective_date=date(2026, 1, 11))
    events = case.collect_events()
    assert [type(e).__name__ for e in events] == ["DraftUpdated"]
    assert set(events[0].changes) == {"title", "planned_end"}  # type: ignore[attr-defined]
    assert case.title == "Clean water II"


def test_changing_the_requested_currency_needs_a_new_rate(walk: Walker) -> None:
    case = walk.to("draft")
    refused(case, InvalidInputError, "vnd_rate_required",
            lambda: case.update_draft(requested=Money.of("90000", "EUR"), actor=OWNER,
                                      effective_date=date(2026, 1, 11)))
    case.update_draft(requested=Money.of("90000", "EUR"), requested_vnd_rate=Decimal("27000"),
                      actor=OWNER, effective_date=date(2026, 1, 11))
    assert case.currency == "EUR" and case.requested_vnd == Decimal("2430000000")


def test_an_update_that_changes_nothing_is_refused(walk: Walker) -> None:
    case = walk.to("draft")
    refused(case, InvalidInputError, "nothing_to_update",
            lambda: case.update_draft(title="Clean water for Gia Binh", actor=OWNER,
                                      effective_date=date(2026, 1, 11)))


def test_an_update_breaking_the_date_order_is_refused(walk: Walker) -> None:
    case = walk.to("draft")
    refused(case, InvalidInputError, "date_order",
            lambda: case.update_draft(planned_end=date(2026, 1, 1), actor=OWNER,
                                      effective_date=date(2026, 1, 11)))


@pytest.mark.parametrize("state", ["draft", "returned"])
def test_a_draft_or_returned_dossier_can_be_edited(walk: Walker, state: str) -> None:
    case = walk.to(state)
    case.update_draft(description="more wells", actor=OWNER, effective_date=date(2026, 2, 5))
    case.attach_document(document=doc("other"), actor=OWNER, effective_date=date(2026, 2, 5))
    assert recorded(case) == ["DraftUpdated", "DocumentAttached"]


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_a_submitted_dossier_cannot_be_edited(walk: Walker, state: str) -> None:
    case = walk.to(state)
    error = refused(case, ProcessGuardError, "transition_not_allowed",
                    lambda: case.attach_document(document=doc(), actor=OWNER,
                                                 effective_date=date(2026, 2, 5)))
    assert isinstance(error, ProcessGuardError) and error.state == state
    assert "attach_document" not in error.allowed_commands and error.allowed_commands
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.update_draft(title="x y", actor=OWNER,
                                      effective_date=date(2026, 2, 5)))


def test_documents_are_validated() -> None:
    with pytest.raises(InvalidInputError) as caught:
        Document(kind="request", title="r", uri="u", sha256="xyz")
    assert caught.value.code == "invalid_sha256"
    with pytest.raises(InvalidInputError) as caught:
        Document(kind="memo", title="r", uri="u")
    assert caught.value.code == "unknown_document_kind"


def test_submitting_a_complete_dossier_records_the_legal_basis(walk: Walker,
                                                                profile: RuleProfile) -> None:
    case = walk.to("dossier", legal_basis="provisional")
    case.submit(donor=walk.donor, profile=profile, actor=OWNER, effective_date=date(2026, 2, 1))
    assert recorded(case) == ["DossierSubmitted"]
    assert case.status == "submitted" and case.submitted_by == OWNER.id
    assert case.legal_basis == profile.ref


def test_submitting_without_the_required_documents_is_refused_by_a_rule(
        walk: Walker, profile: RuleProfile) -> None:
    case = walk.to("draft")
    case.attach_document(document=doc("request"), actor=OWNER, effective_date=date(2026, 1, 20))
    case.collect_events()
    error = refused(case, RuleViolationError, "dossier_incomplete",
                    lambda: case.submit(donor=walk.donor, profile=profile, actor=OWNER,
                                        effective_date=date(2026, 2, 1)))
    assert error.extra["missing"] == ["donor_consent", "project_document", "donor_legal_status"]
    assert isinstance(error, RuleViolationError) and error.flag == "C05"
    assert "Art. 8" in error.rule_ref


def test_an_incomplete_dossier_submitted_with_a_deviation_records_it(
        walk: Walker, profile: RuleProfile) -> None:
    case = walk.to("draft")
    case.attach_document(document=doc("request"), actor=OWNER, effective_date=date(2026, 1, 20))
    case.collect_events()
    case.submit(donor=walk.donor, profile=profile, actor=OWNER,
                effective_date=date(2026, 2, 1), deviation=DEVIATION)
    assert recorded(case) == ["DossierSubmitted"]
    assert [(d["rule"], d["flag"]) for d in case.deviations] == [("dossier_incomplete", "C05")]


def test_submitting_with_another_donor_is_refused(walk: Walker, profile: RuleProfile) -> None:
    other = Donor.register(code="OTHER", name="Other", country="FR", kind="other",
                           iati_ref=None, actor=REGISTRY, effective_date=date(2025, 1, 1))
    case = walk.to("dossier")
    refused(case, InvalidInputError, "donor_mismatch",
            lambda: case.submit(donor=other, profile=profile, actor=OWNER,
                                effective_date=date(2026, 2, 1)))


def test_submitting_outside_the_certificate_scope_is_a_rule_violation(
        walk: Walker, profile: RuleProfile) -> None:
    case = walk.to("dossier", province="DN")
    error = refused(case, RuleViolationError, "donor_certificate_invalid",
                    lambda: case.submit(donor=walk.donor, profile=profile, actor=OWNER,
                                        effective_date=date(2026, 2, 1)))
    assert isinstance(error, RuleViolationError) and error.flag == "C03"
    assert "58/2022" in error.rule_ref


def test_submitting_with_an_invalid_certificate_and_a_deviation_is_recorded(
        walk: Walker, profile: RuleProfile) -> None:
    case = walk.to("dossier", province="DN")
    case.submit(donor=walk.donor, profile=profile, actor=OWNER,
                effective_date=date(2026, 2, 1), deviation=DEVIATION)
    events = case.collect_events()
    assert events[0].deviations == [  # type: ignore[attr-defined]
        {"rule": "donor_certificate_invalid", "flag": "C03", "reason": DEVIATION.reason,
         "document": DEVIATION.document}]
    assert case.status == "submitted" and case.deviations[0]["event"] == "DossierSubmitted"


def test_a_donor_that_is_not_a_foreign_ngo_needs_no_certificate(profile: RuleProfile) -> None:
    walker = Walker(register_donor(profile, kind="multilateral"), profile)
    case = walker.to("submitted", province="DN")
    assert case.status == "submitted"


def test_a_submitted_dossier_can_be_returned_with_reasons(walk: Walker) -> None:
    case = walk.to("submitted")
    case.return_dossier(reasons=["budget annex missing"], actor=FOCAL,
                        effective_date=date(2026, 2, 2))
    assert recorded(case) == ["DossierReturned"] and case.status == "returned"


def test_a_dossier_under_appraisal_can_be_returned(walk: Walker) -> None:
    case = walk.to("under_appraisal")
    case.return_dossier(reasons=["VUFO asks for a map"], actor=FOCAL,
                        effective_date=date(2026, 2, 5))
    assert recorded(case) == ["DossierReturned"] and case.status == "returned"


def test_returning_without_reasons_is_refused(walk: Walker) -> None:
    case = walk.to("submitted")
    refused(case, InvalidInputError, "reasons_required",
            lambda: case.return_dossier(reasons=[], actor=FOCAL,
                                        effective_date=date(2026, 2, 2)))


@pytest.mark.parametrize("state", ["draft", "appraised", "approved"])
def test_returning_from_other_states_is_refused(walk: Walker, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.return_dossier(reasons=["x"], actor=FOCAL,
                                        effective_date=date(2026, 2, 2)))


def test_a_returned_dossier_can_be_resubmitted(walk: Walker, profile: RuleProfile) -> None:
    case = walk.to("returned")
    case.submit(donor=walk.donor, profile=profile, actor=OWNER, effective_date=date(2026, 2, 9))
    assert recorded(case) == ["DossierSubmitted"] and len(case.submissions) == 2


@pytest.mark.parametrize("state", ["submitted", "in_implementation", "closed"])
def test_submitting_twice_is_refused(walk: Walker, profile: RuleProfile, state: str) -> None:
    case = walk.to(state)
    refused(case, ProcessGuardError, "transition_not_allowed",
            lambda: case.submit(donor=walk.donor, profile=profile, actor=OWNER,
                                effective_date=date(2026, 2, 1)))


def test_money_in_the_requested_amount_keeps_minor_units(donor: Donor) -> None:
    case = open_case(donor, requested=usd("10.5"))
    assert case.state()["requested"]["amount"] == "10.50"
