"""View reads: the filtered case list (and its second page), the portfolio and compliance,
each measured several times and profiled."""

from __future__ import annotations

import json

from bench.harness import API, Bench

PROBES = [
    ("views/cases filtered", f"{API}/views/cases?province=BN&status=draft&limit=50"),
    ("views/portfolio", f"{API}/views/portfolio"),
    ("views/compliance", f"{API}/views/compliance"),
]


def views(bench: Bench, base: str, pid: int) -> None:
    """Rows per route, each the median of the runs (``view_queries`` measures every query)."""
    profiled = False
    for label, path in PROBES:
        status, payload = bench.probe(base, path)
        if status != 200:
            bench.row("views", f"{label}: p95", "ms", [], f"HTTP {status} at {path}",
                      available=False)
            continue
        for p in _pages(bench, base, label, path, payload):
            name = label + (" (page 2)" if p != path else "")
            _route(bench, base, name, p)
            if not profiled:
                profiled = _profile(bench, base, pid, p)


def _pages(bench: Bench, base: str, label: str, path: str, payload: bytes) -> list[str]:
    """The route, and for the case list its second page when the first names a cursor."""
    paths = [path]
    cursor = next_cursor(payload)
    if label.startswith("views/cases") and cursor:
        second = f"{path}&cursor={cursor}"
        if bench.probe(base, second)[0] == 200:
            paths.append(second)
    return paths


def _route(bench: Bench, base: str, name: str, path: str) -> None:
    """The p50 and p95 rows of one route."""
    results = [bench.load(base, lambda i: ("GET", path, None), role="viewer",
                          seconds=bench.sizes.view_seconds, concurrency=1)
               for _ in range(bench.sizes.repeats)]
    bench.row("views", f"{name}: p50", "ms",
              [r.percentile(50) * 1000 for r in results], note=path)
    bench.row("views", f"{name}: p95", "ms", [r.percentile(95) * 1000 for r in results])


def _profile(bench: Bench, base: str, pid: int, path: str) -> bool:
    sampler = bench.sample("views", pid, bench.sizes.view_seconds)
    if not sampler:
        return False
    bench.load(base, lambda i: ("GET", path, None), role="viewer",
               seconds=bench.sizes.view_seconds, concurrency=1)
    bench.keep_profile(f"GET {path} (server)", sampler)
    return True


def next_cursor(payload: bytes) -> str | None:
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    for key in ("next_cursor", "cursor", "next"):
        value = data.get(key)
        if isinstance(value, str) and value and "/" not in value:
            return value
    return None
