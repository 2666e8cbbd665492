"""Where the SQLite case search should stop asking its index (``text_index.FEW``): the first
page of a search served by the ids the index finds, and by reading the rows in the page's
order, for terms that 1 to 4,000 of 100,000 cases contain. The index's cost grows with the
matches, the rows' with how rare the term is; ``FEW`` belongs where they cross."""

from __future__ import annotations

import random
import statistics
import time
from datetime import date

import application.projections.text_index as text_index
from application.projections.case_summary import COLUMNS, SUMMARY, CaseSummaryProjection
from application.projections.queries import query_cases
from bench.harness import Bench
from infrastructure.database import parse_database_url
from infrastructure.views.sql import ViewStore
from infrastructure.views.tracking import TRACKING_DDL

MATCHES = (1, 10, 100, 300, 1000, 4000)
FEW_DEFAULT = text_index.FEW
PAGE = 50


def sqlite_search(bench: Bench) -> None:
    cases = bench.sizes.cases
    store = ViewStore(parse_database_url(f"sqlite:///{bench.work / 'search.sqlite'}"))
    try:
        _fill(store, cases)
        for matches in MATCHES:
            if matches * 4 > cases:
                continue
            for way, few in (("by the index", cases), ("by the rows", -1)):
                text_index.FEW = few
                times = _times(store, f"zq{matches}z", bench.sizes.repeats * 20)
                bench.row("sqlite search", f"{matches} of {cases:,} match, {way}: p50", "ms",
                          [statistics.median(times)])
                bench.row("sqlite search", f"{matches} of {cases:,} match, {way}: p95", "ms",
                          [statistics.quantiles(times, n=20)[-1]])
    finally:
        text_index.FEW = FEW_DEFAULT
        store.close()


def _fill(store: ViewStore, cases: int) -> None:
    """``cases`` summary rows; the term ``zq{m}z`` in ``m`` of them, spread at random."""
    rng = random.Random(7)
    terms: dict[int, list[str]] = {i: [] for i in range(cases)}
    for matches in MATCHES:
        for i in rng.sample(range(cases), min(matches, cases)):
            terms[i].append(f"zq{matches}z")
    with store.transaction() as tx:
        for ddl in (TRACKING_DDL, *_summary_schema()):
            tx.execute(ddl)
        rows = []
        for i in range(cases):
            title = f"du an nuoc sach so {i} {' '.join(terms[i])}"
            rows.append((f"{i:08d}-case", f"BN-2025-{i:06d}", title, f"bn-2025-{i:06d} {title}",
                         "BN", "donor", "Donor", "project", "14030", '["14030"]', "draft", 1,
                         "USD", 0, 0, 0, 0, 0, 0, 0, 0, "2025-01-02", None, "2025-01-01",
                         "2026-06-30", None, None, None, 1, "2025-01-02T00:00:00", i))
        tx.executemany(f"INSERT INTO {SUMMARY} ({', '.join(COLUMNS)}) VALUES "
                       f"({', '.join(['%s'] * len(COLUMNS))})", rows)
        tx.execute("ANALYZE")


def _summary_schema() -> list[str]:
    """The table, its indexes and its search index as the projection creates them (its
    schema needs neither its feed nor its rules)."""
    return CaseSummaryProjection.schema(object.__new__(CaseSummaryProjection), "sqlite")


def _times(store: ViewStore, term: str, requests: int) -> list[float]:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        with store.transaction(write=False) as tx:
            page = query_cases(tx, provinces=None, filters={"q": term}, as_of=date(2026, 3, 1),
                               cursor=None, limit=PAGE, sort="reference")
        times.append((time.perf_counter() - started) * 1000)
        assert page.items, term
    return times
