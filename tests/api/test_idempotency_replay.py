"""A retry whose key is recorded gets the first answer even when the state the first command
made would refuse it now; a refusal with an unrecorded key is still the refusal."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.support import Api


def _approval() -> dict[str, object]:
    return {"decision_no": "12/QD-UBND", "decision_date": "2025-01-25",
            "signer": "Chair of the People's Committee",
            "authority_level": "head_of_managing_agency",
            "approved_amount": {"amount": "100000", "currency": "USD"}, "vnd_rate": "25000",
            "effective_date": "2025-01-25"}


def test_a_retried_approval_gets_the_first_answer_though_a_second_approval_is_refused(
    client: TestClient,
) -> None:
    api = Api(client)
    case_id = api.walk_to("appraised")
    path = f"/cases/{case_id}/approve"
    first = api.raw_post(path, _approval(), "approver", **{"Idempotency-Key": "approve-1"})
    assert first.status_code == 200, first.text
    retried = api.raw_post(path, _approval(), "approver", **{"Idempotency-Key": "approve-1"})
    assert retried.status_code == 200 and retried.json() == first.json()
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.headers["ETag"] == first.headers["ETag"]
    other = api.raw_post(path, _approval(), "approver", **{"Idempotency-Key": "approve-2"})
    assert other.status_code == 409 and "Idempotent-Replayed" not in other.headers
    assert api.get(f"/cases/{case_id}")["version"] == first.json()["version"]


def test_a_retried_registration_gets_the_first_201_and_its_location(
    client: TestClient,
) -> None:
    api = Api(client)
    body = {"code": "DONOR-KEYED", "name": "Keyed donor", "country": "GB", "kind": "foreign_ngo"}
    first = api.raw_post("/donors", body, "registry_officer", **{"Idempotency-Key": "reg-1"})
    assert first.status_code == 201, first.text
    retried = api.raw_post("/donors", body, "registry_officer", **{"Idempotency-Key": "reg-1"})
    assert retried.status_code == 201 and retried.json() == first.json()
    assert retried.headers["Location"] == first.headers["Location"]
    assert retried.headers["Idempotent-Replayed"] == "true"
    unkeyed = api.raw_post("/donors", body, "registry_officer")
    assert unkeyed.status_code == 409 and unkeyed.json()["code"] == "duplicate_donor"
