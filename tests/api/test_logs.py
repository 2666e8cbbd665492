"""Nothing secret or personal reaches the logs (SPEC §5): not the token, not the JWT secret,
not the Authorization header, not a request body, not a problem's detail, on success or on
error (401, 404, 409, 413, 422, 500, 503), on each backend."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.database import DatabaseUnavailableError
from infrastructure.logging import configure_logging
from tests.api.support import API, Api, auth, doc, token
from tests.conftest import TEST_SECRET

TITLE = "Title-7f3a9c-SECRETIVE"
REASON = "Reason-91c2e4-the-approver-was-on-leave"
VALUE = "Value-5d8b1a-echoed"


@pytest.fixture
def logs(capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """Call it to start capturing (configured in the test's own phase, as pytest swaps its
    streams between phases); it returns the function that reads what was written."""

    def start() -> Any:
        configure_logging("json", "DEBUG")
        capsys.readouterr()
        return capsys.readouterr

    yield start
    logging.getLogger().handlers.clear()


def test_no_token_secret_header_or_body_content_is_logged_on_success_or_error(
    client: TestClient, logs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_logs = logs()
    api = Api(client)
    owner = auth("aid_owner")
    donor = api.donor()
    body = {"reference": "BN-2026-0777", "title": TITLE, "aid_form": "programme",
            "donor_id": donor, "province": "BN", "managing_agency": "PPC", "aid_owner": "DoH",
            "sectors": [{"code": "14030", "percentage": "100"}], "planned_start": "2025-01-01",
            "planned_end": "2026-12-31", "requested": {"amount": "1000", "currency": "USD"},
            "requested_vnd_rate": "25000", "description": VALUE}
    statuses = []

    def call(method: str, path: str, **kw: Any) -> Any:
        response = client.request(method, API + path, **kw)
        statuses.append(response.status_code)
        return response

    case_id = call("POST", "/cases", json=body, headers=owner).json()["id"]  # 201
    call("POST", "/cases", json=body, headers=owner)  # 409 duplicate, detail names the ref
    call("PATCH", f"/cases/{case_id}", json={"title": "x" * 300 + TITLE}, headers=owner)  # 422
    call("POST", f"/cases/{case_id}/documents", json={"document": {**doc("request"),
         "title": TITLE}, VALUE: VALUE}, headers=owner)  # 422: an unknown key, echoed
    call("POST", f"/cases/{case_id}/receipts", json={
        "amount": {"amount": "10", "currency": "USD"}, "vnd_rate": "25000",
        "aid_account": "VCB-1", "effective_date": "2025-03-01",
        "deviation": {"reason": REASON, "document": TITLE}}, headers=owner)  # 200 or 409
    call("POST", f"/cases/{case_id}/submit", content=b'{"x": "' + VALUE.encode() + b'\xff"}',
         headers={**owner, "Content-Type": "application/json"})  # 422 malformed
    call("POST", f"/cases/{case_id}/submit", content=b"x" * (2 * 1024 * 1024),
         headers=owner)  # 413
    call("GET", f"/cases/{case_id}", headers={"Authorization": "Bearer " + TEST_SECRET})  # 401
    call("GET", f"/cases/{case_id}", headers=auth("viewer", provinces=["HN"]))  # 404
    call("GET", f"/cases/{case_id}/history", headers=auth("viewer"))  # 403

    def boom(*_: Any, **__: Any) -> Any:
        raise RuntimeError(f"unexpected: {TITLE} {REASON}")

    def down(*_: Any, **__: Any) -> Any:
        raise DatabaseUnavailableError(f"database down while handling {VALUE}")

    services = client.app.state.services  # type: ignore[attr-defined]
    monkeypatch.setattr(services, "open_case", boom)
    call("POST", "/cases", json={**body, "reference": "BN-2026-0778"}, headers=owner)  # 500
    monkeypatch.setattr(services, "head_version", down)  # the read every GET makes
    call("GET", f"/cases/{case_id}", headers=owner)  # 503
    assert {201, 409, 422, 413, 401, 404, 403, 500, 503} <= set(statuses), statuses

    captured = read_logs()
    output = captured.out + captured.err
    lines = [json.loads(line) for line in captured.err.splitlines() if line.strip()]
    requests = [entry for entry in lines if entry.get("event") == "request"]
    assert len(requests) >= len(statuses)  # the capture works: every request logged once
    errors = [entry for entry in lines if entry.get("event") == "unhandled_error"]
    # The 500 keeps its stack and type for the operator, not its message.
    assert errors and "RuntimeError (message withheld)" in errors[0]["exception"]
    assert "test_logs.py" in errors[0]["exception"]
    secrets = {
        "a bearer token": token("aid_owner"), "the JWT secret": TEST_SECRET,
        "a token's signature": token("aid_owner").rsplit(".", 1)[1],
        "the Authorization header": "Bearer ", "the header name": "authorization",
        "a title": TITLE, "a deviation reason": REASON, "a body value": VALUE,
    }
    leaked = {what: s for what, s in secrets.items() if s.lower() in output.lower()}
    assert not leaked, leaked
