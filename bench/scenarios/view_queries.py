"""Every query the views offer, on the portfolio, on PostgreSQL and on SQLite: each filter
alone (on the view's default sort), each sort in both directions, and the search with a
common, a rare and an absent term. The sorts come from the read models' own whitelists, so a
sort added there is measured without a change here. For each query the p50 and p95 of its
first page and of the page after its cursor, a table of them all, and per view the worst
p95; the worst of each backend is the fact ``views_p95 <backend>`` that the target judges."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from application.projections.portfolio import GROUP
from application.projections.queries import CASE_SORTS, DONOR_SORTS, PORTFOLIO_SUMS
from application.projections.queries_compliance import (
    FLAG_SORTS,
    FLAG_STATES,
    OBLIGATION_SORTS,
    OBLIGATION_STATUSES,
)
from bench.harness import API, Bench
from bench.http_load import LoadResult
from bench.report import fmt
from bench.scenarios.views import next_cursor

VIEWS = ("cases", "donors", "compliance", "obligations", "portfolio")

# The days the reads are made on: inside the bench portfolio's reporting calendar.
AS_OF = "2026-03-01"


@dataclass(frozen=True)
class Ids:
    """Values the filters need that only the loaded data knows."""

    donor_id: str
    case_id: str          # a case with reports owed (and flags, when any are raised)
    reference: str        # of one case among many: a search that matches one row


@dataclass(frozen=True)
class ViewQuery:
    view: str
    label: str
    path: str


def _query(view: str, route: str, label: str, **params: str) -> ViewQuery:
    query = urlencode({**params, "limit": "50"})
    return ViewQuery(view, label, f"{API}/views/{route}?{query}")


def _sorts(view: str, route: str, names: object, **fixed: str) -> list[ViewQuery]:
    return [_query(view, route, f"sort={d}{n}", sort=f"{d}{n}", **fixed)
            for n in sorted(names) for d in ("", "-")]  # type: ignore[call-overload]


def _filters(view: str, route: str, pairs: list[tuple[str, str]], **fixed: str
             ) -> list[ViewQuery]:
    return [_query(view, route, f"{k}={v}", **{k: v}, **fixed) for k, v in pairs]


def catalogue(ids: Ids) -> list[ViewQuery]:
    """The queries, view by view."""
    on = {"as_of": AS_OF}
    cases = [
        *_filters("cases", "cases", [
            ("province", "BN"), ("status", "draft"), ("status", "in_implementation"),
            ("status", "closed"), ("aid_form", "programme"), ("donor_id", ids.donor_id),
            ("sector", "12"), ("sector", "151"), ("report_overdue", "true"),
            ("report_overdue", "false")], **on),
        *_filters("cases", "cases", [
            ("q", "nuoc sach"), ("q", "Đường nông thôn"), ("q", ids.reference.lower()),
            ("q", "khong co nhu the")], **on),
        *_sorts("cases", "cases", CASE_SORTS, **on),
        _query("cases", "cases", "q=nuoc sach&sort=-disbursed_vnd", q="nuoc sach",
               sort="-disbursed_vnd", **on),
    ]
    donors = [
        *_filters("donors", "donors", [
            ("status", "active"), ("status", "revoked"), ("kind", "foreign_ngo"),
            ("certificate_kind", "operation"), ("province", "BN"), ("q", "donor"),
            ("expired", "true"), ("expired", "false"), ("expiring_within", "90")], **on),
        *_sorts("donors", "donors", DONOR_SORTS, **on),
    ]
    flags = [
        *_filters("compliance", "compliance", [
            *(("state", s) for s in FLAG_STATES), ("code", "C08"), ("severity", "critical"),
            ("severity", "warning"), ("province", "BN"), ("donor_id", ids.donor_id),
            ("case_id", ids.case_id)], **on),
        *_sorts("compliance", "compliance", FLAG_SORTS, state="all", **on),
    ]
    obligations = [
        *_filters("obligations", "obligations", [
            *(("status", s) for s in OBLIGATION_STATUSES), ("kind", "half_year"),
            ("province", "BN"), ("donor_id", ids.donor_id), ("case_id", ids.case_id),
            ("due_from", "2026-01-01"), ("due_to", "2025-09-30")], **on),
        *_sorts("obligations", "obligations", OBLIGATION_SORTS, **on),
    ]
    portfolio = [
        _query("portfolio", "portfolio", "every dimension"),
        *_filters("portfolio", "portfolio", [("group_by", g) for g in GROUP]),
        *_filters("portfolio", "portfolio", [
            ("province", "BN"), ("status", "draft"), ("donor_id", ids.donor_id),
            ("sector", "12"), ("year_from", "2025"), ("year_to", "2024"),
            ("map_as_of", "2025-06-30")]),
        *_sorts("portfolio", "portfolio", [*GROUP, "case_count", *PORTFOLIO_SUMS]),
    ]
    return [*cases, *donors, *flags, *obligations, *portfolio]


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
    queries = catalogue(_ids(bench, base))
    # Each of the server's worker threads opens its own connection on its first request:
    # open them all before measuring, or the first queries measured pay for it.
    bench.load(base, lambda i: ("GET", queries[i % len(queries)].path, None), role="viewer",
               seconds=bench.sizes.sweep_seconds * 4, warmup=0)
    measured: list[Measured] = []
    for query in queries:
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


def _load(bench: Bench, base: str, path: str) -> LoadResult:
    return bench.load(base, lambda i: ("GET", path, None), role="viewer",
                      seconds=bench.sizes.sweep_seconds, concurrency=1,
                      warmup=bench.sizes.sweep_warmup)


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
