"""Behind a reverse proxy: forwarded headers believed only from the configured proxies, and
CORS answered only for the configured origins."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from infrastructure.logging import configure_logging
from infrastructure.settings import Settings
from interfaces.http.app import create_app
from tests.api.support import auth
from tests.conftest import TEST_SECRET
from tests.support.http import TLS
from tests.support.live_server import served_as_cli

ORIGIN = "https://workspace.aid.example.vn"


def settings(tmp_path: Path, **options: Any) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'aidtrail.sqlite'}",
                    jwt_secret=TEST_SECRET, **options)


@contextmanager
def served(config: Settings) -> Iterator[str]:
    """The app behind uvicorn configured as `aidtrail serve` configures it."""
    with served_as_cli(config) as (_, url):
        yield url


@pytest.fixture
def request_lines() -> Iterator[Any]:
    """The request summary lines logged since the last call."""
    configure_logging("json", "INFO")
    written = io.StringIO()
    logging.getLogger().handlers[0].setStream(written)  # type: ignore[attr-defined]

    def read() -> list[dict[str, Any]]:
        text = written.getvalue()
        written.seek(0)
        written.truncate()
        lines = [json.loads(line) for line in text.splitlines()]
        return [line for line in lines if line.get("event") == "request"]

    yield read
    logging.getLogger().handlers.clear()


def test_forwarded_headers_are_believed_only_from_the_configured_proxies(
        tmp_path: Path, request_lines: Any) -> None:
    remote = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    local = {"X-Forwarded-For": "127.0.0.1", "X-Forwarded-Proto": "https"}
    with served(settings(tmp_path)) as url:  # no proxy trusted: the headers are ignored
        assert httpx.get(url + "/health", headers=remote, verify=TLS).status_code == 200
        # so a request that came through a proxy cannot be told from a remote one
        assert httpx.get(url + "/metrics", headers=local, verify=TLS).status_code == 403
    assert [line["scheme"] for line in request_lines()] == ["http", "http"]
    with served(settings(tmp_path, forwarded_allow_ips="127.0.0.1")) as url:
        assert httpx.get(url + "/health", headers=remote, verify=TLS).status_code == 200
        # the client is 203.0.113.9
        refused = httpx.get(url + "/metrics", headers=remote, verify=TLS)
        assert refused.status_code == 403
        assert refused.json()["code"] == "metrics_loopback_only"
        assert httpx.get(url + "/metrics", headers=local, verify=TLS).status_code == 200
    assert [line["scheme"] for line in request_lines()] == ["https"] * 3


def preflight(client: TestClient, origin: str, method: str = "POST",
              path: str = "/api/v1/cases") -> httpx.Response:
    return client.options(path, headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"})


def test_a_cors_preflight_is_answered_only_for_an_allowed_origin(tmp_path: Path) -> None:
    config = settings(tmp_path, cors_origins=f"{ORIGIN}, https://other.example.vn")
    with TestClient(create_app(config), raise_server_exceptions=False) as client:
        allowed = preflight(client, ORIGIN)
        assert allowed.status_code == 200
        assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert "idempotency-key" in allowed.headers["Access-Control-Allow-Headers"].lower()
        for method, path in (("PATCH", f"/api/v1/cases/{uuid.uuid4()}"),
                             ("DELETE", "/api/v1/notifications/subscriptions/s-1")):
            other_method = preflight(client, ORIGIN, method, path)
            assert other_method.status_code == 200, (method, other_method.text)
            assert method in other_method.headers["Access-Control-Allow-Methods"]
        refused = preflight(client, "https://evil.example")
        assert refused.status_code == 204  # the app's own OPTIONS answer, without CORS
        assert "Access-Control-Allow-Origin" not in refused.headers
        assert refused.headers["Allow"] == "POST, OPTIONS"
        read = client.get("/api/v1/projections", headers={"Origin": ORIGIN, **auth("viewer")})
        assert read.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert "X-Request-ID" in read.headers["Access-Control-Expose-Headers"]
        other = client.get("/api/v1/projections",
                           headers={"Origin": "https://evil.example", **auth("viewer")})
        assert "Access-Control-Allow-Origin" not in other.headers


def test_without_cors_origins_no_origin_gets_cors_headers(tmp_path: Path) -> None:
    with TestClient(create_app(settings(tmp_path)), raise_server_exceptions=False) as client:
        response = preflight(client, ORIGIN)
        assert response.status_code == 204
        assert "Access-Control-Allow-Origin" not in response.headers
