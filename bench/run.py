"""``make bench`` / ``make bench-smoke``: AidTrail measured against same-run baselines.

Starts its own PostgreSQL (as the tests do; ``AIDTRAIL_BENCH_DATABASE_URL`` names an existing
server instead), loads data, serves the app with uvicorn in subprocesses on 127.0.0.1, runs
bounded load, and prints a table plus PASS/FAIL targets, also written to ``--out``.

    python -m bench.run [--smoke] [--only NAME[,NAME]] [--out bench/RESULTS.md] [--no-profile]

NAME: baselines, commands, get, views, pages, rebuild, verify, lag, import. One module of
``bench/scenarios/`` measures each; this one runs them in order on the data of ``bench/dataset.py``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

from bench import baselines, dataset
from bench.analysis import ANALYSIS
from bench.harness import FULL, SMOKE, Bench, log, postgres
from bench.report import console, write
from bench.scenarios.baseline import bare_http, raw_insert, raw_read
from bench.scenarios.commands import commands, raw_baseline
from bench.scenarios.get_case import get_case
from bench.scenarios.group_commit import group_commit
from bench.scenarios.lag import lag
from bench.scenarios.legacy_import import legacy_import
from bench.scenarios.pages import COUNTED, pages
from bench.scenarios.rebuild import rebuild
from bench.scenarios.sqlite_commands import sqlite_commands
from bench.scenarios.sqlite_commit import sqlite_commit
from bench.scenarios.sqlite_search import sqlite_search
from bench.scenarios.sqlite_views import analyze, sqlite_view_queries
from bench.scenarios.verify import verify
from bench.scenarios.view_queries import view_queries
from bench.scenarios.views import views
from bench.server import app_env, postgres_cpu, uvicorn_server
from bench.targets import targets
from infrastructure.throwaway_postgres import conninfo, with_query

ALL = ["baselines", "commands", "get", "views", "pages", "rebuild", "verify", "lag",
       "import"]
AIDTRAIL = "bench.aidtrail_app:aidtrail"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes; runs in seconds")
    parser.add_argument("--only", action="append", default=[],
                        help=f"run only these measurements ({', '.join(ALL)}); repeatable")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy passes")
    parser.add_argument("--profile", action="store_true",
                        help="py-spy passes in smoke mode too (they are on in a full run)")
    args = parser.parse_args(argv)
    args.only = {n.strip() for item in args.only for n in item.split(",") if n.strip()} \
        or set(ALL)
    unknown = args.only - set(ALL)
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    work = Path(tempfile.mkdtemp(prefix="aidtrail-bench-"))
    profile = not args.no_profile and (args.profile or not args.smoke)
    bench = Bench(SMOKE if args.smoke else FULL, args.only, profile=profile, work=work)
    started = time.perf_counter()
    try:
        with postgres() as base:
            run_all(bench, base)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - started
    judged = targets(bench.facts)
    print(console(bench.rows, judged))
    profiles = "\n\n".join(f"### {label}\n\n{text}" for label, text in bench.profiles)
    write(args.out, mode="smoke" if args.smoke else "full", cores=baselines.machine()["cores"],
          seconds=seconds, rows=bench.rows, targets=judged, setup=bench.setup,
          analysis=ANALYSIS if not args.smoke else "", profiles=profiles,
          sections=bench.sections)
    log(f"done in {seconds:.0f} s; written to {args.out}")
    return 0


def run_all(bench: Bench, base: str) -> None:
    """Every chosen measurement in a schema of its own at ``base``, dropped afterwards."""
    schema = "bench_" + uuid.uuid4().hex[:10]
    with psycopg.connect(conninfo(base), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        info = conn.execute("SELECT current_setting('server_version'), current_setting('fsync'),"
                            " current_setting('synchronous_commit'),"
                            " current_setting('shared_buffers')").fetchone()
    bench.pg_cpu = postgres_cpu(conninfo(base))
    bench.setup += _setup(bench, info)
    try:
        _run_all(bench, with_query(base, schema=schema), schema)
    finally:
        with psycopg.connect(conninfo(base), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _setup(bench: Bench, info: tuple[str, ...] | None) -> list[str]:
    """How the run was set up, for the results."""
    sizes = bench.sizes
    return [
        f"PostgreSQL {info[0] if info else '?'} (fsync={info[1] if info else '?'}, "
        f"synchronous_commit={info[2] if info else '?'}, shared_buffers="
        f"{info[3] if info else '?'}) on 127.0.0.1, started by the bench; SQLite in a temp file",
        f"server: uvicorn (uvloop + httptools from uvicorn[standard]) serving "
        f"interfaces.http.app.create_app as `aidtrail serve` does; per-request INFO log line "
        f"kept (to a file); load generator: raw asyncio keep-alive sockets, "
        f"concurrency {sizes.concurrency}, 20 warm-up requests per run, on the same machine",
        f"commands: POST /cases/{{id}}/disbursements (one event each) spread round-robin over "
        f"{sizes.cmd_cases} cases in implementation, so the measurement is the write path and "
        f"not retries on one aggregate; PostgreSQL runs have no projection worker running "
        f"(the SQLite server catches up in-process, as it does by default, then again with "
        f"`aidtrail worker` running the projections beside it)",
    ]


def _run_all(bench: Bench, pg: str, schema: str) -> None:
    if bench.wants("baselines", "commands"):
        log("baseline: raw INSERT+COMMIT")
        raw_insert(bench, pg, schema)
    if bench.wants("baselines", "commands"):
        log("baseline: bare FastAPI")
        bare_http(bench)
    data = dataset.load(bench, pg)
    env = app_env(pg)
    if bench.wants("baselines", "rebuild", "verify"):
        log("baseline: raw read + decode")
        raw_read(bench, pg, schema)
    if bench.wants("rebuild"):
        log("rebuild (a tenth and full size, separate processes)")
        rebuild(bench, env, data.head)
    if bench.wants("verify"):
        log("audit verify")
        verify(bench, env)
    if bench.wants("commands", "get", "views", "pages", "lag"):
        log("serving on PostgreSQL")
        _on_postgres(bench, pg, schema, env, data)
    if bench.wants("commands"):
        group_commit(bench, pg, schema, data)
    if bench.wants("views"):
        sqlite_search(bench)
        sqlite_view_queries(bench)
    if bench.wants("commands"):
        sqlite_commands(bench)
        sqlite_commit(bench)
    if bench.wants("import"):
        log("legacy import")
        legacy_import(bench)


def _on_postgres(bench: Bench, pg: str, schema: str, env: dict[str, str],
                 data: dataset.Dataset) -> None:
    """Commands, GET /cases/{id}, view reads and projection lag against one server."""
    with uvicorn_server(AIDTRAIL, env, bench.work / "pg.log") as served:
        if bench.wants("commands", "lag"):
            bench.facts["cmd_pg"] = commands(bench, served.base, served.pid, data.cmd_cases,
                                             "PostgreSQL, 1 process",
                                             raw=raw_baseline(conninfo(pg), schema,
                                                              bench.sizes.raw_seconds))
        if bench.wants("get") and data.small and data.big:
            log("GET /cases/{id}")
            bench.facts["get_small"] = get_case(bench, served.base, served.pid, *data.small)
            bench.facts["get_big"] = get_case(bench, served.base, served.pid, *data.big)
        if bench.wants("views"):
            log("view queries")
            views(bench, served.base, served.pid)
            log("every view query, PostgreSQL")
            analyze(pg)
            view_queries(bench, served.base, "PostgreSQL")
        if bench.wants("pages"):
            log("workspace pages")
            pages(bench, served.base, pg, data.small[0] if data.small else None)
        if bench.wants("lag"):
            log("projection lag")
            lag(bench, served.base, pg, schema, env, bench.facts.get("cmd_pg") or 100.0,
                data.cmd_cases)
    if bench.wants("pages"):
        log("workspace dashboards, counted on every request")
        counting = {**env, COUNTED: "0"}
        with uvicorn_server(AIDTRAIL, counting, bench.work / "pg-counted.log") as served:
            pages(bench, served.base, pg, None, counted=True)


if __name__ == "__main__":
    sys.exit(main())
