"""Every view query of ``bench/view_catalogue.py`` on the portfolio, on PostgreSQL and on
SQLite: the p50 and p95 of each and of its second page (after the first page's cursor), a
table of them all, and per view the worst p95. The worst of each backend is the fact
``views_p95 <backend>`` that the target judges."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from bench import loaders
from bench.harness import API, Bench, log
from bench.http_load import LoadResult
from bench.report import fmt
from bench.scenarios.views import next_cursor
from bench.server import BENCH_SECRET, app_env, uvicorn_server
from bench.view_catalogue import AS_OF, Ids, ViewQuery, catalogue
from infrastructure.settings import Settings
from infrastructure.views.sql import ViewStore
from interfaces.container import build_container

VIEWS = ("cases", "donors", "compliance", "obligations", "portfolio")


@dataclass(frozen=True)
class Measured:
    query: ViewQuery
    label: str
    p50: float
    p95: float
    requests: int
    rows: int


def view_queries(bench: Bench, base: str, backend: str) -> float:
    """Each query measured once at concurrency 1; returns the worst p95 (ms)."""
    measured: list[Measured] = []
    for query in catalogue(_ids(bench, base)):
        status, payload = bench.probe(base, query.path)
        if status != 200:
            bench.row("views", f"{backend} {query.view} {query.label}", "ms", [],
                      f"HTTP {status} at {query.path}", available=False)
            continue
        pages = [(query.label, query.path, payload)]
        cursor = next_cursor(payload)
        if cursor:
            second = f"{query.path}&cursor={quote(cursor)}"
            pages.append((f"{query.label} (page 2)", second, bench.probe(base, second)[1]))
        for label, path, body in pages:
            result = _load(bench, base, path)
            measured.append(Measured(query, label, result.percentile(50) * 1000,
                                     result.percentile(95) * 1000, result.ok, _rows(body)))
    worst = -1.0
    for view in VIEWS:
        mine = [m for m in measured if m.query.view == view]
        if not mine:
            continue
        top = max(mine, key=lambda m: m.p95)
        bench.row("views", f"{backend}, {view}: worst p95 of {len(mine)} queries", "ms",
                  [top.p95], note=top.label)
        worst = max(worst, top.p95)
    bench.sections.append((f"View queries on {backend}", _table(measured)))
    bench.facts[f"views_p95 {backend}"] = worst if worst >= 0 else None
    return worst


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


def _load(bench: Bench, base: str, path: str) -> LoadResult:
    return bench.load(base, lambda i: ("GET", path, None), role="viewer",
                      seconds=bench.sizes.sweep_seconds, concurrency=1, warmup=5)


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
        view_queries(bench, served.base, "SQLite")


def _ids(bench: Bench, base: str) -> Ids:
    """A donor, a case with reports owed, and that case's reference, from the views."""
    donors = _items(bench, base, f"{API}/views/donors?limit=1")
    owed = _items(bench, base, f"{API}/views/obligations?limit=1&as_of={AS_OF}")
    case = owed[0] if owed else _items(bench, base, f"{API}/views/cases?limit=1")[0]
    return Ids(donor_id=str(donors[0]["donor_id"]), case_id=str(case.get("case_id")
                                                               or case.get("id")),
               reference=str(case["reference"]))


def _items(bench: Bench, base: str, path: str) -> list[dict[str, Any]]:
    status, payload = bench.probe(base, path)
    if status != 200:
        raise RuntimeError(f"HTTP {status} at {path}")
    return list(json.loads(payload)["items"])


def _rows(payload: bytes) -> int:
    try:
        return len(json.loads(payload).get("items", []))
    except (ValueError, AttributeError):
        return 0


def _table(measured: list[Measured]) -> str:
    lines = ["| view | query | rows | p50 ms | p95 ms | requests |",
             "|---|---|---:|---:|---:|---:|"]
    for m in measured:
        lines.append(f"| {m.query.view} | `{m.label}` | {m.rows} | {fmt(m.p50)} | "
                     f"{fmt(m.p95)} | {m.requests} |")
    return "\n".join(lines)
