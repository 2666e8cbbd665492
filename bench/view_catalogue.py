"""Every query the views offer, as the bench sends it: each filter alone (on the view's
default sort), each sort in both directions, and the search with a common, a rare and an
absent term. The sorts come from the read models' own whitelists, so a sort added there is
measured without a change here."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from application.projections.portfolio import GROUP
from application.projections.queries import CASE_SORTS, DONOR_SORTS, PORTFOLIO_SUMS
from application.projections.queries_compliance import (
    FLAG_SORTS,
    FLAG_STATES,
    OBLIGATION_SORTS,
    OBLIGATION_STATUSES,
)
from bench.harness import API

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
