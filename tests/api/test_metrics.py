"""GET /metrics: requests, commands and projections counted, and who may scrape it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from infrastructure.settings import Settings
from interfaces.container import Container
from interfaces.http.app import create_app
from tests.api.support import Api
from tests.api.test_projection_failures import break_case_summary, recovered
from tests.conftest import TEST_SECRET

LOOPBACK = ("127.0.0.1", 50000)


def samples(client: TestClient, **headers: str) -> dict[tuple[str, frozenset[tuple[str, str]]],
                                                        float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(response.text)
            for s in family.samples}


def value(scraped: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str,
          **labels: str) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def local_client(container: Container) -> Iterator[TestClient]:
    container.start()
    with TestClient(create_app(container=container), raise_server_exceptions=False,
                    client=LOOPBACK) as c:
        yield c


def test_a_scrape_after_a_few_commands_counts_requests_commands_and_projections(
        local_client: TestClient, container: Container) -> None:
    api = Api(local_client)
    before = samples(local_client)
    donor = api.donor(kind="other")
    key = {"Idempotency-Key": "metrics-open-1"}
    first = api.open_case(donor)
    api.post(f"/cases/{first}/submit", {"effective_date": "2025-01-05"}, "aid_owner", 409)
    api.post(f"/cases/{first}/documents", {"document": {
        "kind": "request", "title": "t", "uri": "https://files.example/r.pdf",
        "sha256": "b" * 64, "language": "vi"}, "effective_date": "2025-01-03"}, "aid_owner",
        412, **{"If-Match": '"99"'})
    donor_body = {"code": "DONOR-METRICS", "name": "Metrics", "country": "GB", "kind": "other"}
    api.post("/donors", donor_body, "registry_officer", 201, **key)
    api.post("/donors", donor_body, "registry_officer", 201, **key)
    head = container.runner.head()
    assert container.wait_for_views(head)
    after = samples(local_client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("aidtrail_commands_total", command="RegisterDonor", outcome="recorded",
                 code="") == 2
    assert moved("aidtrail_commands_total", command="RegisterDonor", outcome="replayed",
                 code="") == 1
    assert moved("aidtrail_commands_total", command="OpenCase", outcome="recorded",
                 code="") == 1
    assert moved("aidtrail_commands_total", command="Submit", outcome="refused",
                 code="dossier_incomplete") == 1
    assert moved("aidtrail_commands_total", command="AttachDocument", outcome="conflict",
                 code="stale_version") == 1
    assert moved("aidtrail_http_requests_total", route="/api/v1/donors", method="POST",
                 status="201") == 3
    assert moved("aidtrail_http_request_duration_seconds_count", route="/api/v1/donors",
                 method="POST") == 3
    assert moved("aidtrail_http_requests_total", route="/api/v1/cases/{case_id}/submit",
                 method="POST", status="409") == 1
    assert value(after, "aidtrail_events_head") == head
    assert value(after, "aidtrail_projection_position", projection="case_summary") == head
    assert value(after, "aidtrail_projection_lag_events", projection="case_summary") == 0
    assert value(after, "aidtrail_projection_failing", projection="case_summary") == 0
    pool = "events" if container.database.kind == "postgres" else "sqlite_writer"
    assert ("aidtrail_db_pool_waiting", frozenset({("pool", pool)})) in after


def sqlite_app(tmp_path: Path, client: tuple[str, int] = ("testclient", 50000),
               **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(
        database_url=f"sqlite:///{tmp_path / 'aidtrail.sqlite'}", jwt_secret=TEST_SECRET,
        **settings)), raise_server_exceptions=False, client=client)


def test_metrics_without_a_token_are_refused_to_a_client_off_loopback_or_behind_a_proxy(
        tmp_path: Path) -> None:
    with sqlite_app(tmp_path) as remote:
        response = remote.get("/metrics")
        assert response.status_code == 403
        assert response.json()["code"] == "metrics_loopback_only"
    with sqlite_app(tmp_path, LOOPBACK) as local:
        assert local.get("/metrics").status_code == 200
        # a reverse proxy on this host: the socket is loopback, the client is not
        proxied = local.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert proxied.status_code == 403
        assert proxied.json()["code"] == "metrics_loopback_only"


def test_a_metrics_token_is_required_from_every_client_once_it_is_set(tmp_path: Path) -> None:
    with sqlite_app(tmp_path, metrics_token="scrape-secret-1") as client:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
            response = client.get("/metrics", headers=headers)
            assert response.status_code == 401
            assert response.json()["code"] == "metrics_token_required"
            assert response.headers["WWW-Authenticate"] == "Bearer"
        scraped = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-1"})
        assert scraped.status_code == 200
        assert "aidtrail_http_requests_total" in scraped.text


def test_metrics_switched_off_are_not_found(tmp_path: Path) -> None:
    with sqlite_app(tmp_path, metrics_enabled=False, metrics_token="t") as client:
        response = client.get("/metrics", headers={"Authorization": "Bearer t"})
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_projection_failing_on_an_event_shows_as_failing_and_lagging_until_it_recovers(
        local_client: TestClient, container: Container) -> None:
    broken = break_case_summary(container)
    api = Api(local_client)
    api.open_case(api.donor(kind="other"))
    head = container.runner.head()
    container.runner.catch_up()
    assert container.wait_for_views(head, [n for n in container.runner.projections
                                           if n != "case_summary"])
    failing = samples(local_client)
    assert value(failing, "aidtrail_projection_failing", projection="case_summary") == 1
    assert value(failing, "aidtrail_projection_failure_attempts", projection="case_summary") >= 1
    assert value(failing, "aidtrail_projection_position",
                 projection="case_summary") == broken.position - 1
    assert value(failing, "aidtrail_projection_lag_events",
                 projection="case_summary") == head - broken.position + 1
    assert value(failing, "aidtrail_projection_lag_seconds", projection="case_summary") > 0
    assert value(failing, "aidtrail_projection_failing", projection="donor_status") == 0
    assert value(failing, "aidtrail_projection_lag_events", projection="donor_status") == 0

    broken.broken = False
    assert recovered(container)
    assert container.wait_for_views(head)
    healed = samples(local_client)
    assert value(healed, "aidtrail_projection_failing", projection="case_summary") == 0
    assert value(healed, "aidtrail_projection_failure_attempts", projection="case_summary") == 0
    assert value(healed, "aidtrail_projection_lag_events", projection="case_summary") == 0
    assert value(healed, "aidtrail_projection_lag_seconds", projection="case_summary") == 0
