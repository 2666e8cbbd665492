"""Keyed commands sent by client threads to a server process that the test may kill, each
retried with the same key and body until it gets an answer; what the store recorded after."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from infrastructure.settings import Settings
from interfaces.container import build_container
from tests.api.support import API, auth
from tests.application.support import walk_to_implementation
from tests.conftest import SHARED, TEST_SECRET
from tests.support.http import TLS
from tests.support.live_server import free_port

CLIENTS = 8
COMMANDS_PER_CLIENT = 25
ATTEMPTS = 1200  # per command: every 50 ms, for longer than any restart (and old 30 s claims)
REQUEST_TIMEOUT = 15.0


class Server:
    """``aidtrail serve`` on one port, which the test kills and starts again."""

    def __init__(self, url: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._env = {**os.environ, "AIDTRAIL_DATABASE_URL": url,
                     "AIDTRAIL_JWT_SECRET": TEST_SECRET, "AIDTRAIL_LOG_FORMAT": "json",
                     "AIDTRAIL_IATI_DIR": str(SHARED / "iati"),
                     "AIDTRAIL_INPROCESS_PROJECTIONS": "false", **(env or {})}
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-c", "from interfaces.cli.main import main; main()", "serve",
             "--port", str(self.port)], env=self._env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        with httpx.Client(verify=TLS, timeout=1.0) as http:
            for _ in range(600):  # until it answers (or died)
                assert self._proc.poll() is None, "the server did not start"
                try:
                    if http.get(f"{self.base_url}/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        raise AssertionError("the server did not answer")

    def kill(self) -> None:
        assert self._proc is not None
        self._proc.kill()  # SIGKILL: no shutdown, no flush, requests cut mid-way
        self._proc.wait(15)

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            self._proc.wait(15)


@contextmanager
def serving(url: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    server = Server(url, env)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Clients:
    """Each thread sends its commands in turn, each retried with its key until answered."""

    server: Server
    acknowledged: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    cut: set[str] = field(default_factory=set)  # keys whose request a kill cut mid-way
    refused: list[tuple[int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, case_id: str) -> None:
        # One client per thread, kept: building an httpx client costs about 30 ms of CPU (its
        # TLS context), and threads building one per attempt starve the restarting server.
        with httpx.Client(verify=TLS, timeout=REQUEST_TIMEOUT) as http:
            for _ in range(COMMANDS_PER_CLIENT):
                self._one(http, case_id)

    def _one(self, http: httpx.Client, case_id: str) -> None:
        key = uuid.uuid4().hex
        status, text = self._send_until_answered(http, case_id, key)
        with self.lock:
            if status == 200:
                self.acknowledged.append(key)
            elif status == -1:
                self.unanswered.append(key)
            else:
                self.refused.append((status, text))

    def _send_until_answered(self, http: httpx.Client, case_id: str, key: str
                             ) -> tuple[int, str]:
        body = {"amount": {"amount": "1", "currency": "USD"}, "vnd_rate": "25000",
                "aid_account": "VCB-0011-AID", "effective_date": "2025-03-01", "note": key}
        headers = {**auth("aid_owner"), "Idempotency-Key": key}
        for _ in range(ATTEMPTS):
            try:
                r = http.post(f"{self.server.base_url}{API}/cases/{case_id}/disbursements",
                              json=body, headers=headers)
            except httpx.ConnectError:  # the server is not back yet
                time.sleep(0.05)
                continue
            except httpx.TransportError:  # the server died under us, the command in flight
                with self.lock:
                    self.cut.add(key)
                time.sleep(0.05)
                continue
            retry = r.status_code == 503 or (
                r.status_code == 409 and r.json().get("code") == "idempotency_key_in_progress")
            if not retry:
                return r.status_code, r.text
            time.sleep(0.05)
        return -1, ""

    def assert_each_recorded_once(self, notes: Counter[str], total: int) -> None:
        """Every command answered, none refused, none recorded twice, none acknowledged lost."""
        twice = {key: n for key, n in notes.items() if n > 1}
        assert not self.refused, self.refused[:3]
        assert not self.unanswered, len(self.unanswered)
        assert len(self.acknowledged) == total
        assert twice == {}, f"{len(twice)} keys recorded more than once"
        assert set(self.acknowledged) <= set(notes), "an acknowledged command is missing"

    def count(self) -> int:
        with self.lock:
            return len(self.acknowledged) + len(self.refused)


def seed(url: str) -> list[str]:
    settings = Settings(database_url=url, jwt_secret=TEST_SECRET, log_format="json",
                        iati_dir=SHARED / "iati", inprocess_projections=False)
    container = build_container(settings, migrate=True)
    try:
        return [str(walk_to_implementation(container.services, received="100000",
                                           reference=f"BN-2025-{n + 1:04d}"))
                for n in range(CLIENTS)]
    finally:
        container.close()


def recorded_notes(url: str, cases: list[str]) -> Counter[str]:
    settings = Settings(database_url=url, jwt_secret=TEST_SECRET, log_format="json",
                        iati_dir=SHARED / "iati", inprocess_projections=False)
    container = build_container(settings, migrate=False)
    try:
        return Counter(t.get("note") for case_id in cases
                       for t in container.services.get_case(uuid.UUID(case_id)).transactions
                       if t["kind"] == "disbursed")
    finally:
        container.close()
