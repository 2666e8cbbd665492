"""Faults: the database going away under load, and the projection worker killed mid-rebuild.

Both need PostgreSQL and run only there (SQLite has no server to lose, and its projections
run in-process). The outage test starts a throwaway cluster of its own, never the shared one.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from domain.money import Money
from infrastructure.settings import Settings
from interfaces.container import Container, build_container
from interfaces.http.app import create_app
from tests.api.support import API, Api, auth
from tests.application.support import OWNER, walk_to_implementation
from tests.conftest import SHARED, TEST_SECRET
from tests.support.cluster import Cluster
from tests.support.http import TLS
from tests.support.live_server import live_server

REQUEST_TIMEOUT = 15.0  # far above the app's own (5 s to get a connection): a hang shows


# --- the PostgreSQL server stopped and restarted under load ------------------------------------

@dataclass
class Outcome:
    status: int
    seconds: float
    at: float
    note: str
    code: str | None = None
    content_type: str = ""
    retry_after: str | None = None


@dataclass
class Load:
    """Client threads each recording 1 USD disbursements on a case of their own, each with a
    unique note, until told to stop."""

    base_url: str
    cases: list[str]
    stop: threading.Event = field(default_factory=threading.Event)
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, case_id: str) -> None:
        headers = auth("aid_owner")
        with httpx.Client(verify=TLS, base_url=self.base_url, timeout=REQUEST_TIMEOUT) as client:
            while not self.stop.is_set():
                note = uuid.uuid4().hex
                body = {"amount": {"amount": "1", "currency": "USD"}, "vnd_rate": "25000",
                        "aid_account": "VCB-0011-AID", "effective_date": "2025-03-01",
                        "note": note}
                # Half carry an Idempotency-Key: its store is another connection to lose.
                keyed = {"Idempotency-Key": note} if int(note, 16) % 2 else {}
                started = time.monotonic()
                try:
                    r = client.post(f"{API}/cases/{case_id}/disbursements", json=body,
                                    headers={**headers, **keyed})
                except httpx.TransportError as exc:  # the server hung or dropped us
                    self._add(Outcome(-1, time.monotonic() - started, started, note,
                                      code=type(exc).__name__))
                    continue
                problem = r.json() if r.headers["content-type"].endswith("json") else {}
                self._add(Outcome(r.status_code, time.monotonic() - started, started, note,
                                  code=problem.get("code"),
                                  content_type=r.headers["content-type"],
                                  retry_after=r.headers.get("Retry-After")))
                if r.status_code != 200:
                    time.sleep(0.05)

    def _add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)

    def since(self, moment: float) -> list[Outcome]:
        with self.lock:
            return [o for o in self.outcomes if o.at >= moment]


def _ready(base_url: str) -> int:
    return httpx.get(f"{base_url}/ready", timeout=REQUEST_TIMEOUT, verify=TLS).status_code


def test_a_postgres_outage_under_load_is_503s_then_recovery_without_losing_an_acknowledgement(
    cluster: Cluster, tmp_path: Path
) -> None:
    settings = Settings(database_url=cluster.url, jwt_secret=TEST_SECRET, log_format="json",
                        iati_dir=SHARED / "iati", inprocess_projections=True,
                        projection_poll_seconds=0.2)
    container = build_container(settings)
    container.start()
    try:
        with live_server(create_app(container=container)) as base_url:
            with httpx.Client(verify=TLS, base_url=base_url, timeout=REQUEST_TIMEOUT) as seeding:
                api = Api(seeding)  # type: ignore[arg-type]
                cases = [api.walk_to("in_implementation") for _ in range(4)]
            load = Load(base_url, cases)
            threads = [threading.Thread(target=load.run, args=(c,), daemon=True) for c in cases]
            for t in threads:
                t.start()
            try:
                time.sleep(1.5)
                before = load.since(0)
                cluster.stop()
                down = time.monotonic()
                # The load goes on against a stopped server, for longer than the app waits for
                # a connection (POSTGRES_CONNECT_TIMEOUT, 5 s): requests in flight when it
                # stopped wait for it that long, then every request is a 503.
                time.sleep(3.0)
                ready_while_down = _ready(base_url)
                live_while_down = httpx.get(f"{base_url}/health", timeout=2.0,
                                            verify=TLS).status_code
                time.sleep(5.0)
                up_started = time.monotonic()
                cluster.start()
                up = time.monotonic()
                deadline = up + 30
                while time.monotonic() < deadline:  # the same app process recovers
                    recent = [o for o in load.since(up) if o.at > up + 0.5]
                    if len(recent) >= 8 and all(o.status == 200 for o in recent[-8:]):
                        break
                    time.sleep(0.2)
                time.sleep(0.5)
            finally:
                load.stop.set()
                for t in threads:
                    t.join(REQUEST_TIMEOUT + 5)
            ready_after = _ready(base_url)
            with httpx.Client(verify=TLS, base_url=base_url, timeout=REQUEST_TIMEOUT) as reading:
                recorded = [t["note"] for case_id in cases
                            for t in reading.get(f"{API}/cases/{case_id}",
                                                 headers=auth("viewer")).json()["transactions"]
                            if t["kind"] == "disbursed"]
    finally:
        container.close()

    outcomes = load.outcomes
    # Answers given while the server was down (a request that waited for its return may
    # have succeeded: it is counted with the others).
    during = [o for o in outcomes if down + 0.5 <= o.at + o.seconds < up_started]
    after = [o for o in outcomes if o.at >= up + 0.5]
    acknowledged = {o.note for o in outcomes if o.status == 200}
    summary = {s: sum(1 for o in outcomes if o.status == s) for s in {o.status for o in outcomes}}
    assert before and all(o.status == 200 for o in before), summary
    # Never a 500, never a hang: a 200 or the deliberate 503 problem, within the timeouts.
    assert {o.status for o in outcomes} <= {200, 503}, summary
    for o in outcomes:
        if o.status == 503:
            assert o.content_type == "application/problem+json", o
            assert o.code == "database_unavailable" and o.retry_after, o
    # Bounded by the connection timeout (5 s), not by the library's ten retries of each call
    # (about 50 s); a request that hung for the whole outage (8 s) would leave `during` empty.
    assert max(o.seconds for o in outcomes) < 15.0, max(o.seconds for o in outcomes)
    assert during and all(o.status == 503 for o in during), [o.status for o in during]
    assert ready_while_down == 503 and ready_after == 200 and live_while_down == 200
    # Recovered without restarting the app, and nothing acknowledged was lost.
    assert len(after) >= 8 and all(o.status == 200 for o in after[-8:]), \
        [o.status for o in after]
    assert acknowledged <= set(recorded), len(acknowledged - set(recorded))
    assert len(recorded) == len(set(recorded)), "a command was recorded twice"
    assert len(acknowledged) > len(before)


# --- the projection worker killed during a rebuild ---------------------------------------------

EVENTS_PER_CASE = 2000


def _seed_events(container: Container, cases: int = 4) -> int:
    """A few thousand events: cases with hundreds of disbursements each, saved in bulk."""
    services = container.services
    for n in range(cases):
        case_id = walk_to_implementation(services, received="1000000",
                                         reference=f"BN-2025-{n + 1:04d}")
        case = services.get_case(case_id)
        on = date(2025, 3, 1)
        profile = services.profile_for(case, on)
        for i in range(EVENTS_PER_CASE):
            case.record_disbursement(amount=Money.of("1", "USD"), vnd_rate=Decimal("25000"),
                                     aid_account="VCB-1", profile=profile, actor=OWNER,
                                     effective_date=on)
            if i % 50 == 49:  # saved in batches: one insert of 700 events can stall psycopg's
                container.app.save(case)  # pipeline (seen once; reported, not ours to fix)
        container.app.save(case)
    return container.runner.head()


def _cli(url: str, *args: str, log: Path | None = None) -> subprocess.Popen[bytes]:
    """``aidtrail ARGS`` in a process of its own; its log lines to ``log`` if given."""
    env = {**os.environ, "AIDTRAIL_DATABASE_URL": url, "AIDTRAIL_JWT_SECRET": TEST_SECRET,
           "AIDTRAIL_LOG_FORMAT": "json", "AIDTRAIL_PROJECTION_POLL_SECONDS": "0.1"}
    with open(log or os.devnull, "wb") as out:
        return subprocess.Popen([sys.executable, "-c",
                                 "from interfaces.cli.main import main; main()", *args],
                                env=env, stdout=subprocess.DEVNULL, stderr=out)


def _positions(container: Container) -> dict[str, int]:
    return container.runner.positions()


@pytest.mark.slow
def test_a_worker_killed_at_random_points_of_a_rebuild_ends_identical_to_a_clean_replay(
    postgres_url: str,
) -> None:
    rng = random.Random(20251123)  # noqa: S311 - reproducible kill moments
    settings = Settings(database_url=postgres_url, jwt_secret=TEST_SECRET, log_format="json",
                        inprocess_projections=False)
    container = build_container(settings)
    try:
        head = _seed_events(container)
        assert head >= 2500
        container.runner.catch_up()
        kills: list[dict[str, int]] = []
        for attempt in range(4):
            # A rebuild of everything, or the worker catching up after one: killed when
            # it has made some progress, at a random moment after that.
            if attempt % 2 == 0:
                proc = _cli(postgres_url, "projections", "rebuild", "--all")
            else:
                for name in container.runner.projections:
                    container.runner.reset(name)
                proc = _cli(postgres_url, "worker")
            start = _positions(container)
            deadline = time.monotonic() + 60
            while _positions(container) == start and proc.poll() is None:
                assert time.monotonic() < deadline, "no progress"
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.4))
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            kills.append(_positions(container))
        # Kills landed part-way: some projection was neither empty nor at the head.
        assert any(0 < p < head for k in kills for p in k.values()), kills
        worker = _cli(postgres_url, "worker")  # then let it finish
        try:
            deadline = time.monotonic() + 120
            while min(_positions(container).values()) < head:
                assert worker.poll() is None, "the worker died"
                assert time.monotonic() < deadline, _positions(container)
                time.sleep(0.1)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(15)
        for name in container.runner.projections:
            assert container.runner.verify(name) == [], name
    finally:
        container.close()


def _at_head(container: Container, timeout: float, *alive: subprocess.Popen[bytes]) -> None:
    head, deadline = container.runner.head(), time.monotonic() + timeout
    while min(_positions(container).values()) < head:
        assert all(p.poll() is None for p in alive), "a worker died"
        assert time.monotonic() < deadline, (head, _positions(container))
        time.sleep(0.05)


def test_a_sqlite_worker_killed_is_replaced_by_its_standby_and_the_views_match_a_replay(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.sqlite'}"
    container = build_container(Settings(database_url=url, jwt_secret=TEST_SECRET,
                                         inprocess_projections=False))
    first = second = None
    try:
        walk_to_implementation(container.services, reference="BN-2025-0001")
        first = _cli(url, "worker")
        _at_head(container, 60, first)  # the first worker holds the file's projections
        second = _cli(url, "worker", log=tmp_path / "second.log")
        deadline = time.monotonic() + 60
        while b"worker started" not in (tmp_path / "second.log").read_bytes():
            assert second.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.3)  # its first try at the lease, which the first holds
        assert b"projections active" not in (tmp_path / "second.log").read_bytes()
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        walk_to_implementation(container.services, reference="BN-2025-0002")
        _at_head(container, 60, second)  # so the standby took them over
        assert b"projections active" in (tmp_path / "second.log").read_bytes()
        for name in container.runner.projections:
            assert container.runner.verify(name) == [], name
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(15)
        container.close()
