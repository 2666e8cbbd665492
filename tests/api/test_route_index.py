"""The route index hands a request to the route the framework's own scan would choose, and
leaves every request it is not sure of to the framework (``interfaces/http/route_index.py``)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi import routing as fastapi_routing
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.routing import Match

from infrastructure.settings import Settings
from interfaces.http.app import IndexedFastAPI, create_app
from interfaces.http.route_index import IndexedRouter, RouteIndex
from interfaces.http.route_templates import Template
from tests.api.support import Api, auth

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _framework_pick(app: FastAPI, scope: dict[str, Any]) -> Any:
    """The route the framework's router would handle the request with (its own matching)."""
    for route in app.router.routes:
        match, _ = route.matches(dict(scope))
        if match != Match.FULL:
            continue
        while isinstance(route, fastapi_routing._IncludedRouter):
            _, _, inner, context = route._match(dict(scope))
            if context is not None:
                return context.original_route
            route = inner
        return route
    return None


def _sample(path: str) -> str:
    """A concrete path of a template: a UUID for a parameter, two segments for a path one."""
    path = re.sub(r"\{[^}:]+:path\}", "a/b", path)
    path = re.sub(r"\{[^}:]+:int\}", "7", path)
    return re.sub(r"\{[^}]+\}", str(uuid.UUID(int=7)), path)


def _scope(method: str, path: str) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": [],
            "query_string": b""}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    db = tmp_path_factory.mktemp("index") / "aidtrail.db"
    return create_app(Settings(database_url=f"sqlite:///{db}", jwt_secret="s" * 40))


def test_every_route_of_the_app_is_found_as_the_framework_finds_it(app: FastAPI) -> None:
    index = RouteIndex(app)
    paths = {_sample(c.path) for c in fastapi_routing.iter_route_contexts(app.routes)
             if c.path} | {"/", "/cases/new", "/api/v1/cases/", "/nowhere", "/static/x.css"}
    taken = 0
    for path in sorted(paths):
        for method in METHODS:
            scope = _scope(method, path)
            found = index.find(dict(scope))
            if found is None:
                continue
            taken += 1
            assert found[0].original_route is _framework_pick(app, scope), (method, path)
    assert taken >= 70  # nearly every API route and page is looked up, not scanned


def _segments(app: FastAPI) -> list[str]:
    """Every literal segment of the app's paths, and values a parameter may take."""
    words = {part for c in fastapi_routing.iter_route_contexts(app.routes) if c.path
             for part in c.path.strip("/").split("/") if part and "{" not in part}
    return sorted(words) + [str(uuid.UUID(int=7)), "7", "x", ""]


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_any_path_made_of_the_apps_words_is_found_as_the_framework_finds_it(
        app: FastAPI, data: st.DataObject) -> None:
    words = _segments(app)
    templates = sorted({_sample(c.path) for c in fastapi_routing.iter_route_contexts(app.routes)
                        if c.path})
    # A real route's path, some of its segments swapped for other words, cut or lengthened.
    parts = data.draw(st.sampled_from(templates)).strip("/").split("/")
    parts = [data.draw(st.sampled_from(words)) if data.draw(st.integers(0, 3)) == 0 else part
             for part in parts]
    parts = parts[:data.draw(st.integers(0, len(parts)))] if data.draw(st.booleans()) else parts
    parts += data.draw(st.lists(st.sampled_from(words), max_size=2))
    path = "/" + "/".join(parts) + data.draw(st.sampled_from(["", "", "/"]))
    scope = _scope(data.draw(st.sampled_from(METHODS)), path)
    found = RouteIndex(app).find(dict(scope))
    if found is not None:
        assert found[0].original_route is _framework_pick(app, scope), (scope["method"], path)


def test_a_command_route_is_looked_up_and_a_shadowed_page_is_left_to_the_framework(
        app: FastAPI) -> None:
    index = RouteIndex(app)
    disbursement = index.find(_scope("POST", f"/api/v1/cases/{uuid.uuid4()}/disbursements"))
    assert disbursement is not None
    assert disbursement[0].original_route.name == "record_disbursement"
    assert "case_id" in disbursement[1]["path_params"]
    # /cases/new (the form) is added before /cases/{case_id}: only the scan knows the order
    assert index.find(_scope("GET", f"/cases/{uuid.uuid4()}")) is None
    assert index.find(_scope("POST", "/api/v1/cases/")) is None  # the redirect is the scan's


def test_templates_that_may_take_the_same_path_are_told_apart() -> None:
    case = Template.of("/cases/{case_id}")
    assert case.may_share_a_path_with(Template.of("/cases/new"))
    assert not case.may_share_a_path_with(Template.of("/cases/{case_id}/submit"))
    assert not Template.of("/donors/{d}").may_share_a_path_with(case)
    assert Template.of("/static", mount=True).may_share_a_path_with(Template.of("/static/a/b"))
    assert Template.of("/files/{p:path}").may_share_a_path_with(Template.of("/files/a/b/c"))


def test_an_earlier_route_that_may_take_the_path_keeps_its_turn() -> None:
    app = IndexedFastAPI()
    first, second = APIRouter(), APIRouter()

    @first.post("/things/{name}")
    async def any_thing(name: str) -> dict[str, str]:
        return {"route": "any"}

    @second.post("/things/special")
    async def special() -> dict[str, str]:
        return {"route": "special"}

    @second.get("/things/{name}/parts")
    async def parts(name: str) -> dict[str, str]:
        return {"route": "parts"}

    app.include_router(first)
    app.include_router(second)
    with TestClient(app) as client:
        assert client.post("/things/special").json() == {"route": "any"}  # added first
        assert client.get("/things/x/parts").json() == {"route": "parts"}
        assert client.post("/things/x/parts").status_code == 405  # the framework's answer
    index = RouteIndex(app)
    assert index.find(_scope("POST", "/things/special"))[0].original_route.name == "any_thing"
    assert index.find(_scope("GET", "/things/x/parts")) is not None


def test_the_app_serves_commands_and_reads_through_the_index(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    api = Api(client)
    donor = api.donor()
    found: list[str | None] = []
    real = RouteIndex.find

    def recording(self: RouteIndex, scope: dict[str, Any]) -> Any:
        got = real(self, scope)
        found.append(None if got is None else got[0].original_route.name)
        return got

    monkeypatch.setattr(RouteIndex, "find", recording)
    case_id = api.open_case(donor)
    assert api.get(f"/cases/{case_id}")["id"] == case_id
    slash = client.get("/api/v1/cases/", headers=auth("viewer"), follow_redirects=False)
    assert slash.status_code == 307
    assert "open_case" in found and "get_case" in found
    assert found[-1] is None  # the path with a slash: the framework's redirect
    layer: Any = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, IndexedRouter):
        layer = layer.app
    assert len(layer.index or ()) > 70
