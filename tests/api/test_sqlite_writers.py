"""Many writers at once on SQLite (real HTTP, one client per thread): they queue for the single
writer, so a healthy database answers every one of them, and each command is recorded once.

While they arrive, a long write of the same process (as a large projection batch is) holds the
writer for longer than the library's pool would have waited (5 s) but well within the bounded
turn (``AIDTRAIL_SQLITE_WRITE_WAIT_SECONDS``, 15 s by default)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from infrastructure.settings import Settings
from interfaces.container import Container, build_container
from interfaces.http.app import create_app
from tests.api.support import API, auth
from tests.application.support import walk_to_implementation
from tests.conftest import SHARED, TEST_SECRET
from tests.support.http import TLS
from tests.support.live_server import live_server

WRITERS = 32
PER_WRITER = 2  # one of them with an Idempotency-Key, written in the same transaction
LONG_WRITE = 8.0  # seconds: more than the library pool's 5 s, well within the 15 s turn


@pytest.fixture
def sqlite_container(tmp_path: Path) -> Iterator[Container]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'aidtrail.sqlite'}",
                        jwt_secret=TEST_SECRET, log_format="json", iati_dir=SHARED / "iati",
                        inprocess_projections=True, projection_poll_seconds=0.05)
    container = build_container(settings)
    try:
        yield container
    finally:
        container.close()


def test_thirty_two_sqlite_writers_behind_a_long_write_all_succeed_each_recorded_once(
    sqlite_container: Container,
) -> None:
    cases = [str(walk_to_implementation(sqlite_container.services, received="100000",
                                        reference=f"BN-2025-{n + 1:04d}"))
             for n in range(WRITERS)]
    sqlite_container.start()
    started = threading.Event()
    answers: list[tuple[str, str, int, str]] = []
    lock = threading.Lock()
    gate = threading.Barrier(WRITERS)

    with live_server(create_app(container=sqlite_container)) as base_url:
        def writer(case_id: str) -> None:
            with httpx.Client(verify=TLS, base_url=base_url, timeout=60.0) as client:
                gate.wait()
                for i in range(PER_WRITER):
                    note = uuid.uuid4().hex
                    keyed = {"Idempotency-Key": note} if i % 2 else {}
                    r = client.post(f"{API}/cases/{case_id}/disbursements",
                                    json={"amount": {"amount": "1", "currency": "USD"},
                                          "vnd_rate": "25000", "aid_account": "VCB-1",
                                          "effective_date": "2025-03-01", "note": note},
                                    headers={**auth("aid_owner"), **keyed})
                    with lock:
                        answers.append((case_id, note, r.status_code, r.text))

        def long_write() -> None:
            with sqlite_container.views.transaction():
                started.set()
                time.sleep(LONG_WRITE)

        holder = threading.Thread(target=long_write)
        holder.start()
        started.wait()
        with ThreadPoolExecutor(WRITERS) as pool:
            list(pool.map(writer, cases))
        holder.join()
        with httpx.Client(verify=TLS, base_url=base_url, timeout=60.0) as reading:
            recorded = [t["note"] for case_id in cases
                        for t in reading.get(f"{API}/cases/{case_id}",
                                             headers=auth("viewer")).json()["transactions"]
                        if t["kind"] == "disbursed"]

    refused = [(status, text) for _, _, status, text in answers if status != 200]
    assert not refused, (len(refused), refused[:3])
    assert len(answers) == WRITERS * PER_WRITER
    assert sorted(recorded) == sorted(note for _, note, _, _ in answers)
