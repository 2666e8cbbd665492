"""What every measurement shares: the sizes of a run, its rows and facts, the load generator
with a token, the py-spy samplers, and children measured in processes of their own."""

from __future__ import annotations

import json
import math
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.frames import top_frames
from bench.http_load import LoadResult, run_load
from bench.profile import Sampler, py_spy
from bench.report import Row
from bench.server import BENCH_SECRET, run_child
from infrastructure.throwaway_postgres import postgres_server
from infrastructure.tokens import issue_token

API = "/api/v1"
Request = tuple[str, str, bytes | None]


@dataclass(frozen=True)
class Sizes:
    cases: int            # portfolio for view queries, rebuild and verify
    repeats: int
    raw_seconds: float
    http_seconds: float
    cmd_cases: int        # commands are spread over this many cases in implementation
    big_case: int         # events of the long case for GET /cases/{id}
    get_seconds: float
    view_seconds: float
    lag_seconds: float
    sweep_seconds: float  # each query of ``view_queries``, once
    sweep_warmup: int = 5  # requests before each of those is measured
    concurrency: int = 16


FULL = Sizes(cases=100_000, repeats=3, raw_seconds=3, http_seconds=8, cmd_cases=256,
             big_case=1000, get_seconds=3, view_seconds=3, lag_seconds=10,
             sweep_seconds=0.5)
SMOKE = Sizes(cases=600, repeats=1, raw_seconds=0.5, http_seconds=1, cmd_cases=16,
              big_case=120, get_seconds=0.5, view_seconds=0.5, lag_seconds=1.5,
              sweep_seconds=0.01, sweep_warmup=1)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def token(role: str) -> str:
    return issue_token(BENCH_SECRET, sub=f"bench-{role}", roles=[role], provinces=["*"])


def own_cpu() -> float:
    """CPU seconds (user + system) of this process: the load generator's."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def postgres() -> Iterator[str]:
    """The server named by AIDTRAIL_BENCH_DATABASE_URL, or one the bench starts and removes."""
    with postgres_server(os.environ.get("AIDTRAIL_BENCH_DATABASE_URL")) as url:
        yield url


class Bench:
    """One run: what to measure at which sizes, and the rows, facts and profiles it gathers."""

    def __init__(self, sizes: Sizes, only: set[str], profile: bool, work: Path) -> None:
        self.sizes = sizes
        self.only = only
        self.profile = profile and py_spy() is not None
        self.work = work
        self.rows: list[Row] = []
        self.facts: dict[str, Any] = {}
        self.setup: list[str] = []
        self.profiles: list[tuple[str, str]] = []
        self.sections: list[tuple[str, str]] = []  # (heading, markdown) after the results
        # CPU seconds used so far by the PostgreSQL cluster (None: not a local server)
        self.pg_cpu: Callable[[], float] | None = None

    def pg_seconds(self) -> float:
        return self.pg_cpu() if self.pg_cpu else float("nan")

    def wants(self, *names: str) -> bool:
        return any(n in self.only for n in names)

    def row(self, group: str, name: str, unit: str, values: list[float], note: str = "",
            available: bool = True) -> Row:
        r = Row(group, name, unit, [v for v in values if not math.isnan(v)], note, available)
        self.rows.append(r)
        return r

    def sample(self, label: str, pid: int, seconds: float) -> Sampler | None:
        if not self.profile:
            return None
        return Sampler(pid, self.work / f"{label.replace(' ', '_').replace('/', '_')}.txt",
                       seconds)

    def keep_profile(self, label: str, sampler: Sampler | None) -> None:
        if sampler is None:
            return
        out = sampler.wait()
        if out is not None:
            self.profiles.append((label, top_frames(out)))

    def load(self, base: str, request_for: Callable[[int], Request], *, seconds: float,
             concurrency: int | None = None, role: str = "aid_owner",
             rate: float | None = None, on_response: Any = None, warmup: int = 20
             ) -> LoadResult:
        return run_load(base, request_for, headers={"Authorization": f"Bearer {token(role)}"},
                        concurrency=concurrency or self.sizes.concurrency,
                        seconds=seconds, max_requests=200_000, rate=rate,
                        on_response=on_response, warmup=warmup)

    def probe(self, base: str, path: str) -> tuple[int, bytes]:
        """One GET as a viewer: its status and body."""
        got: list[tuple[int, bytes]] = []
        run_load(base, lambda i: ("GET", path, None),
                 headers={"Authorization": f"Bearer {token('viewer')}"}, concurrency=1,
                 max_requests=1, seconds=30,
                 on_response=lambda _, s, body, __: got.append((s, body)))
        return got[0] if got else (0, b"")

    def child(self, task: str, env: dict[str, str], args: list[str], label: str | None
              ) -> dict[str, Any]:
        """``bench.child task args`` in its own process; profiled under ``label`` if given."""
        samplers: list[Sampler | None] = []

        def attach(pid: int) -> None:
            samplers.append(self.sample(label or task, pid, 600))

        out = run_child("bench.child", [task, *args, *(["--wait", "1"] if label else [])],
                        env, timeout=1800, on_start=attach if label and self.profile else None)
        if label and samplers:
            self.keep_profile(label, samplers[0])  # py-spy stops when the child exits
        return dict(json.loads(out.strip().splitlines()[-1]))
