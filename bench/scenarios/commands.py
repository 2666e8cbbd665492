"""Commands over HTTP: ``POST /cases/{id}/disbursements`` round-robin over cases in
implementation, with the CPU each command costs the server, PostgreSQL and the load generator."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from bench import loaders
from bench.harness import API, Bench, Request, own_cpu
from bench.http_load import LoadResult, json_body
from bench.server import cpu_seconds


@dataclass
class _Runs:
    results: list[LoadResult] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)      # ms per request, per process
    pg_cpu: list[float] = field(default_factory=list)
    gen_cpu: list[float] = field(default_factory=list)


def commands(bench: Bench, base: str, pid: int, cases: list[uuid.UUID], label: str) -> float:
    """Measure ``label`` (the server at ``base``, process ``pid``); returns its cmd/s."""
    body = json_body(loaders.disbursement_body())
    paths = [f"{API}/cases/{c}/disbursements" for c in cases]

    def request_for(i: int) -> Request:
        return "POST", paths[i % len(paths)], body

    runs = _Runs()
    for _ in range(bench.sizes.repeats):
        before, pg_before, gen_before = cpu_seconds(pid), bench.pg_seconds(), own_cpu()
        r = bench.load(base, request_for, seconds=bench.sizes.http_seconds)
        runs.results.append(r)
        per = 1000 / max(1, r.ok + r.errors)  # ms per request (warm-up included)
        runs.cpu.append((cpu_seconds(pid) - before) * per)
        runs.pg_cpu.append((bench.pg_seconds() - pg_before) * per)
        runs.gen_cpu.append((own_cpu() - gen_before) * per)
    rate = _rows(bench, runs, label, len(cases))
    sampler = bench.sample(f"commands {label}", pid, bench.sizes.http_seconds)
    if sampler:
        bench.load(base, request_for, seconds=bench.sizes.http_seconds)
        bench.keep_profile(f"HTTP commands, {label} (server process)", sampler)
    return rate


def _rows(bench: Bench, runs: _Runs, label: str, cases: int) -> float:
    results = runs.results
    errors = sum(r.errors for r in results)
    statuses: dict[int, int] = {}
    for r in results:
        for k, v in r.statuses.items():
            statuses[k] = statuses.get(k, 0) + v
    note = f"{cases} cases round-robin" + (f"; non-2xx {statuses}" if errors else "")
    rate = bench.row("commands", f"{label}: record_disbursement", "cmd/s",
                     [r.throughput for r in results], note).median
    bench.row("commands", f"{label}: p50", "ms", [r.percentile(50) * 1000 for r in results])
    bench.row("commands", f"{label}: p99", "ms", [r.percentile(99) * 1000 for r in results])
    server = bench.row("commands", f"{label}: server CPU per command", "ms", runs.cpu,
                       "user+system of the uvicorn process(es), warm-up included").median
    gen = bench.row("commands", f"{label}: load generator CPU per command", "ms", runs.gen_cpu,
                    "the bench process").median
    pg = float("nan")
    if not label.startswith("SQLite") and bench.pg_cpu:
        pg = bench.row("commands", f"{label}: PostgreSQL CPU per command", "ms", runs.pg_cpu,
                       "every process of the cluster, from /proc").median
    bench.facts[f"cpu {label}"] = (server, pg, gen)
    return rate
