"""The targets of a run, judged from its facts, and why a missed one is missed: the CPU
ceiling that run measured (``bench/ceilings.py``) and the causes its profiles found
(``bench/causes.py``)."""

from __future__ import annotations

from typing import Any

from bench import baselines
from bench.causes import WHY
from bench.ceilings import lag_ceiling, rebuild_ceiling
from bench.command_targets import command_targets
from bench.report import Target


def targets(f: dict[str, Any]) -> list[Target]:
    """Each target evaluated from the facts the measurements left."""

    def ratio(a: str, b: str) -> float | None:
        return f[a] / f[b] if f.get(a) and f.get(b) else None

    cores = int(baselines.machine()["cores"])
    return [
        *command_targets(f, cores),
        Target("projection rebuild / raw read+decode", "ratio of events/s",
               ratio("rebuild", "raw_read"), 0.25, True,
               rebuild_ceiling(f, cores) + WHY["rebuild"]),
        Target("GET /cases/{id} p50 at 1,000 events / at 10 events", "ratio of latencies",
               ratio("get_big", "get_small"), 2.0, False, WHY["get"]),
        *(Target(f"view queries p95 at 100,000 cases, {backend} (worst of every filter, "
                 "sort and search)", "milliseconds", f.get(f"views_p95 {backend}"), 20.0,
                 False, WHY["views"]) for backend in ("PostgreSQL", "SQLite")),
        Target("workspace pages p95 at 100,000 cases (worst page)", "milliseconds",
               f.get("pages_p95"), 50.0, False, WHY["pages"]),
        Target("projection lag p99 at half the maximum write rate", "milliseconds",
               f.get("lag_p99"), 250.0, False, lag_ceiling(f, cores) + WHY["lag"]),
        Target("audit verify / raw read+decode", "ratio of events/s",
               ratio("verify", "raw_read"), 0.5, True, WHY["verify"]),
        Target("rebuild peak memory, full size / a tenth", "ratio of peak RSS",
               f.get("rebuild_mem_ratio"), 1.2, False, WHY["memory"]),
    ]
