"""The same-run baselines: raw psycopg INSERT+COMMIT, a bare FastAPI endpoint, and raw
reading and decoding of the log."""

from __future__ import annotations

from collections.abc import Callable

from bench import baselines
from bench.harness import Bench, Request
from bench.http_load import LoadResult
from bench.server import app_env, cpu_seconds, uvicorn_server
from infrastructure.throwaway_postgres import conninfo


def raw_insert(bench: Bench, pg: str, schema: str) -> None:
    rates, p50s = [], []
    for _ in range(bench.sizes.repeats):
        r = baselines.raw_insert_commit(conninfo(pg), schema, bench.sizes.raw_seconds)
        rates.append(r["rate"])
        p50s.append(r["p50_ms"])
    bench.facts["raw_insert"] = bench.row("baseline", "raw INSERT+COMMIT, 1 row/tx, 1 conn",
                                          "rows/s", rates).median
    bench.row("baseline", "raw INSERT+COMMIT latency p50", "ms", p50s)


def _posting(path: str) -> Callable[[int], Request]:
    return lambda i: ("POST", path, b'{"a":1}')


def bare_http(bench: Bench) -> None:
    """The framework's floor: bare FastAPI ``def`` and ``async`` endpoints, in turn, one server."""
    env = app_env("sqlite:///:memory:")
    runs: dict[str, tuple[list[LoadResult], list[float]]] = {"def": ([], []), "async": ([], [])}
    with uvicorn_server("bench.bare_app:bare", env, bench.work / "bare.log") as served:
        for _ in range(bench.sizes.repeats):
            for kind, path in (("def", "/bare"), ("async", "/bare-async")):
                results, cpu = runs[kind]
                before = cpu_seconds(served.pid)
                results.append(bench.load(served.base, _posting(path),
                                          seconds=bench.sizes.http_seconds))
                cpu.append((cpu_seconds(served.pid) - before) * 1000
                           / max(1, results[-1].ok + results[-1].errors))
    for kind, (results, cpu) in runs.items():
        label = f"bare FastAPI {kind} endpoint"
        bench.row("baseline", f"{label}, c={bench.sizes.concurrency}", "req/s",
                  [r.throughput for r in results])
        bench.row("baseline", f"{label} p50", "ms", [r.percentile(50) * 1000 for r in results])
        bench.facts[f"bare {kind} cpu"] = bench.row(
            "baseline", f"{label}: server CPU per request", "ms", cpu,
            "user+system of the uvicorn process").median


def raw_read(bench: Bench, pg: str, schema: str) -> None:
    results = [baselines.raw_read_decode(conninfo(pg), schema)
               for _ in range(bench.sizes.repeats)]
    bench.facts["raw_read"] = bench.row(
        "baseline", "raw read + JSON decode, pages of 1000", "events/s",
        [r["rate"] for r in results], note=f"{results[0]['events']:,} events").median
