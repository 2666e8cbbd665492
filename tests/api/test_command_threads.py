"""A command route runs its command on the event loop when a group-commit writer takes the
saves (the default), else on the app's own command threads: in the request's context,
without a trip through the web framework's worker threads, and ended with the app."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import pytest
import structlog
from fastapi.testclient import TestClient

from application.on_loop import on_loop
from infrastructure.settings import Settings
from interfaces.container import Container, build_container
from interfaces.http.app import create_app
from interfaces.http.command_threads import THREAD_NAME
from interfaces.http.context import current_request_id
from tests.api.support import API, Api, auth

DONOR = {"code": "DONOR-THREADS", "name": "Threads Trust", "country": "GB", "kind": "foreign_ngo"}


class Seen:
    """What a spied service method saw when the route's command called it."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.on_loop: list[bool] = []
        self.request_ids: list[tuple[str | None, Any]] = []

    def spy(self, monkeypatch: pytest.MonkeyPatch, services: Any, name: str) -> None:
        real = getattr(services, name)

        def spied(*args: Any, **kwargs: Any) -> Any:
            self.threads.append(threading.current_thread())
            self.on_loop.append(on_loop())
            bound = structlog.contextvars.get_contextvars().get("request_id")
            self.request_ids.append((current_request_id(), bound))
            return real(*args, **kwargs)

        monkeypatch.setattr(services, name, spied)


@pytest.fixture
def threaded(settings: Settings) -> Iterator[Container]:
    """A container without group commit: its commands run on the command threads."""
    c = build_container(settings.model_copy(update={"group_commit_wait_ms": 0}))
    try:
        yield c
    finally:
        c.close()


def _document_added(client: TestClient, container: Container,
                    monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Seen]:
    """A document added to a new case, and what the command saw."""
    api = Api(client)
    case_id = api.open_case(api.donor())
    seen = Seen()
    seen.spy(monkeypatch, container.services, "handle_case")
    response = client.post(f"{API}/cases/{case_id}/documents",
                           json={"document": {"kind": "request", "title": "request",
                                              "uri": "https://files.example/request.pdf",
                                              "sha256": "b" * 64, "language": "vi"},
                                 "effective_date": "2025-01-03"},
                           headers={**auth("aid_owner"), "X-Request-Id": "req-case-7f3a"})
    assert response.status_code == 200, response.text
    assert response.headers["x-request-id"] == "req-case-7f3a"
    return response, seen


def test_a_case_command_runs_on_the_event_loop_with_its_request_id_bound(
    client: TestClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, seen = _document_added(client, container, monkeypatch)
    assert seen.on_loop == [True]
    assert [t.name.startswith(THREAD_NAME) for t in seen.threads] == [False]
    assert seen.request_ids == [("req-case-7f3a", "req-case-7f3a")]


def test_without_group_commit_a_case_command_runs_on_a_command_thread_with_its_request_id(
    threaded: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    threaded.start()
    with TestClient(create_app(container=threaded)) as client:
        _, seen = _document_added(client, threaded, monkeypatch)
    assert seen.on_loop == [False]
    assert [t.name.startswith(THREAD_NAME) for t in seen.threads] == [True]
    assert seen.request_ids == [("req-case-7f3a", "req-case-7f3a")]


def test_a_command_and_its_refusals_borrow_no_worker_thread_of_the_web_framework(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    borrowed: list[Any] = []
    real = anyio.to_thread.run_sync

    async def recording(func: Any, *args: Any, **kwargs: Any) -> Any:
        borrowed.append(func)
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", recording)
    registry = auth("registry_officer")
    unknown = f"{API}/donors/00000000-0000-4000-8000-000000000000/certificates"
    statuses = [
        client.post(f"{API}/donors", json=DONOR, headers=registry).status_code,
        client.post(f"{API}/donors", json={"code": "X"}, headers=registry).status_code,
        client.post(f"{API}/donors", json=DONOR, headers=auth("viewer")).status_code,
        client.post(unknown, headers=registry, json={
            "number": "1/GDK-BNG", "kind": "operation", "issued_on": "2024-06-01",
            "expires_on": "2027-05-31", "provinces": ["BN"], "fields": ["1"],
            "effective_date": "2024-06-01"}).status_code,
    ]
    assert statuses == [201, 422, 403, 404]
    assert borrowed == []


def test_the_command_threads_end_with_the_app_and_start_again_with_it(
    threaded: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    threaded.start()
    seen = Seen()
    seen.spy(monkeypatch, threaded.services, "register_donor")
    app = create_app(container=threaded)
    for n in (1, 2):
        with TestClient(app) as c:
            response = c.post(f"{API}/donors", json={**DONOR, "code": f"DONOR-THREADS-{n}"},
                              headers=auth("registry_officer"))
            assert response.status_code == 201, response.text
            assert seen.threads[-1].is_alive()
        assert not seen.threads[-1].is_alive()
    assert len(seen.threads) == 2
