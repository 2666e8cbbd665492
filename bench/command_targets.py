"""The targets of the write path (HTTP commands), judged from the facts of the commands
scenario: for the best PostgreSQL configuration measured, and for SQLite."""

from __future__ import annotations

import math
from typing import Any

from bench.causes import WHY
from bench.ceilings import commands_ceiling, latency_ceiling, scaling_ceiling
from bench.report import Target


def _best_postgres(f: dict[str, Any]) -> str | None:
    rates = {k: v for k, v in f.get("commands", {}).items() if k.startswith("PostgreSQL")}
    return max(rates, key=lambda k: rates[k]) if rates else None


def command_targets(f: dict[str, Any], cores: int) -> list[Target]:
    """Throughput against raw INSERT+COMMIT, CPU per command, scaling from concurrency 1
    to 16 and the p99 at 16; for the best PostgreSQL configuration and for SQLite."""
    out: list[Target] = []
    measured = f.get("commands", {})
    sqlite = [x for x in measured if x.startswith("SQLite")]  # in-process, and with a worker
    for label in [x for x in (_best_postgres(f), *sqlite) if x in measured]:
        assert label is not None
        server, pg, _ = f.get(f"cpu {label}", (math.nan,) * 3)
        why = commands_ceiling(f, label, cores) + WHY["commands"]
        scaling = scaling_ceiling(f, label) + WHY["scaling"]
        if label.startswith("PostgreSQL"):
            out += [
                Target(f"HTTP command throughput ({label}) / raw INSERT+COMMIT, same set",
                       "ratio of rates", f.get(f"vs raw {label}"), 0.6, True, why),
                Target(f"PostgreSQL CPU per command ({label})", "milliseconds", pg, 0.15,
                       False, WHY["pg_cpu"])]
        out += [
            Target(f"server CPU per command ({label})", "milliseconds", server, 0.8, False, why),
            Target(f"commands per core-second ({label})", "1000 / all CPU per command",
                   f.get(f"per core {label}"), 900, True, why),
            Target(f"throughput c=16 / c=1 ({label})", "ratio of rates, same set",
                   f.get(f"scaling {label}"), 3.0, True, scaling),
            Target(f"p99 latency at c=16 ({label})", "milliseconds", f.get(f"p99 {label}"),
                   50.0, False, latency_ceiling(f, label))]
    return out
