"""Over HTTP: an incomplete dossier (C05), state-budget revenue entered in the budget (C14) and
a case approved under Decree 80/2020 reviewed against Decree 313/2025 (C24)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.support import Api, doc

DEVIATION = {"reason": "the consent letter follows by courier", "document": "Letter 7/2025"}


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


def flags(api: Api, case_id: str, code: str, position: int, as_of: str) -> list[dict[str, Any]]:
    page = api.get("/views/compliance", case_id=case_id, code=code, state="all",
                   as_of=as_of, min_position=position)
    return page["items"]  # type: ignore[no-any-return]


def test_an_incomplete_dossier_is_a_409_naming_c05_then_recorded_with_a_deviation(
        api: Api) -> None:
    case_id = api.open_case(api.donor())
    api.post(f"/cases/{case_id}/documents",
             {"document": doc("request"), "effective_date": "2025-01-03"}, "aid_owner")
    refused = api.post(f"/cases/{case_id}/submit", {"effective_date": "2025-01-05"},
                       "aid_owner", 409)
    assert (refused["code"], refused["flag"], refused["deviation_allowed"]) == (
        "dossier_incomplete", "C05", True)
    assert refused["missing"] == ["donor_consent", "project_document", "donor_legal_status"]
    done = api.post(f"/cases/{case_id}/submit",
                    {"effective_date": "2025-01-05", "deviation": DEVIATION}, "aid_owner")
    [flag] = flags(api, case_id, "C05", done["position"], "2025-01-06")
    assert flag["active_from"] == "2025-01-05"


def test_state_budget_revenue_is_flagged_c14_until_its_budget_entry(api: Api) -> None:
    case_id = api.open_case(api.donor(), state_budget_revenue=True)
    api.submit(case_id)
    api.appraise(case_id)
    api.approve(case_id)
    api.money(case_id, "receipts", "100000", "2025-02-01")
    entered = api.post(f"/cases/{case_id}/budget-entries", {
        "reference": "GNT-2025-0007", "document": doc("other"),
        "effective_date": "2025-02-10"}, "aid_owner")
    [flag] = flags(api, case_id, "C14", entered["position"], "2025-02-05")
    assert (flag["active_from"], flag["active_until"]) == ("2025-02-01", "2025-02-10")
    state = api.get(f"/cases/{case_id}")
    assert state["budget_entries"][0]["reference"] == "GNT-2025-0007"


def test_a_budget_entry_for_aid_that_is_not_state_budget_revenue_is_a_409(api: Api) -> None:
    case_id = api.walk_to("in_implementation")
    refused = api.post(f"/cases/{case_id}/budget-entries", {
        "reference": "GNT-1", "document": doc("other"), "effective_date": "2025-02-10"},
        "aid_owner", 409)
    assert refused["code"] == "not_state_budget_revenue"


def test_a_case_approved_under_decree_80_is_reviewed_against_decree_313(api: Api) -> None:
    case_id = api.walk_to("in_implementation")
    early = api.post(f"/cases/{case_id}/transition-reviews", {
        "note": "no new rules yet", "document": doc("decision"),
        "effective_date": "2025-06-01"}, "focal_officer", 409)
    assert early["code"] == "no_rules_transition"
    reviewed = api.post(f"/cases/{case_id}/transition-reviews", {
        "note": "reporting follows Decree 313 from now", "document": doc("decision"),
        "effective_date": "2026-01-15"}, "focal_officer")
    [flag] = flags(api, case_id, "C24", reviewed["position"], "2025-12-10")
    assert (flag["active_from"], flag["active_until"]) == ("2025-12-08", "2026-01-15")
    review = api.get(f"/cases/{case_id}")["transition_reviews"][0]
    assert review["rule_profile"].startswith("decree-313-2025@")
