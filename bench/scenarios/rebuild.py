"""Projection rebuild, in processes of their own: every view emptied and fed in one pass, at
a tenth and at full size, with the CPU and peak memory it takes."""

from __future__ import annotations

from typing import Any

from bench.harness import Bench


def rebuild(bench: Bench, env: dict[str, str], head: int) -> None:
    tenth = max(1, head // 10)
    full, small = [], []
    if bench.profile:  # the same code path on a tenth of the log: a cheaper sample
        bench.child("rebuild", env, ["--until", str(tenth)], "projection rebuild")
    pg_cpu = []
    for _ in range(bench.sizes.repeats):
        small.append(bench.child("rebuild", env, ["--until", str(tenth)], None))
        pg_before = bench.pg_seconds()
        full.append(bench.child("rebuild", env, [], None))  # last: leaves views at head
        pg_cpu.append((bench.pg_seconds() - pg_before) / full[-1]["events"] * 1e6)
    projections = ", ".join(full[0]["projections"])
    rate = bench.row("rebuild", f"rebuild all projections, {full[0]['events']:,} events",
                     "events/s", [r["events"] / r["seconds"] for r in full],
                     note=f"one pass feeding: {projections}").median
    bench.row("rebuild", f"rebuild, {small[0]['events']:,} events (a tenth)", "events/s",
              [r["events"] / r["seconds"] for r in small])
    _cpu_rows(bench, full, pg_cpu)
    peak_full = bench.row("rebuild", "peak RSS, full size", "MiB",
                          [r["maxrss_kib"] / 1024 for r in full],
                          note=f"process after imports and setup: "
                               f"{full[0]['rss_before_kib'] / 1024:.0f} MiB").median
    peak_small = bench.row("rebuild", "peak RSS, a tenth", "MiB",
                           [r["maxrss_kib"] / 1024 for r in small]).median
    bench.facts.update(rebuild=rate, rebuild_mem_ratio=peak_full / peak_small)


def _cpu_rows(bench: Bench, full: list[dict[str, Any]], pg_cpu: list[float]) -> None:
    own = bench.row("rebuild", "rebuild process CPU per event, full size", "us",
                    [r["cpu_seconds"] / r["events"] * 1e6 for r in full],
                    "user+system of the rebuilding process during the catch-up").median
    busy = bench.row("rebuild", "rebuild process CPU / wall time, full size", "%",
                     [r["cpu_seconds"] / r["seconds"] * 100 for r in full],
                     "100%: one core busy all along").median
    pg = float("nan")
    if bench.pg_cpu:
        pg = bench.row("rebuild", "PostgreSQL CPU per event, full size", "us", pg_cpu,
                       "every process of the cluster, from /proc").median
    bench.facts["cpu rebuild"] = (own, busy, pg)
