"""The command contract: responses, ETag, If-Match, Idempotency-Key, and clear refusals."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.support import API, Api, auth


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


def _disburse(amount: str = "10") -> dict[str, object]:
    return {"amount": {"amount": amount, "currency": "USD"}, "vnd_rate": "25000",
            "aid_account": "VCB-1", "effective_date": "2025-03-01"}


def test_a_command_answers_id_version_status_position_and_an_etag(api: Api) -> None:
    case_id = api.walk_to("in_implementation")
    response = api.raw_post(f"/cases/{case_id}/disbursements", _disburse(), "aid_owner")
    body = response.json()
    assert response.status_code == 200
    assert body["id"] == case_id and body["status"] == "in_implementation"
    assert body["position"] > 0
    assert response.headers["ETag"] == f'"{body["version"]}"'


def test_opening_answers_201_with_the_location_of_the_case(api: Api) -> None:
    donor = api.donor()
    response = api.client.post(f"{API}/cases", json={
        "reference": "BN-2026-0042", "title": "Clean water", "aid_form": "programme",
        "donor_id": donor, "province": "BN", "managing_agency": "PPC", "aid_owner": "DoH",
        "sectors": [{"code": "14030", "percentage": "100"}], "planned_start": "2026-01-01",
        "planned_end": "2026-12-31", "requested": {"amount": "1000", "currency": "EUR"},
        "requested_vnd_rate": "27000"}, headers=auth("aid_owner"))
    assert response.status_code == 201
    assert response.headers["Location"].endswith(response.json()["id"])


def test_a_second_case_with_the_same_reference_is_a_409(api: Api) -> None:
    donor = api.donor()
    body = {"reference": "BN-2026-0001", "title": "t", "aid_form": "programme",
            "donor_id": donor, "province": "BN", "managing_agency": "PPC", "aid_owner": "DoH",
            "sectors": [{"code": "14030", "percentage": "100"}], "planned_start": "2026-01-01",
            "planned_end": "2026-12-31", "requested": {"amount": "1000", "currency": "VND"}}
    api.post("/cases", body, "aid_owner", 201)
    assert api.post("/cases", body, "aid_owner", 409)["code"] == "duplicate_reference"


def test_a_stale_if_match_is_a_412_and_records_nothing(api: Api) -> None:
    case_id = api.walk_to("in_implementation")
    version = api.get(f"/cases/{case_id}")["version"]
    api.post(f"/cases/{case_id}/disbursements", _disburse(), "aid_owner", **{
        "If-Match": f'"{version}"'})
    stale = api.raw_post(f"/cases/{case_id}/disbursements", _disburse(), "aid_owner",
                         **{"If-Match": f'"{version}"'})
    assert stale.status_code == 412 and stale.json()["code"] == "stale_version"
    assert api.get(f"/cases/{case_id}")["version"] == version + 1


def test_a_malformed_if_match_is_a_422(api: Api) -> None:
    case_id = api.walk_to("in_implementation")
    response = api.raw_post(f"/cases/{case_id}/disbursements", _disburse(), "aid_owner",
                            **{"If-Match": "yesterday"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_if_match"


def test_a_retry_with_the_same_idempotency_key_returns_the_first_answer_and_records_nothing(
    api: Api,
) -> None:
    case_id = api.walk_to("in_implementation")
    first = api.raw_post(f"/cases/{case_id}/disbursements", _disburse(), "aid_owner",
                         **{"Idempotency-Key": "k-1"})
    for _ in range(50):
        again = api.raw_post(f"/cases/{case_id}/disbursements", _disburse(), "aid_owner",
                             **{"Idempotency-Key": "k-1"})
        assert again.json() == first.json()
        assert again.headers["Idempotent-Replayed"] == "true"
    state = api.get(f"/cases/{case_id}")
    assert state["version"] == first.json()["version"]
    assert len([t for t in state["transactions"] if t["kind"] == "disbursed"]) == 1


def test_the_same_idempotency_key_with_another_body_is_a_422(api: Api) -> None:
    case_id = api.walk_to("in_implementation")
    api.post(f"/cases/{case_id}/disbursements", _disburse("10"), "aid_owner",
             **{"Idempotency-Key": "k-2"})
    reused = api.raw_post(f"/cases/{case_id}/disbursements", _disburse("11"), "aid_owner",
                          **{"Idempotency-Key": "k-2"})
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"


def test_a_refused_command_does_not_use_up_its_idempotency_key(api: Api) -> None:
    case_id = api.walk_to("approved")
    refused = api.raw_post(f"/cases/{case_id}/close", {}, "focal_officer",
                           **{"Idempotency-Key": "k-3"})
    assert refused.status_code == 409
    again = api.raw_post(f"/cases/{case_id}/close", {}, "focal_officer",
                         **{"Idempotency-Key": "k-3"})
    assert again.status_code == 409 and "Idempotent-Replayed" not in again.headers


def test_a_command_the_state_forbids_is_a_409_naming_the_allowed_commands(api: Api) -> None:
    case_id = api.walk_to("draft")
    problem = api.post(f"/cases/{case_id}/close", {}, "focal_officer", 409)
    assert problem["code"] == "transition_not_allowed"
    assert problem["state"] == "draft"
    assert "submit" in problem["allowed_commands"]


@pytest.mark.parametrize(("body", "field"), [
    ({"amount": {"amount": "10", "currency": "usd"}}, "amount.currency"),
    ({"amount": {"amount": "10.001", "currency": "USD"}}, "amount"),
    ({"amount": {"amount": "10", "currency": "XYZ"}}, "currency"),
    ({"amount": {"amount": "-5", "currency": "USD"}}, "amount"),
    ({"amount": {"amount": "10", "currency": "USD"}, "effective_date": "3025-01-01"},
     "effective_date"),
    ({"amount": {"amount": "10", "currency": "USD"}, "surprise": 1}, "surprise"),
])
def test_malformed_money_input_is_a_422_with_field_errors(api: Api, body: dict, field: str
                                                          ) -> None:
    case_id = api.walk_to("in_implementation")
    response = api.raw_post(f"/cases/{case_id}/disbursements",
                            {"vnd_rate": "25000", "aid_account": "VCB-1", **body}, "aid_owner")
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["errors"], problem
    assert any(e["field"].startswith(field.split(".")[0]) for e in problem["errors"])


def test_sector_percentages_that_do_not_sum_to_100_are_a_422(api: Api) -> None:
    problem = api.post("/cases", {
        "reference": "BN-2026-0100", "title": "t", "aid_form": "programme",
        "donor_id": api.donor(), "province": "BN", "managing_agency": "PPC",
        "aid_owner": "DoH", "sectors": [{"code": "14030", "percentage": "60"}],
        "planned_start": "2026-01-01", "planned_end": "2026-12-31",
        "requested": {"amount": "1000", "currency": "VND"}}, "aid_owner", 422)
    assert problem["code"] == "sector_percentages"


def test_an_unknown_case_is_a_404(api: Api) -> None:
    problem = api.get("/cases/8f9a1c9e-0000-4000-8000-000000000000", expect=404)
    assert problem["code"] == "case_not_found"


def test_a_non_json_body_is_a_422_not_a_500(api: Api) -> None:
    case_id = api.walk_to("draft")
    response = api.client.post(f"{API}/cases/{case_id}/submit", content=b"\xff\xfe{",
                               headers={**auth("aid_owner"), "Content-Type": "application/json"})
    assert response.status_code == 422
