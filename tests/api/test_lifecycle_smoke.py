"""A case walks from opening to closure over HTTP, on both backends."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.support import Api


def test_a_case_walks_from_opening_to_closure(client: TestClient) -> None:
    api = Api(client)
    case_id = api.walk_to("closed")
    state = api.get(f"/cases/{case_id}")
    assert state["status"] == "closed"
    assert state["iati_status"] == 4
