"""Who may call what: tokens, roles and provinces."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from infrastructure.tokens import issue_token
from tests.api.support import API, Api, auth, token
from tests.conftest import TEST_SECRET


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


def test_a_request_without_a_token_is_a_401_problem(api: Api) -> None:
    response = api.client.get(f"{API}/donors/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("bad", [
    "not-a-jwt",
    jwt.encode({"sub": "x", "roles": ["viewer"], "provinces": "*",
                "exp": int((datetime.now(UTC) + timedelta(hours=1)).timestamp())},
               "another-secret-that-is-also-long-enough!", algorithm="HS256"),
    issue_token(TEST_SECRET, sub="x", roles=["viewer"], provinces=["*"],
                ttl=timedelta(seconds=1), now=datetime.now(UTC) - timedelta(hours=1)),
], ids=["malformed", "wrong-signature", "expired"])
def test_a_malformed_wrongly_signed_or_expired_token_is_a_401(api: Api, bad: str) -> None:
    response = api.client.get(f"{API}/donors/00000000-0000-0000-0000-000000000000",
                              headers={"Authorization": f"Bearer {bad}"})
    assert response.status_code == 401


def test_a_role_not_in_the_table_for_a_command_is_a_403(api: Api) -> None:
    case_id = api.walk_to("appraised")
    response = api.raw_post(f"/cases/{case_id}/approve", {
        "decision_no": "1", "decision_date": "2025-01-25", "signer": "x",
        "authority_level": "head_of_managing_agency",
        "approved_amount": {"amount": "1", "currency": "USD"}, "vnd_rate": "25000"},
        "aid_owner")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_a_case_outside_the_callers_provinces_does_not_exist_for_them(api: Api) -> None:
    case_id = api.walk_to("draft")
    elsewhere = auth("viewer", provinces=["HN"])
    assert api.client.get(f"{API}/cases/{case_id}", headers=elsewhere).status_code == 404
    assert api.client.get(f"{API}/cases/{case_id}",
                          headers=auth("viewer", provinces=["BN"])).status_code == 200
    owner_elsewhere = {"Authorization": "Bearer " + token("aid_owner", provinces=["HN"])}
    response = api.client.post(f"{API}/cases/{case_id}/submit", json={},
                               headers=owner_elsewhere)
    assert response.status_code == 404


def test_history_is_refused_to_a_viewer(api: Api) -> None:
    case_id = api.walk_to("draft")
    assert api.get(f"/cases/{case_id}/history", "viewer", expect=403)["code"] == "forbidden"


def test_a_token_with_no_known_role_is_forbidden(api: Api) -> None:
    bad = jwt.encode({"sub": "x", "roles": ["janitor"], "provinces": "*",
                      "exp": int((datetime.now(UTC) + timedelta(hours=1)).timestamp())},
                     TEST_SECRET, algorithm="HS256")
    response = api.client.get(f"{API}/donors/00000000-0000-0000-0000-000000000000",
                              headers={"Authorization": f"Bearer {bad}"})
    assert response.status_code == 403
