"""Commands over HTTP: ``POST /cases/{id}/disbursements`` round-robin over cases in
implementation, with the CPU each command costs the server, PostgreSQL and the load generator.

Each repeat is one interleaved set: the raw INSERT+COMMIT baseline (PostgreSQL), the commands
at concurrency 1, then at concurrency 16, with the load average before and after; the ratios
are taken within each set (so a busy moment of the shared machine weighs on both sides), and
a set taken with the load average above the core count is counted as noisy."""

from __future__ import annotations

import os
import statistics
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from bench import baselines, loaders
from bench.harness import API, Bench, Request, own_cpu
from bench.http_load import LoadResult, json_body
from bench.server import context_switches, cpu_seconds

C1_SHARE = 0.5  # the concurrency-1 run lasts this share of the concurrency-16 run


@dataclass
class _Runs:
    results: list[LoadResult] = field(default_factory=list)
    c1: list[float] = field(default_factory=list)       # cmd/s at concurrency 1
    cpu1: list[float] = field(default_factory=list)     # server ms per request at 1
    raw: list[float] = field(default_factory=list)      # raw INSERT+COMMIT rows/s, same set
    cpu: list[float] = field(default_factory=list)      # ms per request, per process
    pg_cpu: list[float] = field(default_factory=list)
    gen_cpu: list[float] = field(default_factory=list)
    worker_cpu: list[float] = field(default_factory=list)  # ms per request, `aidtrail worker`
    switches: list[float] = field(default_factory=list)  # server's, per request at 16
    behind: list[float] = field(default_factory=list)  # the views' backlog after c=16
    with_views: list[float] = field(default_factory=list)  # ms per request, views caught up
    load: list[tuple[float, float]] = field(default_factory=list)  # 1-min load avg around

    def noisy(self, cores: int) -> int:
        return sum(1 for before, after in self.load if max(before, after) > cores)


def raw_baseline(conninfo: str, schema: str, seconds: float) -> Callable[[], float]:
    """The raw INSERT+COMMIT rate, measured again each time it is called."""
    return lambda: baselines.raw_insert_commit(conninfo, schema, seconds)["rate"]


def commands(bench: Bench, base: str, pid: int, cases: list[uuid.UUID], label: str,
             raw: Callable[[], float] | None = None,
             settle: Callable[[], None] | None = None,
             worker: int | None = None, behind: Callable[[], int] | None = None) -> float:
    """Measure ``label`` (the server at ``base``, process ``pid``); returns its cmd/s.
    ``settle`` is called before each set (the projections catching up); ``worker`` is the
    process id of an `aidtrail worker` running the projections beside the server, whose CPU
    is counted too; ``behind`` tells how many events the projections have still to apply
    when the c=16 run ends (work its CPU rows do not count)."""
    body = json_body(loaders.disbursement_body())
    paths = [f"{API}/cases/{c}/disbursements" for c in cases]

    def request_for(i: int) -> Request:
        return "POST", paths[i % len(paths)], body

    seconds = bench.sizes.http_seconds
    runs = _Runs()
    for _ in range(bench.sizes.repeats):
        if settle is not None:
            settle()
        before = os.getloadavg()[0]
        if raw is not None:
            runs.raw.append(raw())
        cpu = cpu_seconds(pid)
        one = bench.load(base, request_for, seconds=seconds * C1_SHARE, concurrency=1)
        runs.c1.append(one.throughput)
        runs.cpu1.append((cpu_seconds(pid) - cpu) * 1000 / max(1, one.ok + one.errors))
        cpu, pg, gen = cpu_seconds(pid), bench.pg_seconds(), own_cpu()
        beside = 0.0 if worker is None else cpu_seconds(worker)
        switches = context_switches(pid)
        r = bench.load(base, request_for, seconds=seconds)
        runs.results.append(r)
        runs.switches.append((context_switches(pid) - switches) / max(1, r.ok + r.errors))
        if behind is not None:
            runs.behind.append(float(behind()))
        per = 1000 / max(1, r.ok + r.errors)  # ms per request (warm-up included)
        runs.cpu.append((cpu_seconds(pid) - cpu) * per)
        runs.pg_cpu.append((bench.pg_seconds() - pg) * per)
        runs.gen_cpu.append((own_cpu() - gen) * per)
        if worker is not None:
            runs.worker_cpu.append((cpu_seconds(worker) - beside) * per)
        runs.load.append((before, os.getloadavg()[0]))
        if behind is not None and settle is not None:
            settle()  # the views' backlog of this run, applied now, counted here
            views = 0.0 if worker is None else cpu_seconds(worker) - beside
            runs.with_views.append((cpu_seconds(pid) - cpu + views) * per)
    rate = _rows(bench, runs, label, len(cases))
    sampler = bench.sample(f"commands {label}", pid, seconds)
    aside = None if worker is None else bench.sample(f"commands {label} worker", worker,
                                                     seconds)
    if sampler:
        bench.load(base, request_for, seconds=seconds)
        bench.keep_profile(f"HTTP commands, {label} (server process)", sampler)
        bench.keep_profile(f"HTTP commands, {label} (the projection worker)", aside)
    return rate


def _rows(bench: Bench, runs: _Runs, label: str, cases: int) -> float:
    results = runs.results
    errors = sum(r.errors for r in results)
    statuses: dict[int, int] = {}
    for r in results:
        for k, v in r.statuses.items():
            statuses[k] = statuses.get(k, 0) + v
    cores = int(baselines.machine()["cores"])
    noisy = runs.noisy(cores)
    note = f"{cases} cases round-robin" + (f"; non-2xx {statuses}" if errors else "") + (
        f"; NOISY: {noisy} of {len(runs.load)} sets with the load above {cores}" if noisy else "")
    c16 = [r.throughput for r in results]
    rate = bench.row("commands", f"{label}: record_disbursement, c=16", "cmd/s", c16,
                     note).median
    bench.facts.setdefault("commands", {})[label] = rate
    bench.facts[f"c=1 {label}"] = bench.row(
        "commands", f"{label}: record_disbursement, c=1", "cmd/s", runs.c1).median
    bench.facts[f"p50 {label}"] = bench.row(
        "commands", f"{label}: p50", "ms", [r.percentile(50) * 1000 for r in results]).median
    p99 = bench.row("commands", f"{label}: p99", "ms",
                    [r.percentile(99) * 1000 for r in results]).median
    scaling = bench.row("commands", f"{label}: c=16 / c=1, same set", "ratio",
                        [a / b for a, b in zip(c16, runs.c1, strict=True) if b]).median
    bench.facts[f"scaling {label}"], bench.facts[f"p99 {label}"] = scaling, p99
    if runs.raw:
        bench.facts[f"vs raw {label}"] = bench.row(
            "commands", f"{label}: c=16 / raw INSERT+COMMIT, same set", "ratio",
            [a / b for a, b in zip(c16, runs.raw, strict=True) if b],
            f"raw rows/s in these sets: {statistics.median(runs.raw):,.0f}").median
    bench.row("commands", f"{label}: load average before / after", "load",
              [x for pair in runs.load for x in pair], f"{cores} cores")
    _cpu_rows(bench, runs, label)
    return rate


def _cpu_rows(bench: Bench, runs: _Runs, label: str) -> None:
    server = bench.row("commands", f"{label}: server CPU per command", "ms", runs.cpu,
                       "user+system of the uvicorn process(es), warm-up included").median
    bench.facts[f"cpu c=1 {label}"] = bench.row(
        "commands", f"{label}: server CPU per command, c=1", "ms", runs.cpu1).median
    bench.row("commands", f"{label}: server context switches per command", "switches",
              runs.switches, "voluntary, every thread of the server process(es), c=16")
    gen = bench.row("commands", f"{label}: load generator CPU per command", "ms", runs.gen_cpu,
                    "the bench process").median
    pg, pg_cpu = float("nan"), [0.0] * len(runs.cpu)
    if not label.startswith("SQLite") and bench.pg_cpu:
        pg = bench.row("commands", f"{label}: PostgreSQL CPU per command", "ms", runs.pg_cpu,
                       "every process of the cluster, from /proc").median
        pg_cpu = runs.pg_cpu
    if runs.behind:
        bench.row("commands", f"{label}: projections behind at the end of c=16", "events",
                  runs.behind, "applied after the set: its CPU is in no row above")
    if runs.with_views:
        bench.row("commands", f"{label}: CPU per command with its views", "ms",
                  runs.with_views, "server and worker, from the start of c=16 until the "
                  "views had caught up")
    worker_cpu, counted = [0.0] * len(runs.cpu), "server + PostgreSQL + load generator"
    if runs.worker_cpu:
        bench.facts[f"worker cpu {label}"] = bench.row(
            "commands", f"{label}: worker CPU per command", "ms", runs.worker_cpu,
            "`aidtrail worker` running the projections, over the same seconds").median
        worker_cpu, counted = runs.worker_cpu, "server + worker + load generator"
    per_core = [1000 / (s + p + g + w) for s, p, g, w in
                zip(runs.cpu, pg_cpu, runs.gen_cpu, worker_cpu, strict=True) if s + p + g + w > 0]
    bench.facts[f"per core {label}"] = bench.row(
        "commands", f"{label}: commands per core-second", "cmd/core-s", per_core,
        f"1000 / ({counted} CPU per command)").median
    bench.facts[f"cpu {label}"] = (server, pg, gen)
