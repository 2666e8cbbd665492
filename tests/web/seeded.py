"""One app per backend, shared by a module, over a store holding the demo dataset (donors in
five provinces, cases in every state, flags and reports due), its views caught up."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from interfaces.container import Container
from interfaces.demo import load_demo
from tests.api.seeded_views import module_store, served
from tests.api.support import API, auth

__all__ = ["Demo", "demo", "module_store"]


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


@pytest.fixture(scope="module")
def demo(module_store: str) -> Iterator[Demo]:
    with served(module_store) as (container, client):
        load_demo(container.services, container.services.clock())
        head = container.runner.head()
        # Each wait is short (reads here must not wait long): retried until caught up.
        assert any(container.wait_for_views(head) for _ in range(1000))
        client.follow_redirects = False
        yield Demo(container, client)
