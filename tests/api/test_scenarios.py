"""Whole cases over HTTP: every aid form to closure, and the other ways a case can go."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.support import Api, doc

AID_FORMS = ["programme", "technical_assistance_project", "investment_project",
             "non_project_cash", "non_project_goods", "non_project_experts",
             "non_project_events", "disaster_relief", "humanitarian_unaddressed"]


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.mark.parametrize("aid_form", AID_FORMS)
def test_a_case_of_each_aid_form_walks_from_opening_to_closure(api: Api, aid_form: str) -> None:
    case_id = api.walk_to("closed", aid_form=aid_form)
    state = api.get(f"/cases/{case_id}")
    assert (state["status"], state["iati_status"]) == ("closed", 4)
    assert state["aid_form"] == aid_form


def test_a_case_in_vnd_is_closed_with_whole_dong_amounts(api: Api) -> None:
    case_id = api.walk_to("closed", currency="VND")
    assert api.get(f"/cases/{case_id}")["currency"] == "VND"


def test_a_rejected_case_is_final_and_its_donor_is_notified(api: Api) -> None:
    case_id = api.walk_to("appraised")
    api.post(f"/cases/{case_id}/reject", {"decision_no": "9/QD-UBND", "reasons": [
        "the project duplicates an existing programme"], "effective_date": "2025-01-26"},
        "approver")
    api.post(f"/cases/{case_id}/donor-notifications", {"about": "rejection",
             "document": doc("other"), "effective_date": "2025-01-28"}, "focal_officer")
    state = api.get(f"/cases/{case_id}")
    assert (state["status"], state["iati_status"]) == ("rejected", 5)
    refusal = api.raw_post(f"/cases/{case_id}/approve", {
        "decision_no": "1", "decision_date": "2025-02-01", "signer": "x",
        "authority_level": "head_of_managing_agency",
        "approved_amount": {"amount": "1", "currency": "USD"}, "vnd_rate": "25000"}, "approver")
    assert refusal.status_code == 409
    assert refusal.json()["code"] == "transition_not_allowed"


def test_an_approval_not_implemented_is_revoked_and_the_donor_notified(api: Api) -> None:
    case_id = api.walk_to("approved")
    api.post(f"/cases/{case_id}/revoke", {"reason": "nothing implemented within six months",
             "decision": "44/QD-UBND", "effective_date": "2025-08-01"}, "approver")
    api.post(f"/cases/{case_id}/donor-notifications", {"about": "revocation",
             "effective_date": "2025-08-03"}, "focal_officer")
    assert api.get(f"/cases/{case_id}")["status"] == "revoked"


def test_a_suspended_case_takes_no_money_until_it_is_resumed(api: Api) -> None:
    case_id = api.walk_to("in_implementation")
    api.post(f"/cases/{case_id}/suspend", {"reason": "audit findings under review",
             "decision": "50/QD-UBND", "effective_date": "2025-03-01"}, "approver")
    assert api.get(f"/cases/{case_id}")["iati_status"] == 6
    refused = api.raw_post(f"/cases/{case_id}/disbursements", {
        "amount": {"amount": "10", "currency": "USD"}, "vnd_rate": "25000",
        "aid_account": "VCB-1", "effective_date": "2025-03-02"}, "aid_owner")
    assert refused.status_code == 409
    api.post(f"/cases/{case_id}/resume", {"decision": "51/QD-UBND",
             "effective_date": "2025-03-10"}, "approver")
    assert api.get(f"/cases/{case_id}")["status"] == "in_implementation"
    api.money(case_id, "disbursements", "10", "2025-03-11")


def test_an_approved_amendment_lets_spending_exceed_the_original_approval(api: Api) -> None:
    case_id = api.walk_to("in_implementation")
    api.money(case_id, "receipts", "20000", "2025-02-15")
    over = api.money(case_id, "expenditures", "110000", "2025-03-01", expect=409)
    assert over["code"] == "overspending"
    api.post(f"/cases/{case_id}/amendments", {
        "changes": {"approved_amount": {"amount": "120000", "currency": "USD"},
                    "vnd_rate": "25000"},
        "reason": "the donor added a second phase", "amendment_id": "A1",
        "effective_date": "2025-02-20"}, "aid_owner")
    second = api.raw_post(f"/cases/{case_id}/amendments", {
        "changes": {"title": "x"}, "reason": "another change", "effective_date": "2025-02-21"},
        "aid_owner")
    assert second.status_code == 409
    api.post(f"/cases/{case_id}/amendments/A1/decision", {
        "approved": True, "decision_no": "60/QD-UBND", "signer": "Chair",
        "authority_level": "head_of_managing_agency", "effective_date": "2025-02-25"},
        "approver")
    api.money(case_id, "expenditures", "110000", "2025-03-01")
    state = api.get(f"/cases/{case_id}")
    assert state["approved_amount"] in ("120000", "120000.00")


def test_a_refused_amendment_changes_nothing(api: Api) -> None:
    case_id = api.walk_to("in_implementation")
    api.post(f"/cases/{case_id}/amendments", {
        "changes": {"planned_end": "2027-06-30"}, "reason": "more time is needed",
        "amendment_id": "A1", "effective_date": "2025-02-20"}, "aid_owner")
    api.post(f"/cases/{case_id}/amendments/A1/decision", {
        "approved": False, "decision_no": "61/QD-UBND", "signer": "Chair",
        "authority_level": "head_of_managing_agency", "reasons": ["not justified"],
        "effective_date": "2025-02-25"}, "approver")
    assert api.get(f"/cases/{case_id}")["planned_end"] == "2026-06-30"


def test_a_terminated_case_is_closed_once_its_reports_and_settlement_are_in(api: Api) -> None:
    case_id = api.walk_to("in_implementation")
    api.money(case_id, "expenditures", "100000", "2025-03-01")
    api.post(f"/cases/{case_id}/terminate", {"reason": "the donor withdrew",
             "decision": "70/QD-UBND", "effective_date": "2025-03-05"}, "approver")
    assert api.get(f"/cases/{case_id}")["iati_status"] == 5
    for kind, start, end in [("half_year", "2025-01-01", "2025-06-30"),
                             ("completion", "2025-01-01", "2025-03-05"),
                             ("settlement", "2025-01-01", "2025-03-05")]:
        api.report(case_id, kind, start, end, "2025-07-10")
    api.post(f"/cases/{case_id}/handover", {"document": doc("handover"),
             "effective_date": "2025-07-11"}, "aid_owner")
    api.post(f"/cases/{case_id}/close", {"effective_date": "2025-07-15"}, "focal_officer")
    assert api.get(f"/cases/{case_id}")["status"] == "closed"


def test_money_received_before_approval_is_recorded_only_with_a_deviation(api: Api) -> None:
    case_id = api.walk_to("submitted")
    refused = api.money(case_id, "receipts", "5000", "2025-01-10", expect=409)
    assert refused["code"] == "receipt_before_approval"
    assert refused["flag"] == "C01" and refused["deviation_allowed"] is True
    # Submitted in 2025: Decree 80/2020, whose Art. 4 was read, says so.
    assert refused["basis_verified"] is True and "Art. 4" in refused["rule"]
    api.money(case_id, "receipts", "5000", "2025-01-10", deviation={
        "reason": "emergency funds arrived before the decision", "document": "Letter 3/2025"})
    state = api.get(f"/cases/{case_id}")
    assert state["status"] == "submitted"
    assert state["deviations"][0]["rule"] == "receipt_before_approval"


def test_an_approval_signed_at_the_wrong_level_is_refused_then_recorded_as_deviation(
    api: Api,
) -> None:
    case_id = api.walk_to("appraised", aid_form="humanitarian_unaddressed")
    refused = api.raw_post(f"/cases/{case_id}/approve", {
        "decision_no": "12/QD-UBND", "decision_date": "2025-01-25", "signer": "Chair",
        "authority_level": "head_of_managing_agency",
        "approved_amount": {"amount": "100000", "currency": "USD"}, "vnd_rate": "25000",
        "effective_date": "2025-01-25"}, "approver")
    assert refused.status_code == 409 and refused.json()["code"] == "authority_level"
    api.approve(case_id, deviation={"reason": "signed by the chair during the flood emergency",
                                    "document": "Decision 12/QD-UBND"})
    assert api.get(f"/cases/{case_id}")["status"] == "approved"


def test_the_same_person_cannot_submit_and_approve(api: Api) -> None:
    case_id = api.walk_to("appraised")
    response = api.client.post(f"/api/v1/cases/{case_id}/approve", json={
        "decision_no": "12/QD-UBND", "decision_date": "2025-01-25", "signer": "Chair",
        "authority_level": "head_of_managing_agency",
        "approved_amount": {"amount": "100000", "currency": "USD"}, "vnd_rate": "25000",
        "effective_date": "2025-01-25"},
        headers={"Authorization": "Bearer " + __import__("tests.api.support", fromlist=["x"])
                 .token("approver", sub="owner-1")})
    assert response.status_code == 409
    assert response.json()["code"] == "segregation_of_duties"


def test_history_lists_every_event_in_order_with_actor_and_dates(api: Api) -> None:
    case_id = api.walk_to("approved")
    page = api.get(f"/cases/{case_id}/history", "auditor", limit=5)
    assert [e["version"] for e in page["events"]] == [1, 2, 3, 4, 5]
    assert page["events"][0]["type"] == "AidCase.Opened"
    assert page["events"][0]["actor_id"] == "owner-1"
    rest = api.get(f"/cases/{case_id}/history", "auditor", after_version=5, limit=1000)
    types = [e["type"] for e in rest["events"]]
    assert types[-1] == "AidCase.Approved"
    assert rest["events"][-1]["rule_profile"].startswith("decree-80-2020")
    assert rest["next_after_version"] is None


def test_time_travel_returns_the_case_as_it_was_at_each_version(api: Api) -> None:
    case_id = api.walk_to("approved")
    head = api.get(f"/cases/{case_id}")
    assert api.get(f"/cases/{case_id}", version=1)["status"] == "draft"
    assert api.get(f"/cases/{case_id}", version=head["version"])["status"] == "approved"
    beyond = api.get(f"/cases/{case_id}", expect=422, version=head["version"] + 1)
    assert beyond["code"] == "version_beyond_head"
    assert api.get(f"/cases/{case_id}", expect=404, as_of="2000-01-01T00:00:00Z")["code"] \
        == "case_not_found"
    assert api.get(f"/cases/{case_id}", as_of="2999-01-01T00:00:00Z")["status"] == "approved"
