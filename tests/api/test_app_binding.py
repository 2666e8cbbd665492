"""An app bound again to another container serves that container and keeps nothing of the
first: what lets the tests build one app per process (``tests/support/apps.py``)."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from domain.errors import NotFoundError
from infrastructure.settings import Settings
from interfaces.container import Container, build_container
from interfaces.http.app import bind_container, create_app
from tests.api.support import Api


def test_an_app_bound_to_another_container_serves_its_store_and_holds_nothing_of_the_first(
    settings: Settings, container: Container, tmp_path: Path,
) -> None:
    first = build_container(settings.model_copy(
        update={"database_url": f"sqlite:///{tmp_path / 'first.sqlite'}"}))
    try:
        app = create_app(container=first)
        bind_container(app, container)
        held = list(vars(app.state)["_state"].values())
        parts = [first, *vars(first).values()]
        assert not [v for v in held if any(v is p for p in parts)]
        assert not [v for v in held if getattr(v, "container", None) is first]
        container.start()
        with TestClient(app, raise_server_exceptions=False) as client:
            donor = Api(client).donor()
        assert container.services.get_donor(UUID(donor)).id == UUID(donor)
        with pytest.raises(NotFoundError):
            first.services.get_donor(UUID(donor))
    finally:
        first.close()
