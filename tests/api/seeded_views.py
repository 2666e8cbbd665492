"""One app per backend, shared by a module, whose views hold a case in implementation (with
a reviewed report, so the reporting calendar has rows), its donor and another donor."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.settings import Settings
from infrastructure.throwaway_postgres import fresh_schema
from interfaces.container import Container, build_container
from tests.api.support import API, Api, auth
from tests.conftest import BACKENDS, SHARED, TEST_SECRET
from tests.support.apps import app_for

VIEWS = ("cases", "portfolio", "donors", "compliance", "obligations")


@dataclass
class Seeded:
    client: TestClient
    case_id: str
    donor_id: str

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"{API}{path}", params=params, headers=auth("viewer"))


def cursor(sort: str, values: list[Any]) -> str:
    """A cursor as the server writes one, with any values a client may have put in it."""
    raw = json.dumps({"s": sort, "k": values}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.fixture(scope="module", params=BACKENDS)
def module_store(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty store shared by one module's tests: a SQLite file or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('store') / 'aidtrail.sqlite'}"
    else:
        with fresh_schema(request.getfixturevalue("postgres_base_url")) as url:
            yield url


def module_settings(url: str) -> Settings:
    return Settings(database_url=url, jwt_secret=TEST_SECRET, log_format="json",
                    iati_dir=SHARED / "iati", inprocess_projections=True,
                    projection_poll_seconds=0.05, min_position_timeout_seconds=0.05)


@contextmanager
def served(url: str) -> Iterator[tuple[Container, TestClient]]:
    """The app over the store at ``url``, its views caught up in-process; closed after."""
    container = build_container(module_settings(url))
    container.start()
    try:
        with TestClient(app_for(container),
                        raise_server_exceptions=False) as client:
            yield container, client
    finally:
        container.close()


@pytest.fixture(scope="module")
def seeded(module_store: str) -> Iterator[Seeded]:
    with served(module_store) as (container, client):
        api = Api(client)
        case_id = api.walk_to("in_implementation")
        api.report(case_id, "half_year", "2025-01-01", "2025-06-30", "2025-07-10")
        donor_id = api.get(f"/cases/{case_id}", "focal_officer")["donor_id"]
        api.donor()  # a second row, so that the register has a second page
        head = container.runner.head()
        # Each wait is short (reads here must not wait long): retried until caught up.
        assert any(container.wait_for_views(head) for _ in range(1000))
        yield Seeded(client, case_id, donor_id)
