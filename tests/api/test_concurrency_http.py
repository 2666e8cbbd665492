"""Many writers over real HTTP (uvicorn on 127.0.0.1, one client per thread), on each backend.

16 threads record disbursements and expenditures on one case, some with If-Match: what was
acknowledged (200) is exactly what the case holds, nothing is over-spent, and every refusal is
a 409 or 412 problem with a code and a detail. The same command sent at once from several
threads with one Idempotency-Key records exactly one event.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import httpx
import pytest

from interfaces.container import Container
from interfaces.http.app import create_app
from tests.api.support import API, Api, auth
from tests.support.http import TLS
from tests.support.live_server import live_server

THREADS = 16
PER_THREAD = 12  # 192 commands: enough to pass the case's ceiling and to collide
TIMEOUT = httpx.Timeout(30.0)


@pytest.fixture
def base_url(container: Container) -> Iterator[str]:
    container.start()
    with live_server(create_app(container=container)) as url:
        yield url


@pytest.fixture
def api(base_url: str) -> Iterator[Api]:
    with httpx.Client(verify=TLS, base_url=base_url, timeout=TIMEOUT) as client:
        yield Api(client)  # type: ignore[arg-type]  # httpx.Client is what TestClient is


def _movement(amount: str) -> dict[str, Any]:
    return {"amount": {"amount": amount, "currency": "USD"}, "vnd_rate": "25000",
            "aid_account": "VCB-0011-AID", "effective_date": "2025-03-01"}


def test_sixteen_http_writers_lose_nothing_acknowledged_and_never_overspend(
    api: Api, base_url: str
) -> None:
    case_id = api.walk_to("in_implementation")  # 100000 USD approved and received
    head = api.get(f"/cases/{case_id}")
    start_version = head["version"]
    results: list[tuple[str, Decimal, int, dict[str, Any]]] = []
    lock = threading.Lock()
    gate = threading.Barrier(THREADS)

    def writer(n: int) -> None:
        headers = auth("aid_owner")
        with httpx.Client(verify=TLS, base_url=base_url, timeout=TIMEOUT) as client:
            gate.wait()
            seen = start_version
            for i in range(PER_THREAD):
                kind = "disbursements" if (n + i) % 2 == 0 else "expenditures"
                amount = Decimal(900 + 25 * n)  # 192 of them ask for about 1.5x the ceiling
                extra = {"If-Match": f'"{seen}"'} if i % 4 == 3 else {}
                response = client.post(f"{API}/cases/{case_id}/{kind}",
                                       json=_movement(str(amount)),
                                       headers={**headers, **extra})
                body = response.json()
                if response.status_code == 200:
                    seen = body["version"]
                with lock:
                    results.append((kind, amount, response.status_code,
                                    {**body, "content-type": response.headers["content-type"]}))

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(writer, range(THREADS)))

    state = api.get(f"/cases/{case_id}")
    ok = [(kind, amount) for kind, amount, status, _ in results if status == 200]
    acknowledged = {kind: sum((a for k, a in ok if k == kind), Decimal(0))
                    for kind in ("disbursements", "expenditures")}
    totals = {k: Decimal(str(v)) for k, v in state["totals"].items()}
    assert len(results) == THREADS * PER_THREAD
    assert totals["disbursed"] == acknowledged["disbursements"]
    assert totals["spent"] == acknowledged["expenditures"]
    assert totals["disbursed"] + totals["spent"] <= totals["received"] == Decimal(100000)
    assert state["version"] == start_version + len(ok)  # one event per acknowledgement
    assert len(state["transactions"]) - len(head["transactions"]) == len(ok)
    refusals = [(status, body) for _, _, status, body in results if status != 200]
    assert refusals, "the writers asked for more than the case holds: some must be refused"
    for status, body in refusals:
        assert status in (409, 412), (status, body)
        assert body["content-type"] == "application/problem+json"
        assert body["code"] and body["detail"], body
    codes = {body["code"] for _, body in refusals}
    assert codes <= {"overspending", "stale_version", "concurrent_write"}, codes
    assert "overspending" in codes


def test_one_idempotency_key_sent_at_once_from_eight_threads_records_one_event(
    api: Api, base_url: str
) -> None:
    case_id = api.walk_to("in_implementation")
    version = api.get(f"/cases/{case_id}")["version"]
    headers = {**auth("aid_owner"), "Idempotency-Key": "concurrent-k-1"}
    gate = threading.Barrier(8)

    def send(_: int) -> httpx.Response:
        with httpx.Client(verify=TLS, base_url=base_url, timeout=TIMEOUT) as client:
            gate.wait()
            return client.post(f"{API}/cases/{case_id}/disbursements",
                               json=_movement("10"), headers=headers)

    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(send, range(8)))
    firsts = [r for r in responses if r.status_code == 200
              and "Idempotent-Replayed" not in r.headers]
    assert len(firsts) == 1, [(r.status_code, r.text) for r in responses]
    first = firsts[0].json()
    for r in responses:
        if r.status_code == 200:
            assert r.json() == first
        else:  # a retry while the first was still running
            assert r.status_code == 409 and r.json()["code"] == "idempotency_key_in_progress"
    with httpx.Client(verify=TLS, base_url=base_url, timeout=TIMEOUT) as client:
        for _ in range(50):  # and afterwards, 50 retries: the first answer, nothing new
            again = client.post(f"{API}/cases/{case_id}/disbursements", json=_movement("10"),
                                headers=headers)
            assert again.status_code == 200 and again.json() == first
            assert again.headers["Idempotent-Replayed"] == "true"
    state = api.get(f"/cases/{case_id}")
    assert state["version"] == version + 1 == first["version"]
    assert [t["kind"] for t in state["transactions"]].count("disbursed") == 1
