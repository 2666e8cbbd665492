"""A workspace client whose sessions read a clock the test moves (no sleeping)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from interfaces.container import Container
from tests.support.apps import app_for


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


@pytest.fixture
def web(container: Container, clock: Clock) -> Iterator[TestClient]:
    container.web_sessions.clock = clock
    with TestClient(app_for(container), raise_server_exceptions=False) as c:
        yield c
