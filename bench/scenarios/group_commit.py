"""Commands over HTTP on PostgreSQL with group commit off (``AIDTRAIL_GROUP_COMMIT_WAIT_MS=0``),
beside the run with the default (on, 2 ms), and ``serve --workers 2`` (full runs only)."""

from __future__ import annotations

from bench import dataset
from bench.harness import FULL, Bench, log
from bench.scenarios.commands import commands, raw_baseline
from bench.server import app_env, uvicorn_server
from infrastructure.throwaway_postgres import conninfo

AIDTRAIL = "bench.aidtrail_app:aidtrail"


def group_commit(bench: Bench, pg: str, schema: str, data: dataset.Dataset) -> None:
    raw = raw_baseline(conninfo(pg), schema, bench.sizes.raw_seconds)
    log("serving on PostgreSQL with group commit off")
    with uvicorn_server(AIDTRAIL, app_env(pg, AIDTRAIL_GROUP_COMMIT_WAIT_MS="0"),
                        bench.work / "pg-off.log") as served:
        commands(bench, served.base, served.pid, data.cmd_cases,
                 "PostgreSQL, 1 process, group commit off", raw=raw)
    if bench.sizes is not FULL:
        return
    log("serving on PostgreSQL with serve --workers 2")
    with uvicorn_server(AIDTRAIL, app_env(pg), bench.work / "pg2.log", workers=2) as served:
        bench.facts["cmd_pg2"] = commands(bench, served.base, served.pid, data.cmd_cases2,
                                          "PostgreSQL, serve --workers 2", raw=raw)
