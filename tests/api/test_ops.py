"""Projection positions and the audit endpoints over HTTP."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from interfaces.container import Container
from tests.api.support import API, Api, auth


def test_projections_report_position_head_and_lag(client: TestClient,
                                                  container: Container) -> None:
    Api(client).walk_to("approved")
    container.runner.catch_up()
    body = client.get(f"{API}/projections", headers=auth("viewer")).json()
    assert body["head"] > 0
    ledger = next(p for p in body["projections"] if p["name"] == "audit_ledger")
    assert ledger["position"] == body["head"] and ledger["lag_events"] == 0


def test_an_auditor_verifies_the_chain_and_gets_the_head_hash(client: TestClient) -> None:
    Api(client).walk_to("approved")
    body = client.get(f"{API}/audit/verify", headers=auth("auditor")).json()
    assert body["ok"] is True and body["count"] > 10 and len(body["head_hash"]) == 64


def test_the_export_streams_every_event_as_json_lines(client: TestClient) -> None:
    Api(client).walk_to("submitted")
    response = client.get(f"{API}/audit/export", headers=auth("auditor"))
    records = [json.loads(line) for line in response.text.splitlines()]
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert [r["position"] for r in records] == sorted(r["position"] for r in records)
    assert all(len(r["chain_hash"]) == 64 for r in records)


def test_verify_and_export_are_refused_to_a_viewer(client: TestClient) -> None:
    assert client.get(f"{API}/audit/verify", headers=auth("viewer")).status_code == 403
    assert client.get(f"{API}/audit/export", headers=auth("viewer")).status_code == 403
