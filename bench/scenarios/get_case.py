"""``GET /cases/{id}`` of a short and a long case: repeated reads (the rendered-state cache
warm) and, for the long case, cold reads of versions not read before."""

from __future__ import annotations

import uuid
from typing import Any

from bench.harness import API, Bench


def get_case(bench: Bench, base: str, pid: int, case_id: uuid.UUID, events: int) -> float:
    """Rows for the case ``case_id`` of ``events`` events; returns its warm p50 in ms."""
    sizes: list[int] = []

    def seen(_: int, status: int, payload: bytes, __: float) -> None:
        if not sizes:
            sizes.append(len(payload))

    results = [bench.load(base, lambda i: ("GET", f"{API}/cases/{case_id}", None),
                          seconds=bench.sizes.get_seconds, concurrency=1, role="viewer",
                          on_response=seen) for _ in range(bench.sizes.repeats)]
    p50 = bench.row("get", f"GET /cases/{{id}}, {events} events: p50", "ms",
                    [r.percentile(50) * 1000 for r in results],
                    note=f"response {sizes[0] if sizes else 0:,} bytes; concurrency 1").median
    bench.row("get", f"GET /cases/{{id}}, {events} events: p99", "ms",
              [r.percentile(99) * 1000 for r in results])
    if events >= 1000 or events == bench.sizes.big_case:
        _cold(bench, base, case_id, events)
        sampler = bench.sample("get big", pid, bench.sizes.get_seconds + 1)
        if sampler:
            bench.load(base, lambda i: ("GET", f"{API}/cases/{case_id}", None),
                       seconds=bench.sizes.get_seconds + 1, concurrency=1, role="viewer")
            bench.keep_profile(f"GET /cases/{{id}} at {events} events (server)", sampler)
    return p50


def _cold(bench: Bench, base: str, case_id: uuid.UUID, events: int) -> None:
    """Cold reads: each request names a version not read before, so the rendered-state
    cache cannot help (the cost of the first read after a write)."""
    stride = max(1, (events - 1) // max(1, bench.sizes.repeats))

    def unread(r: int, i: int) -> int:
        return events - 1 - (r * stride + i) % (events - 1)

    def request(r: int) -> Any:
        return lambda i: ("GET", f"{API}/cases/{case_id}?version={unread(r, i)}", None)

    cold = [bench.load(base, request(r), seconds=bench.sizes.get_seconds, concurrency=1,
                       role="viewer") for r in range(bench.sizes.repeats)]
    bench.row("get", f"GET /cases/{{id}}, {events} events, cold (unread version): p50",
              "ms", [c.percentile(50) * 1000 for c in cold],
              note="each request a version not read before: no cache")
