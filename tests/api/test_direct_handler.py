"""A command route resolves a well-formed request's arguments itself, and leaves every other
request to the framework's own handler, which answers it as before
(``interfaces/http/direct.py``)."""

from __future__ import annotations

from typing import Any

import fastapi.routing
import pytest
from fastapi.testclient import TestClient

from interfaces.http.deps import get_services
from tests.api.support import API, Api, auth

DOCUMENT = {"document": {"kind": "request", "title": "request",
                         "uri": "https://files.example/request.pdf", "sha256": "b" * 64,
                         "language": "vi"}, "effective_date": "2025-01-03"}


@pytest.fixture
def solved(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the requests the framework's dependency solver handled."""
    paths: list[str] = []
    real = fastapi.routing.solve_dependencies

    async def counting(**kwargs: Any) -> Any:
        paths.append(kwargs["request"].url.path)
        return await real(**kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counting)
    return paths


def test_a_well_formed_command_is_answered_without_the_frameworks_solver(
    client: TestClient, solved: list[str]
) -> None:
    api = Api(client)
    case_id = api.open_case(api.donor())
    solved.clear()
    response = client.post(f"{API}/cases/{case_id}/documents", json=DOCUMENT,
                           headers={**auth("aid_owner"), "If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert solved == []


# An invalid value is found by the framework's solver, a body that is not JSON before it.
@pytest.mark.parametrize(("change", "code", "solver"), [
    ({"json": {**DOCUMENT, "effective_date": "not a date"}}, "validation_error", True),
    ({"headers": {"Idempotency-Key": "k" * 201}}, "validation_error", True),
    ({"headers": {"If-Match": "three"}}, "invalid_if_match", False),  # the route's own check
    ({"content": b'{"document": '}, "validation_error", False),
])
def test_a_request_it_does_not_take_gets_the_frameworks_answer(
    client: TestClient, solved: list[str], change: dict[str, Any], code: str, solver: bool
) -> None:
    api = Api(client)
    case_id = api.open_case(api.donor())
    solved.clear()
    kwargs: dict[str, Any] = {"json": DOCUMENT, **change}
    if "content" in kwargs:
        del kwargs["json"]
    headers = {**auth("aid_owner"), "Content-Type": "application/json",
               **kwargs.pop("headers", {})}
    response = client.post(f"{API}/cases/{case_id}/documents", headers=headers, **kwargs)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert solved == ([f"{API}/cases/{case_id}/documents"] if solver else [])


def test_a_dependency_override_is_honoured(client: TestClient) -> None:
    api = Api(client)
    case_id = api.open_case(api.donor())
    calls: list[str] = []
    real = client.app.state.services  # type: ignore[attr-defined]

    async def overridden() -> Any:
        calls.append("override")
        return real

    client.app.dependency_overrides[get_services] = overridden  # type: ignore[attr-defined]
    try:
        response = client.post(f"{API}/cases/{case_id}/documents", json=DOCUMENT,
                               headers=auth("aid_owner"))
    finally:
        client.app.dependency_overrides.clear()  # type: ignore[attr-defined]
    assert response.status_code == 200, response.text
    assert calls == ["override"]
