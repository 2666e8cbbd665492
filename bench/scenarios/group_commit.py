"""Commands over HTTP on PostgreSQL with group commit on (``AIDTRAIL_GROUP_COMMIT_WAIT_MS``):
one process beside the run without it, and ``serve --workers 2`` (full runs only)."""

from __future__ import annotations

from bench import dataset
from bench.harness import FULL, Bench, log
from bench.scenarios.commands import commands, raw_baseline
from bench.server import app_env, uvicorn_server
from infrastructure.throwaway_postgres import conninfo

AIDTRAIL = "bench.aidtrail_app:aidtrail"
WAIT_MS = "2"


def group_commit(bench: Bench, pg: str, schema: str, data: dataset.Dataset) -> None:
    env = app_env(pg, AIDTRAIL_GROUP_COMMIT_WAIT_MS=WAIT_MS)
    raw = raw_baseline(conninfo(pg), schema, bench.sizes.raw_seconds)
    log(f"serving on PostgreSQL with group commit ({WAIT_MS} ms)")
    with uvicorn_server(AIDTRAIL, env, bench.work / "pg-gc.log") as served:
        commands(bench, served.base, served.pid, data.cmd_cases,
                 f"PostgreSQL, 1 process, group commit {WAIT_MS} ms", raw=raw)
    if bench.sizes is not FULL:
        return
    log("serving on PostgreSQL with serve --workers 2 and group commit")
    with uvicorn_server(AIDTRAIL, env, bench.work / "pg2.log", workers=2) as served:
        bench.facts["cmd_pg2"] = commands(
            bench, served.base, served.pid, data.cmd_cases2,
            f"PostgreSQL, serve --workers 2, group commit {WAIT_MS} ms", raw=raw)
