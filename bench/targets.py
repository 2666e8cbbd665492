"""The targets of a run, judged from its facts, and why a missed one is missed: the CPU
ceiling that run measured (``bench/ceilings.py``) and the causes its profiles found
(``bench/causes.py``)."""

from __future__ import annotations

from typing import Any

from bench import baselines
from bench.causes import WHY
from bench.ceilings import commands_ceiling, rebuild_ceiling
from bench.report import Target


def targets(f: dict[str, Any]) -> list[Target]:
    """Each target evaluated from the facts the measurements left."""

    def ratio(a: str, b: str) -> float | None:
        return f[a] / f[b] if f.get(a) and f.get(b) else None

    # The service as deployed on PostgreSQL: the better of one process and --workers 2.
    best = max(("cmd_pg", "cmd_pg2"), key=lambda k: f.get(k) or 0.0)
    label = "1 process" if best == "cmd_pg" else "serve --workers 2"
    cores = int(baselines.machine()["cores"])
    return [
        Target(f"HTTP command throughput (PostgreSQL, {label}) / raw INSERT+COMMIT",
               "ratio of rates", ratio(best, "raw_insert"), 0.6, True,
               commands_ceiling(f, f"PostgreSQL, {label}", cores) + WHY["commands"]),
        Target("projection rebuild / raw read+decode", "ratio of events/s",
               ratio("rebuild", "raw_read"), 0.25, True,
               rebuild_ceiling(f, cores) + WHY["rebuild"]),
        Target("GET /cases/{id} p50 at 1,000 events / at 10 events", "ratio of latencies",
               ratio("get_big", "get_small"), 2.0, False, WHY["get"]),
        Target("view queries p95 at 100,000 cases (worst route)", "milliseconds",
               f.get("views_p95"), 20.0, False, WHY["views"]),
        Target("workspace pages p95 at 100,000 cases (worst page)", "milliseconds",
               f.get("pages_p95"), 50.0, False, WHY["pages"]),
        Target("projection lag p99 at half the maximum write rate", "milliseconds",
               f.get("lag_p99"), 250.0, False, WHY["lag"]),
        Target("audit verify / raw read+decode", "ratio of events/s",
               ratio("verify", "raw_read"), 0.5, True, WHY["verify"]),
        Target("rebuild peak memory, full size / a tenth", "ratio of peak RSS",
               f.get("rebuild_mem_ratio"), 1.2, False, WHY["memory"]),
    ]
