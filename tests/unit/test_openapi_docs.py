"""The OpenAPI document is one an integrator can read: every body has a valid realistic
example, every property a description, every operation an id of its own, and the headers
the server sends are declared."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from infrastructure.settings import Settings
from interfaces.http.app import create_app
from interfaces.http.schemas import case_funds, cases, donors, notifications
from interfaces.http.schemas.examples import EXAMPLES


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    path = tmp_path_factory.mktemp("openapi") / "a.sqlite"
    return create_app(Settings(database_url=f"sqlite:///{path}", jwt_secret="s" * 40))


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, item in spec["paths"].items()
            for method, op in item.items()]


def _bodies() -> dict[str, type[BaseModel]]:
    return {name: kind for module in (cases, case_funds, donors, notifications)
            for name, kind in vars(module).items()
            if isinstance(kind, type) and issubclass(kind, BaseModel)}


def test_every_request_body_has_an_example_that_is_a_valid_body(app: FastAPI) -> None:
    spec = app.openapi()
    schemas, bodies = spec["components"]["schemas"], _bodies()
    seen = set()
    for method, path, op in _operations(spec):
        if "requestBody" not in op:
            continue
        name = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        examples = schemas[name].get("examples")
        assert examples, (method, path, name)
        for example in examples:
            bodies[name].model_validate(example)  # raises on an example that is no valid body
        seen.add(name)
    assert len(seen) >= 36


def test_every_property_of_every_schema_has_a_description(app: FastAPI) -> None:
    missing = [f"{name}.{field}" for name, schema in app.openapi()["components"]["schemas"].items()
               for field, prop in schema.get("properties", {}).items()
               if not prop.get("description")]
    assert missing == []


def test_every_operation_has_an_explicit_readable_id_of_its_own(app: FastAPI) -> None:
    generated = [route.path for route in app.routes if isinstance(route, APIRoute)
                 and route.include_in_schema and not route.operation_id]
    assert generated == []
    ids = [op["operationId"] for _, _, op in _operations(app.openapi())]
    assert len(ids) == len(set(ids)) and all("api_v1" not in i for i in ids)


def test_the_headers_the_server_sends_are_declared_on_their_responses(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    opened = paths["/api/v1/cases"]["post"]["responses"]
    assert {"ETag", "Location", "Idempotent-Replayed", "X-Request-ID"} <= set(
        opened["201"]["headers"])
    assert "Retry-After" in opened["503"]["headers"]
    received = paths["/api/v1/cases/{case_id}/receipts"]["post"]["responses"]["200"]
    assert {"ETag", "Idempotent-Replayed"} <= set(received["headers"])
    assert "ETag" in paths["/api/v1/cases/{case_id}"]["get"]["responses"]["200"]["headers"]
    opinion = paths["/api/v1/cases/{case_id}/consultations/{agency}/opinion"]["post"]
    assert "agency" in [p["name"] for p in opinion["parameters"]]


def test_no_example_is_left_without_its_body() -> None:
    assert sorted(set(EXAMPLES) - set(_bodies())) == []
