"""Every view query on SQLite: the same portfolio in a file of its own, served by one process
and measured as on PostgreSQL (``view_queries``)."""

from __future__ import annotations

from bench import loaders
from bench.harness import Bench, log
from bench.scenarios.view_queries import view_queries
from bench.server import BENCH_SECRET, app_env, uvicorn_server
from infrastructure.settings import Settings
from infrastructure.views.sql import ViewStore
from interfaces.container import build_container


def sqlite_view_queries(bench: Bench) -> None:
    """The portfolio loaded into a SQLite file of its own, served and swept."""
    url = f"sqlite:///{bench.work / 'views.sqlite'}"
    container = build_container(Settings(database_url=url, jwt_secret=BENCH_SECRET,
                                         inprocess_projections=False), migrate=True)
    try:
        log(f"loading {bench.sizes.cases:,} cases into SQLite")
        loaded = loaders.load_portfolio(container.services, bench.sizes.cases)
        log("catching up the projections on SQLite")
        container.runner.catch_up()
    finally:
        container.close()
    analyze(url)
    bench.setup.append(f"views on SQLite: the same portfolio, {loaded['events']:,.0f} events, "
                       "in a file of its own, served by one process")
    with uvicorn_server("bench.aidtrail_app:aidtrail", app_env(url),
                        bench.work / "sqlite-views.log") as served:
        log("every view query, SQLite")
        view_queries(bench, served.base, "SQLite")


def analyze(database_url: str) -> None:
    """Table statistics brought up to date after the bulk load, as autovacuum's analyze
    (PostgreSQL) or ``ANALYZE`` after a rebuild (SQLite) leave them: the planners choose
    between an index and a scan by them."""
    views = ViewStore(Settings(database_url=database_url, jwt_secret=BENCH_SECRET).database)
    try:
        with views.transaction() as tx:
            tx.execute("ANALYZE")
    finally:
        views.close()
