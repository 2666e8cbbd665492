"""One app per backend, shared by every module of a test process, over a store holding the
demo dataset (donors in five provinces, cases in every state, flags and reports due), its
views caught up."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.throwaway_postgres import fresh_schema
from interfaces.container import Container
from interfaces.demo import load_demo
from tests.api.seeded_views import served
from tests.api.support import API, auth
from tests.conftest import BACKENDS

__all__ = ["Demo", "demo", "demo_store"]


@dataclass
class Demo:
    container: Container
    client: TestClient

    def api(self, path: str, provinces: list[str] | None = None, **params: Any) -> Any:
        """What the API answers a viewer of ``provinces`` (every one by default)."""
        response = self.client.get(f"{API}{path}", params=params,
                                   headers=auth("viewer", provinces=provinces))
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="session", params=BACKENDS)
def demo_store(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty store for the demo, one per backend and test process (the pages that read
    it write nothing)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('demo') / 'aidtrail.sqlite'}"
    else:
        with fresh_schema(request.getfixturevalue("postgres_base_url")) as url:
            yield url


@pytest.fixture(scope="session")
def demo(demo_store: str) -> Iterator[Demo]:
    with served(demo_store) as (container, client):
        load_demo(container.services, container.services.clock())
        head = container.runner.head()
        assert container.wait_for_views(head, timeout=300)
        client.follow_redirects = False
        yield Demo(container, client)
