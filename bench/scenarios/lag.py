"""Projection lag: commands paced at half the maximum PostgreSQL rate while the projection
worker runs in a subprocess; each acknowledged position is timed until the views reach it."""

from __future__ import annotations

import bisect
import json
import math
import threading
import time
import uuid

import psycopg

from bench import loaders
from bench.harness import API, Bench
from bench.http_load import json_body, percentile
from bench.server import cpu_seconds, worker
from infrastructure.throwaway_postgres import conninfo

Acks = list[tuple[float, int]]  # (when acknowledged, log position)


def lag(bench: Bench, base: str, pg: str, schema: str, env: dict[str, str], max_rate: float,
        cases: list[uuid.UUID]) -> None:
    rate = max(5.0, max_rate / 2)
    body = json_body(loaders.disbursement_body())
    paths = [f"{API}/cases/{c}/disbursements" for c in cases]
    with worker(env, bench.work / "worker.log") as running:
        if not _caught_up(pg, schema, timeout=120):
            raise RuntimeError("the worker did not catch up:\n" + running.tail())
        p50s, p99s, lost, worker_cpu = [], [], 0, []
        for n in range(bench.sizes.repeats + (1 if bench.profile else 0)):
            profiling = n == bench.sizes.repeats
            sampler = bench.sample("lag worker", running.pid, bench.sizes.lag_seconds) \
                if profiling else None
            acks: Acks = []

            def acked(_: int, status: int, payload: bytes, at: float,
                      acks: Acks = acks) -> None:
                if status == 200:
                    acks.append((at, int(json.loads(payload)["position"])))

            spent = cpu_seconds(running.pid)
            with Poller(pg, schema) as poller:
                bench.load(base, lambda i: ("POST", paths[i % len(paths)], body),
                           seconds=bench.sizes.lag_seconds, rate=rate, on_response=acked,
                           warmup=0)
                poller.wait_for(max((p for _, p in acks), default=0), timeout=15)
            spent = cpu_seconds(running.pid) - spent  # until the views reached the last ack
            lags = poller.lags(acks)
            if profiling:
                bench.keep_profile("projection worker during the lag run", sampler)
                continue
            finite = [x for x in lags if not math.isinf(x)]
            lost += len(lags) - len(finite)
            p50s.append(percentile(finite, 50) * 1000)
            p99s.append(percentile(lags, 99) * 1000 if lags else math.nan)
            worker_cpu.append(spent * 1000 / len(acks) if acks else math.nan)
    bench.facts["lag rate"] = rate
    note = f"paced at {rate:.0f} cmd/s (half the PostgreSQL maximum), worker subprocess"
    if lost:
        note += f"; {lost} acks never reached by the projections within 15 s"
    bench.row("lag", "projection lag p50", "ms", p50s, note)
    bench.facts["lag_p99"] = bench.row("lag", "projection lag p99", "ms", p99s).median
    # What the views cost on PostgreSQL: the commands scenario runs no worker beside them.
    views = bench.facts["views cpu postgres"] = bench.row(
        "lag", "projection worker CPU per event", "ms", worker_cpu,
        "every projection, from the first command until the views reached the last").median
    cpu: tuple[float, float, float] = bench.facts.get("cpu PostgreSQL, 1 process",
                                                      (math.nan,) * 3)
    if not any(math.isnan(x) for x in (*cpu, views)):
        bench.row("lag", "PostgreSQL, 1 process: commands per core-second with the views",
                  "cmd/core-s", [1000 / (sum(cpu) + views)],
                  "1000 / (server + PostgreSQL + load generator CPU per command at c=16, and "
                  "the worker's per event here)")


def _caught_up(pg: str, schema: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    with psycopg.connect(conninfo(pg), autocommit=True) as conn:
        while time.monotonic() < deadline:
            head = conn.execute(f"SELECT coalesce(max(notification_id), 0) FROM "
                                f"{schema}.aidtrail_events").fetchone()
            low = conn.execute(f"SELECT coalesce(min(position), 0), count(*) FROM "
                               f"{schema}.projection_tracking").fetchone()
            if head and low and low[1] and low[0] >= head[0]:
                return True
            time.sleep(0.1)
    return False


class Poller:
    """Samples the lowest projection tracking position every few milliseconds."""

    def __init__(self, pg: str, schema: str, interval: float = 0.002) -> None:
        self.conninfo = conninfo(pg)
        self.schema = schema
        self.interval = interval
        self.times: list[float] = []
        self.positions: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Poller:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        sql = f"SELECT coalesce(min(position), 0) FROM {self.schema}.projection_tracking"
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            last = -1
            while not self._stop.is_set():
                row = conn.execute(sql, prepare=True).fetchone()
                position = int(row[0]) if row else 0
                if position != last:
                    self.times.append(time.perf_counter())
                    self.positions.append(position)
                    last = position
                time.sleep(self.interval)

    def wait_for(self, position: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and (not self.positions
                                               or self.positions[-1] < position):
            time.sleep(0.01)

    def lags(self, acks: Acks) -> list[float]:
        out = []
        for at, position in acks:
            k = bisect.bisect_left(self.positions, position)
            out.append(max(0.0, self.times[k] - at) if k < len(self.times) else math.inf)
        return out
