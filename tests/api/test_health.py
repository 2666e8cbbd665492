"""Liveness, readiness, request ids and the problem+json shape."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from infrastructure.logging import configure_logging
from infrastructure.settings import Settings
from interfaces.http.app import create_app


def test_health_answers_ok(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_answers_when_the_database_does(client: TestClient) -> None:
    assert client.get("/ready").json() == {"status": "ready"}


def test_ready_is_a_503_problem_when_the_database_does_not_answer(tmp_path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/db.sqlite", jwt_secret="x" * 32)
    app = create_app(settings)
    app.state.container.database = Settings(
        database_url="postgresql://nobody@127.0.0.1:1/none").database
    with TestClient(app) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "database_unavailable"
    assert set(body) >= {"type", "title", "status", "detail", "code", "request_id"}


def test_a_given_request_id_is_echoed_and_a_missing_one_is_made(client: TestClient) -> None:
    assert client.get("/health", headers={"X-Request-ID": "abc-123"}).headers[
        "X-Request-ID"] == "abc-123"
    assert len(client.get("/health").headers["X-Request-ID"]) == 32


def test_an_unknown_path_is_a_404_problem_with_the_request_id(client: TestClient) -> None:
    response = client.get("/nowhere", headers={"X-Request-ID": "req-1"})
    assert response.status_code == 404
    assert response.json()["request_id"] == "req-1"
    assert response.json()["code"] == "not_found"


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    assert client.get("/openapi.json").json()["info"]["title"] == "AidTrail"
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize("backend_only", ["sqlite"])
def test_each_request_logs_one_json_summary_line_with_its_request_id(
    client: TestClient, capsys: pytest.CaptureFixture[str], backend_only: str
) -> None:
    configure_logging("json", "INFO")
    capsys.readouterr()
    client.get("/health", headers={"X-Request-ID": "log-me"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    summaries = [entry for entry in lines if entry.get("event") == "request"]
    assert len(summaries) == 1
    assert summaries[0]["request_id"] == "log-me"
    assert summaries[0]["status"] == 200 and summaries[0]["path"] == "/health"
    assert "duration_ms" in summaries[0]
    logging.getLogger().handlers.clear()
