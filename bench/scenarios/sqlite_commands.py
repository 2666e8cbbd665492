"""Commands over HTTP on SQLite: the same measurement on a fresh SQLite file."""

from __future__ import annotations

from bench import loaders
from bench.harness import Bench, log
from bench.scenarios.commands import commands
from bench.server import BENCH_SECRET, app_env, uvicorn_server
from infrastructure.settings import Settings
from interfaces.container import build_container


def sqlite_commands(bench: Bench) -> None:
    url = f"sqlite:///{bench.work / 'bench.sqlite'}"
    container = build_container(Settings(database_url=url, jwt_secret=BENCH_SECRET,
                                         inprocess_projections=False), migrate=True)
    try:
        cases = loaders.implementation_cases(container.services, bench.sizes.cmd_cases)
    finally:
        container.close()
    log("serving on SQLite")
    with uvicorn_server("bench.aidtrail_app:aidtrail", app_env(url),
                        bench.work / "sqlite.log") as served:
        bench.facts["cmd_sqlite"] = commands(bench, served.base, served.pid, cases,
                                             "SQLite, 1 process")
