"""Who may call what: tokens, roles and provinces."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from infrastructure.tokens import issue_token
from interfaces.container import Container
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


def _signed(**claims: object) -> dict[str, str]:
    body = {"sub": "owner-1", "roles": ["aid_owner"], "provinces": "*",
            "exp": int(time.time()) + 3600, **claims}
    return {"Authorization": "Bearer " + jwt.encode(body, TEST_SECRET, algorithm="HS256")}


@pytest.mark.parametrize("claims", [
    lambda now: {"exp": 10**20},
    lambda now: {"exp": 10**400},
    lambda now: {"iat": now - 60, "exp": now + 25 * 3600},
    lambda now: {"exp": now + 25 * 3600},  # no iat: judged from now
    lambda now: {"iat": now - 30 * 3600, "exp": now + 600},
], ids=["exp-1e20", "exp-1e400", "iat-to-exp-25h", "no-iat-25h", "issued-30h-ago"])
def test_a_token_valid_for_longer_than_the_maximum_is_a_401(
    api: Api, claims: Callable[[int], dict[str, int]]
) -> None:
    response = api.client.get(f"{API}/donors/00000000-0000-0000-0000-000000000000",
                              headers=_signed(**claims(int(time.time()))))
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "token_lifetime_too_long"
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    within = _signed(iat=int(time.time()) - 60, exp=int(time.time()) + 23 * 3600)
    assert api.client.get(f"{API}/donors/00000000-0000-0000-0000-000000000000",
                          headers=within).status_code == 404


@pytest.mark.parametrize("claims", [
    {"sub": "owner\x00-1"}, {"sub": "owner\n1"}, {"sub": "owner-\ud800"}, {"sub": ""},
    {"provinces": ["B\x00N"]},
], ids=["nul-in-sub", "newline-in-sub", "lone-surrogate-in-sub", "empty-sub",
        "nul-in-province"])
def test_a_signed_token_with_control_characters_in_its_claims_is_a_401(
    api: Api, claims: dict[str, object]
) -> None:
    donor_id = api.donor()
    response = api.client.post(f"{API}/donors/{donor_id}/certificates", json={
        "number": "77/GDK-BNG", "kind": "operation", "issued_on": "2024-06-01",
        "expires_on": "2027-05-31", "provinces": ["BN"], "fields": ["1"]},
        headers={**_signed(roles=["registry_officer"], **claims), "Idempotency-Key": "k-1"})
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "invalid_token_claims"


@pytest.mark.parametrize("content_type", ["text/plain", None, "application/x-www-form-urlencoded"])
def test_a_command_body_that_is_not_json_is_a_415(api: Api, content_type: str | None) -> None:
    case_id = "00000000-0000-0000-0000-000000000000"  # refused before any lookup
    headers = auth("aid_owner")
    if content_type:
        headers["Content-Type"] = content_type
    response = api.client.post(f"{API}/cases/{case_id}/submit", content=b"{}", headers=headers)
    assert response.status_code == 415, response.text
    assert response.json()["code"] == "unsupported_media_type"
    assert response.headers["content-type"] == "application/problem+json"


def test_options_and_405_list_every_method_of_the_path(api: Api) -> None:
    path = f"{API}/cases/00000000-0000-0000-0000-000000000000"
    options = api.client.options(path)
    assert options.status_code == 204
    assert set(options.headers["allow"].split(", ")) == {"GET", "PATCH", "OPTIONS"}
    refused = api.client.delete(path, headers=auth("viewer"))
    assert refused.status_code == 405
    assert refused.json()["code"] == "method_not_allowed"
    assert set(refused.headers["allow"].split(", ")) == {"GET", "PATCH", "OPTIONS"}



def test_a_command_verifies_its_callers_token_once_though_its_guard_and_route_both_need_it(
    client: TestClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str] = []
    real = container.verifier.verify

    def counting(token: str) -> Any:
        verified.append(token)
        return real(token)

    monkeypatch.setattr(container.verifier, "verify", counting)
    response = client.post(f"{API}/donors", headers=auth("registry_officer"),
                           json={"code": "DONOR-ONCE", "name": "Once Trust", "country": "GB",
                                 "kind": "foreign_ngo"})
    assert response.status_code == 201, response.text
    assert len(verified) == 1
