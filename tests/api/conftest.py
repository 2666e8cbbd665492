"""An HTTP client over the real app, on each backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from interfaces.container import Container
from tests.api.notify_support import (  # noqa: F401  (a real SMTP server and HTTP receiver)
    mailbox,
    receiver,
)
from tests.api.seeded_views import (  # noqa: F401  (module-wide stores and a seeded app)
    module_store,
    seeded,
)
from tests.support.apps import app_for
from tests.support.cluster import cluster  # noqa: F401  (a PostgreSQL the test may stop)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    container.start()  # the views are caught up in-process on both backends in the tests
    with TestClient(app_for(container), raise_server_exceptions=False) as c:
        yield c
