"""The targets of a run, judged from its facts, and why a missed one is missed: the CPU
ceiling that run measured and the causes its profiles found."""

from __future__ import annotations

import math
from typing import Any

from bench import baselines
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
               _why_commands(f, f"PostgreSQL, {label}", cores) + WHY["commands"]),
        Target("projection rebuild / raw read+decode", "ratio of events/s",
               ratio("rebuild", "raw_read"), 0.25, True,
               _why_rebuild(f, cores) + WHY["rebuild"]),
        Target("GET /cases/{id} p50 at 1,000 events / at 10 events", "ratio of latencies",
               ratio("get_big", "get_small"), 2.0, False, WHY["get"]),
        Target("view queries p95 at 100,000 cases (worst route)", "milliseconds",
               f.get("views_p95"), 20.0, False, WHY["views"]),
        Target("projection lag p99 at half the maximum write rate", "milliseconds",
               f.get("lag_p99"), 250.0, False, WHY["lag"]),
        Target("audit verify / raw read+decode", "ratio of events/s",
               ratio("verify", "raw_read"), 0.5, True, WHY["verify"]),
        Target("rebuild peak memory, full size / a tenth", "ratio of peak RSS",
               f.get("rebuild_mem_ratio"), 1.2, False, WHY["memory"]),
    ]


def _why_commands(f: dict[str, Any], label: str, cores: int) -> str:
    """The CPU ceiling this run measured: no scheduling can beat cores / CPU per command."""
    server, pg, gen = f.get(f"cpu {label}", (math.nan,) * 3)
    raw = f.get("raw_insert")
    if not raw or any(math.isnan(x) for x in (server, pg, gen)):
        return ""
    total = server + pg + gen
    ceiling = cores * 1000 / total
    return (f"Measured in this run: one command costs {server:.2f} ms of CPU in the server, "
            f"{pg:.2f} ms in PostgreSQL and {gen:.2f} ms in the load generator, {total:.2f} ms "
            f"in all, so {cores} cores cannot do more than {ceiling:,.0f} commands/s however "
            f"the work is spread ({ceiling / raw:.2f} x the raw rate); 0.6 x the raw rate "
            f"needs {cores * 1000 / (0.6 * raw):.2f} ms per command in all. ")


def _why_rebuild(f: dict[str, Any], cores: int) -> str:
    own, busy, pg = f.get("cpu rebuild", (math.nan,) * 3)
    raw = f.get("raw_read")
    if not raw or math.isnan(own):
        return ""
    text = (f"Measured in this run: the rebuilding process uses {own:.0f} us of CPU per event "
            f"and is busy {busy:.0f}% of its wall time, so one process cannot pass "
            f"{1e6 / own:,.0f} events/s ({1e6 / own / raw:.2f} x the raw rate); 0.25 x the "
            f"raw rate allows {1e6 / (0.25 * raw):.0f} us per event. Overlapping its "
            f"database writes with computing could win at most the {100 - busy:.0f}% it "
            f"waits (tried with a writer thread: slower, as the writes' own Python work, "
            f"COPY row formatting, competes for the one interpreter lock).")
    if not math.isnan(pg):
        ceiling = cores * 1e6 / (own + pg)
        text += (f" PostgreSQL adds {pg:.0f} us of CPU per event: even spread perfectly over "
                 f"{cores} cores, this work cannot pass {ceiling:,.0f} events/s "
                 f"({ceiling / raw:.2f} x the raw rate).")
    return text + " "


# Known causes, found with the profiles this harness records (see the Profiles section).
WHY = {
    "commands": (
        "Done (server CPU per command went from ~3.5 ms in the first measured run to the "
        "figure above): a command starts from the state its process saved last, brought up "
        "to date with one indexed query, instead of replaying the history; a snapshot due at "
        "its version is taken from that state, not from a reload; events are appended by one "
        "server-side function call (one round trip; the table lock is held only inside the "
        "server, no longer while the client thread waits for the GIL); verified tokens are "
        "cached; the auth and services dependencies no longer hop through the thread pool; "
        "`serve --workers N` gives each process its own SO_REUSEPORT socket (with uvicorn's "
        "--workers one process took all 16 keep-alive connections). What is left per command "
        "(profile below): FastAPI routing (each route of the cases router is tried in turn), "
        "validation and dependencies, the thread-pool hop of a `def` endpoint, the up-to-date "
        "query, the save round trip, the response and the log line. A bare FastAPI endpoint "
        "served the same way costs the CPU of its baseline row per request: the framework "
        "alone takes a good part of the budget."),
    "rebuild": (
        "A rebuild replays every event into domain aggregates for six projections (the "
        "profile below: replay, compliance evaluation and the case rows lead, none alone "
        "large). Done: the log read directly in binary, a faster decoder and replay (same "
        "objects as the library's), COPY for new rows and no read-back for cases opened "
        "within the page, pages growing from 500 to 4,000 events, fewer garbage collections "
        "during long catch-ups (together ~1.8x). Reaching the target needs the CPU per event "
        "roughly halved, which means projections that do not replay domain aggregates (a "
        "redesign); splitting it over processes by aggregate (each with its own tracking) "
        "is bounded by the ceiling above."),
    "get": "",
    "views": "",
    "lag": "",
    "verify": "",
    "memory": "",
}
