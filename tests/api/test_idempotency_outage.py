"""A keyed command whose database goes away while it runs: neither its events nor its
Idempotency-Key are recorded, and the retry after recovery runs at once (never a 409
`idempotency_key_in_progress`) and is recorded once.

The outage is real on each backend: PostgreSQL is a throwaway cluster of the test's own,
stopped and started again; SQLite (no server to lose) is a write lock held by another
connection for longer than the app's bounded wait, then let go.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.settings import Settings
from interfaces.container import build_container
from interfaces.http.app import create_app
from tests.api.support import API, auth
from tests.api.test_faults import Cluster
from tests.application.support import walk_to_implementation
from tests.conftest import BACKENDS, SHARED, TEST_SECRET


class SqliteOutage:
    """Another connection holding the write lock of the SQLite file."""

    def __init__(self, path: Path) -> None:
        self.url = f"sqlite:///{path}"
        self._path = path
        self._holder: sqlite3.Connection | None = None

    def stop(self) -> None:
        self._holder = sqlite3.connect(self._path, isolation_level=None,
                                       check_same_thread=False)
        self._holder.execute("BEGIN IMMEDIATE")

    def start(self) -> None:
        assert self._holder is not None
        self._holder.rollback()
        self._holder.close()

    def close(self) -> None:
        pass


@pytest.fixture(params=BACKENDS)
def outage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cluster | SqliteOutage]:
    made: Cluster | SqliteOutage = (SqliteOutage(tmp_path / "aidtrail.sqlite")
                                    if request.param == "sqlite" else Cluster())
    try:
        yield made
    finally:
        made.close()


def test_a_keyed_command_failing_in_an_outage_runs_at_once_after_recovery_and_once(
    outage: Cluster | SqliteOutage,
) -> None:
    settings = Settings(database_url=outage.url, jwt_secret=TEST_SECRET, log_format="json",
                        iati_dir=SHARED / "iati", inprocess_projections=False,
                        sqlite_write_wait_seconds=1.0)
    container = build_container(settings)
    try:
        case_id = walk_to_implementation(container.services, received="100000")
        handle_case: Callable[..., Any] = container.services.handle_case

        def down_while_running(*args: Any, **kwargs: Any) -> Any:
            outage.stop()  # the command and the recording of its key meet the outage
            return handle_case(*args, **kwargs)

        body = {"amount": {"amount": "7", "currency": "USD"}, "vnd_rate": "25000",
                "aid_account": "VCB-1", "effective_date": "2025-03-01", "note": "retried"}
        headers = {**auth("aid_owner"), "Idempotency-Key": "outage-k-1"}
        path = f"{API}/cases/{case_id}/disbursements"
        with TestClient(create_app(container=container), raise_server_exceptions=False) as c:
            container.services.handle_case = down_while_running  # type: ignore[method-assign]
            failed = c.post(path, json=body, headers=headers)
            container.services.handle_case = handle_case  # type: ignore[method-assign]
            assert failed.status_code == 503, failed.text
            outage.start()
            retried = c.post(path, json=body, headers=headers)
            assert retried.status_code == 200, retried.text
            assert "Idempotent-Replayed" not in retried.headers
            again = c.post(path, json=body, headers=headers)
            assert again.status_code == 200 and again.json() == retried.json()
            assert again.headers["Idempotent-Replayed"] == "true"
            notes = [t["note"] for t in c.get(f"{API}/cases/{case_id}",
                                              headers=auth("viewer")).json()["transactions"]]
        assert notes.count("retried") == 1
    finally:
        container.close()
