"""Commands over HTTP on SQLite: the same measurement on a fresh SQLite file, twice: with the
server running the projections too (the default), then with `aidtrail worker` running them in
a process of its own. Each set starts once they have caught up: a backlog left by the set
before would otherwise be paid by the next set's c=1 run. Each configuration has cases of its
own: the views re-evaluate a touched case from its whole history, so cases that the first
configuration had grown would make the second's views dearer."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from bench import loaders
from bench.harness import Bench, log
from bench.scenarios.commands import commands
from bench.server import BENCH_SECRET, app_env, uvicorn_server, worker
from infrastructure.settings import Settings
from interfaces.container import build_container

SQLITE_WORKER = "SQLite, serve + worker"


def _behind(conn: sqlite3.Connection) -> int | None:
    """Events the slowest projection has still to apply; None before any has a row."""
    (head,) = conn.execute("SELECT coalesce(max(rowid), 0) FROM stored_events").fetchone()
    low, count = conn.execute("SELECT coalesce(min(position), 0), count(*) "
                              "FROM projection_tracking").fetchone()
    return max(0, int(head) - int(low)) if count else None


def views_caught_up(path: Path, timeout: float = 300) -> Callable[[], None]:
    """Waits until every projection's position in the file at ``path`` is the log's head."""
    def settle() -> None:
        deadline = time.monotonic() + timeout
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as conn:
            while time.monotonic() < deadline:
                if _behind(conn) == 0:
                    return
                time.sleep(0.1)
        raise RuntimeError(f"the projections did not catch up within {timeout:g} s")
    return settle


def views_behind(path: Path) -> Callable[[], int]:
    """How many events the projections are behind, now."""
    def behind() -> int:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as conn:
            return _behind(conn) or 0
    return behind


def sqlite_commands(bench: Bench) -> None:
    path = bench.work / "bench.sqlite"
    url = f"sqlite:///{path}"
    container = build_container(Settings(database_url=url, jwt_secret=BENCH_SECRET,
                                         inprocess_projections=False), migrate=True)
    try:
        cases = loaders.implementation_cases(container.services, bench.sizes.cmd_cases)
        beside = loaders.implementation_cases(container.services, bench.sizes.cmd_cases,
                                              prefix="V")
    finally:
        container.close()
    log("serving on SQLite")
    with uvicorn_server("bench.aidtrail_app:aidtrail", app_env(url),
                        bench.work / "sqlite.log") as served:
        bench.facts["cmd_sqlite"] = commands(bench, served.base, served.pid, cases,
                                             "SQLite, 1 process",
                                             settle=views_caught_up(path),
                                             behind=views_behind(path))
    log("serving on SQLite, the projections in `aidtrail worker`")
    env = app_env(url, AIDTRAIL_INPROCESS_PROJECTIONS="false")
    with worker(env, bench.work / "sqlite-worker.log") as running, \
            uvicorn_server("bench.aidtrail_app:aidtrail", env,
                           bench.work / "sqlite-served.log") as served:
        commands(bench, served.base, served.pid, beside, SQLITE_WORKER,
                 settle=views_caught_up(path), behind=views_behind(path), worker=running.pid)
