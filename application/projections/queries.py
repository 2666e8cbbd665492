"""Reads over the case views: filters, whitelisted sorts, province scope, and keyset pages
(``paging``). Nullable sort columns sort as a fixed value (``COALESCE`` in the sort's SQL).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from application.projections.base import ViewTransaction
from application.projections.case_summary import (
    CASE_SORTS,
    DONOR_NAMES,
    SUMMARY,
    from_minor,
)
from application.projections.donor_status import DONOR_CASE, DONOR_STATUS
from application.projections.paging import (
    MAX_LIMIT,
    Keyset,
    Sort,
    Where,
    check_day,
    keyset_page,
    parse_sort,
)
from application.projections.portfolio import GROUP, PORTFOLIO
from application.projections.queries_compliance import open_flag_counts
from application.projections.text_match import contains, escape_like, search, sector_prefix
from domain.errors import InvalidInputError

FLAGS = "compliance_flag"
# The sorts and keys whose values are integers (a cursor's values must match the columns).
_INTEGERS = frozenset({"approved_vnd", "received_vnd", "disbursed_vnd", "spent_vnd",
                       "case_count", "year", "active_cases"})
__all__ = ["CASE_SORTS", "DONOR_NAMES", "MAX_LIMIT", "Page", "Sort", "query_cases", "query_donors",
           "query_portfolio"]


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None
    position: int = 0  # the view's tracking position when it was read
    totals: dict[str, Any] | None = field(default=None)


def view_position(tx: ViewTransaction, name: str) -> int:
    rows = tx.fetchall("SELECT position FROM projection_tracking WHERE name = %s", (name,))
    return int(rows[0][0]) if rows else 0


def _table_exists(tx: ViewTransaction, table: str) -> bool:
    if tx.dialect == "sqlite":
        return bool(tx.fetchall("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s",
                                (table,)))
    return tx.fetchall("SELECT to_regclass(%s) IS NOT NULL", (table,))[0][0] is True


def _scope(where: Where, column: str, provinces: Collection[str] | None,
           chosen: Collection[str] | None) -> None:
    """The caller's provinces (None: all) and the provinces asked for, both applied."""
    where.any_of(column, provinces)
    where.any_of(column, chosen)


def _vnd(value: Any) -> Decimal | None:
    return None if value is None else Decimal(int(value))


# --- cases ------------------------------------------------------------------------------------

_CASE_COLUMNS = (
    "id", "reference", "title", "province", "donor_id", "donor_name", "aid_form", "sectors_json",
    "status", "iati_status", "currency", "approved_minor", "received_minor", "disbursed_minor",
    "spent_minor", "approved_vnd", "received_vnd", "disbursed_vnd", "spent_vnd", "opened_on",
    "approved_on", "planned_start", "planned_end", "actual_start", "actual_end",
    "next_report_due", "version", "last_event_at", "last_position",
)


def query_cases(tx: ViewTransaction, *, provinces: Collection[str] | None,
                filters: Mapping[str, Any], as_of: date, cursor: str | None, limit: int,
                sort: str | None) -> Page:
    """``case_summary`` rows. Filters: ``province``, ``status``, ``aid_form`` (lists),
    ``donor_id``, ``sector`` (code or prefix), ``q`` (reference or title, any case and with or
    without diacritics), ``report_overdue`` (bool, against ``as_of``)."""
    order = parse_sort(sort, CASE_SORTS, "reference")
    check_day(as_of)
    position = view_position(tx, SUMMARY)
    where = Where()
    _scope(where, "province", provinces, filters.get("province"))
    where.any_of("status", filters.get("status"))
    where.any_of("aid_form", filters.get("aid_form"))
    if filters.get("donor_id"):
        where.add("donor_id = %s", str(filters["donor_id"]))
    search(tx, where, "sectors", filters.get("sector"))
    search(tx, where, "search_text", filters.get("q"))
    overdue = filters.get("report_overdue")
    if overdue is True:
        where.add("next_report_due < %s", as_of.isoformat())
    elif overdue is False:
        where.add("(next_report_due IS NULL OR next_report_due >= %s)", as_of.isoformat())
    query = Keyset(_CASE_COLUMNS, SUMMARY, ["id"], integers=_INTEGERS)
    rows, next_cursor = keyset_page(tx, query, where, order, cursor, limit)
    items = [_case_item(dict(zip(_CASE_COLUMNS, row, strict=True)), as_of) for row in rows]
    counts = _open_flags(tx, [i["id"] for i in items], as_of)
    for item in items:
        item["open_flag_count"] = counts.get(item["id"], 0)
    return Page(items, next_cursor, position)


def _case_item(row: dict[str, Any], as_of: date) -> dict[str, Any]:
    currency = str(row["currency"])
    item = {k: row[k] for k in ("id", "reference", "title", "province", "donor_id",
                                "donor_name", "aid_form", "status", "iati_status", "currency",
                                "opened_on", "approved_on", "planned_start", "planned_end",
                                "actual_start", "actual_end", "next_report_due", "version",
                                "last_event_at", "last_position")}
    item["sectors"] = json.loads(row["sectors_json"])
    for m in ("approved", "received", "disbursed", "spent"):
        item[m] = from_minor(row[f"{m}_minor"], currency)
        item[f"{m}_vnd"] = _vnd(row[f"{m}_vnd"])
    due = row["next_report_due"]
    item["report_overdue"] = due is not None and due < as_of.isoformat()
    return item


def _open_flags(tx: ViewTransaction, case_ids: list[str], as_of: date) -> dict[str, int]:
    """Flags open on ``as_of`` per case, counted at read time from ``compliance_flag`` (when
    that view is installed), so that the two views need not be kept in step."""
    if not case_ids or not _table_exists(tx, FLAGS):
        return {}
    return {str(c): n for c, n in open_flag_counts(tx, case_ids, as_of).items()}


# --- portfolio --------------------------------------------------------------------------------

PORTFOLIO_SUMS = ("approved_vnd", "received_vnd", "disbursed_vnd", "spent_vnd")


def query_portfolio(tx: ViewTransaction, *, provinces: Collection[str] | None,
                    filters: Mapping[str, Any], group_by: Sequence[str], cursor: str | None,
                    limit: int, sort: str | None,
                    province_map: Mapping[str, str] | None = None) -> Page:
    """Sums by the chosen subset of province × donor × sector × status × year, and the totals
    over every matching row. Filters: ``province``, ``donor_id``, ``status`` (lists),
    ``sector`` (code or prefix), ``year_from``, ``year_to``.

    ``case_count`` counts each case once; when a sector is grouped by or filtered on, it
    counts a case once in each of its (matching) sectors, since its money is split over them.
    The totals count each case once unless a sector is filtered on. ``province_map`` (a
    stored code -> the code that holds it on the map asked for) groups merged provinces in
    their successor; the filters apply to the stored codes.
    """
    dims = [g for g in GROUP if g in group_by]
    unknown = sorted(set(group_by) - set(GROUP))
    if unknown or not dims:
        raise InvalidInputError(f"group_by takes one or more of {', '.join(GROUP)}",
                                code="invalid_group_by", field="group_by")
    allowed = {d: d for d in dims} | {s: s for s in ("case_count", *PORTFOLIO_SUMS)}
    order = parse_sort(sort, allowed, "-approved_vnd")
    position = view_position(tx, PORTFOLIO)
    where = Where()
    _scope(where, "province", provinces, filters.get("province"))
    where.any_of("donor_id", filters.get("donor_id"))
    where.any_of("status", filters.get("status"))
    sector_prefix("sector", where, filters.get("sector"))
    if filters.get("year_from") is not None:
        where.add("year >= %s", int(filters["year_from"]))
    if filters.get("year_to") is not None:
        where.add("year <= %s", int(filters["year_to"]))
    def sums(counted: str) -> list[str]:
        return [f"SUM({counted}) AS case_count", *(f"SUM({s}) AS {s}" for s in PORTFOLIO_SUMS)]

    whole = "case_count" if filters.get("sector") else "lead_case_count"
    grand = tx.fetchall(f"SELECT {', '.join(sums(whole))} FROM {PORTFOLIO}{where.sql()}",
                        where.params)
    counted = "case_count" if "sector" in dims else whole
    mapped, map_params = _mapped_province(province_map or {})
    rows_sql = (f"SELECT {mapped} AS province, donor_id, sector, status, year, case_count, "
                f"lead_case_count, {', '.join(PORTFOLIO_SUMS)} FROM {PORTFOLIO}{where.sql()}")
    inner = (f"SELECT {', '.join(dims)}, {', '.join(sums(counted))} FROM ({rows_sql}) p "
             f"GROUP BY {', '.join(dims)}")
    names = [*dims, "case_count", *PORTFOLIO_SUMS]
    query = Keyset(names, f"({inner}) g", dims, [*map_params, *where.params], _INTEGERS)
    rows, next_cursor = keyset_page(tx, query, Where(), order, cursor, limit)
    items = [_portfolio_item(dict(zip(names, row, strict=True))) for row in rows]
    return Page(items, next_cursor, position, _portfolio_item(
        dict(zip(["case_count", *PORTFOLIO_SUMS], grand[0], strict=True))))


def _mapped_province(province_map: Mapping[str, str]) -> tuple[str, list[str]]:
    """SQL for the province column on another map, and its parameters."""
    if not province_map:
        return "province", []
    whens = " ".join("WHEN %s THEN %s" for _ in province_map)
    return f"CASE province {whens} ELSE province END", [
        code for pair in sorted(province_map.items()) for code in pair]


def _portfolio_item(row: dict[str, Any]) -> dict[str, Any]:
    item = dict(row)
    item["case_count"] = int(row["case_count"] or 0)
    for s in PORTFOLIO_SUMS:
        item[s] = Decimal(int(row[s] or 0))
    if "year" in item:
        item["year"] = int(item["year"])
    return item


# --- donors -----------------------------------------------------------------------------------

DONOR_SORTS = {"name": "name", "code": "code", "valid_to": "COALESCE(valid_to, '')",
               "active_cases": "visible_active"}
_DONOR_COLUMNS = ("donor_id", "certificate_no", "code", "name", "country", "donor_kind",
                  "certificate_kind", "valid_from", "valid_to", "provinces", "fields", "status",
                  "suspended_until", "version", "last_position", "visible_active")


def query_donors(tx: ViewTransaction, *, provinces: Collection[str] | None,
                 filters: Mapping[str, Any], as_of: date, cursor: str | None, limit: int,
                 sort: str | None) -> Page:
    """Every donor (the register is not secret), one row per certificate. ``active_cases``
    counts only the cases in the caller's provinces. Filters: ``status``, ``kind``,
    ``certificate_kind`` (lists),
    ``province`` (a certificate covers it), ``q`` (code or name), ``expired`` (bool) and
    ``expiring_within`` (days), both against ``as_of``."""
    order = parse_sort(sort, DONOR_SORTS, "name")
    check_day(as_of)
    position = view_position(tx, DONOR_STATUS)
    inner = Where()
    inner.any_of("d.status", filters.get("status"))
    inner.any_of("d.donor_kind", filters.get("kind"))
    inner.any_of("d.certificate_kind", filters.get("certificate_kind"))
    if filters.get("province"):
        inner.add("(',' || d.provinces || ',') LIKE %s ESCAPE '!'",
                  "%," + escape_like(str(filters["province"])) + ",%")
    contains(inner, "d.search_text", filters.get("q"))
    day = as_of.isoformat()
    if filters.get("expired") is True:
        inner.add("d.valid_to < %s", day)
    elif filters.get("expired") is False:
        inner.add("d.valid_to >= %s", day)
    if filters.get("expiring_within") is not None:
        inner.add("d.valid_to >= %s AND d.valid_to <= %s", day,
                  (as_of + timedelta(days=int(filters["expiring_within"]))).isoformat())
    if provinces is None:
        active, params = "d.active_cases", []
    else:
        seen = sorted(provinces) or [""]
        active = (f"(SELECT COUNT(*) FROM {DONOR_CASE} c WHERE c.donor_id = d.donor_id AND "
                  f"c.active = 1 AND c.province IN ({', '.join(['%s'] * len(seen))}))")
        params = seen
    columns = ", ".join(f"d.{c}" for c in _DONOR_COLUMNS[:-1])
    derived = f"SELECT {columns}, {active} AS visible_active FROM {DONOR_STATUS} d{inner.sql()}"
    query = Keyset(_DONOR_COLUMNS, f"({derived}) t", ["donor_id", "certificate_no"],
                   [*params, *inner.params], _INTEGERS)
    rows, next_cursor = keyset_page(tx, query, Where(), order, cursor, limit)
    items = [_donor_item(dict(zip(_DONOR_COLUMNS, row, strict=True)), as_of) for row in rows]
    return Page(items, next_cursor, position)


def _donor_item(row: dict[str, Any], as_of: date) -> dict[str, Any]:
    item = {k: row[k] for k in _DONOR_COLUMNS[:-1]}
    item["kind"] = item.pop("donor_kind")
    item["certificate_no"] = item["certificate_no"] or None
    item["provinces"] = [p for p in str(row["provinces"]).split(",") if p]
    item["fields"] = [f for f in str(row["fields"]).split(",") if f]
    item["active_cases"] = int(row["visible_active"])
    valid_to = row["valid_to"]
    if valid_to is None:
        item["days_to_expiry"], item["expired"] = None, None
    else:
        item["days_to_expiry"] = (date.fromisoformat(valid_to) - as_of).days
        item["expired"] = item["days_to_expiry"] < 0
    return item
