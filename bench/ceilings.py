"""Why a throughput target is missed, in this run's own figures: the most the machine could do
with the CPU that each unit of work was measured to cost."""

from __future__ import annotations

import math
from typing import Any


def commands_ceiling(f: dict[str, Any], label: str, cores: int) -> str:
    """The CPU ceiling this run measured: no scheduling can beat cores / CPU per command."""
    server, pg, gen = f.get(f"cpu {label}", (math.nan,) * 3)
    raw = f.get("raw_insert")
    pg = 0.0 if label.startswith("SQLite") else pg
    if not raw or any(math.isnan(x) for x in (server, pg, gen)):
        return ""
    worker = f.get(f"worker cpu {label}", 0.0)  # `aidtrail worker` beside a SQLite server
    total = server + pg + gen + worker
    ceiling = cores * 1000 / total
    beside = f"{worker:.2f} ms in the projection worker, " if worker else ""
    return (f"Measured in this run ({label}): one command costs {server:.2f} ms of CPU in the "
            f"server, {pg:.2f} ms in PostgreSQL, {beside}{gen:.2f} ms in the load generator, "
            f"{total:.2f} ms in all, so {cores} cores cannot do more than {ceiling:,.0f} "
            f"commands/s however the work is spread ({ceiling / raw:.2f} x the raw "
            f"PostgreSQL rate); 0.6 x the raw rate needs {cores * 1000 / (0.6 * raw):.2f} ms "
            f"per command in all. " + _busy(f, label, server) + _framework_floor(f, server))


def _busy(f: dict[str, Any], label: str, server: float) -> str:
    """How much of the time the one server process was busy at c=16, in this run."""
    rate = f.get("commands", {}).get(label)
    if not rate or label.endswith("--workers 2"):
        return ""
    return (f"At c=16 the server process was busy {rate * server / 1000:.0%} of the time "
            f"({rate:,.0f} commands/s x {server:.2f} ms); the rest it waited, for a batch "
            f"to commit or for the next request. ")


def _framework_floor(f: dict[str, Any], server: float) -> str:
    """What the framework alone costs per request, measured in this run."""
    bare = f.get("bare async cpu")
    if not bare or math.isnan(bare):
        return ""
    return (f"A bare FastAPI async endpoint served the same way (no middleware, no database) "
            f"costs {bare:.2f} ms of server CPU per request in this run ({bare / 0.8:.0%} of "
            f"the 0.8 ms target); the rest of the server's {server:.2f} ms is AidTrail's own "
            f"work per command. ")


def scaling_ceiling(f: dict[str, Any], label: str) -> str:
    """What c=16 / c=1 one serving process can reach, from its CPU per command at each."""
    server, _, _ = f.get(f"cpu {label}", (math.nan,) * 3)
    one, rate = f.get(f"cpu c=1 {label}"), f.get(f"c=1 {label}")
    if not one or not rate or math.isnan(server) or label.endswith("--workers 2"):
        return ""
    most = 1000 / server / rate
    return (f"Measured in this run ({label}): at c=1 the server process is busy "
            f"{rate * one / 1000:.0%} of the time ({rate:,.0f} commands/s x {one:.2f} ms of "
            f"CPU each); at c=16 a command costs it {server:.2f} ms, so one process cannot "
            f"pass {1000 / server:,.0f} commands/s, {most:.2f} x the c=1 rate, however busy "
            f"it is kept. ")


def latency_ceiling(f: dict[str, Any], label: str, concurrency: int = 16,
                    target: float = 50.0) -> str:
    """What the c=16 throughput implies for latency: with ``concurrency`` requests always in
    flight, the mean latency is concurrency / throughput (Little's law)."""
    rate, p50, p99 = (f.get("commands", {}).get(label), f.get(f"p50 {label}"),
                      f.get(f"p99 {label}"))
    if not rate or not p50 or not p99:
        return ""
    return (f"Measured in this run ({label}): with {concurrency} requests always in flight, "
            f"a request's mean latency is {concurrency} / throughput (Little's law), "
            f"{concurrency * 1000 / rate:.1f} ms at {rate:,.0f} commands/s; the p50 was "
            f"{p50:.1f} ms and the p99 {p99:.1f} ms, {p99 / p50:.1f} x the p50. A p99 of "
            f"{target:.0f} ms with that spread needs a p50 of {target * p50 / p99:.1f} ms, "
            f"about {concurrency * 1000 * p99 / (target * p50):,.0f} commands/s; or, at this "
            f"rate, a narrower spread. What makes the tail is not measured apart here: a "
            f"wait behind a batch's commit, or, with a worker beside a SQLite server, behind "
            f"the worker's views transaction (SQLite's busy handler sleeps 1, 2, 5, 10 ... ms "
            f"between its tries). ")


def lag_ceiling(f: dict[str, Any], cores: int) -> str:
    """What the paced lag run asks of the machine: the commands' CPU and the worker's."""
    rate, views = f.get("lag rate"), f.get("views cpu postgres")
    server, pg, gen = f.get("cpu PostgreSQL, 1 process", (math.nan,) * 3)
    if not rate or views is None or any(math.isnan(x) for x in (views, server, pg, gen)):
        return ""
    writes, reads = rate * (server + pg + gen) / 1000, rate * views / 1000
    return (f"Measured in this run: commands were paced at {rate:,.0f}/s. At that rate the "
            f"server, PostgreSQL and the load generator need {writes:.2f} cores "
            f"({server + pg + gen:.2f} ms of CPU per command at c=16), and the projection "
            f"worker {reads:.2f} cores ({views:.2f} ms per event, every projection, without "
            f"PostgreSQL's share of its queries): {writes + reads:.2f} of the {cores} cores. "
            + (f"The views cost {views / (server + pg + gen):.1f} x the CPU of the command "
               f"that made their event, so half the write path's maximum rate is more than "
               f"one worker keeps up with beside it: the lag is the worker's backlog. "
               if views > server + pg + gen else ""))


def rebuild_ceiling(f: dict[str, Any], cores: int) -> str:
    """The CPU ceiling of a rebuild: one interpreter, and PostgreSQL's share beside it."""
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
