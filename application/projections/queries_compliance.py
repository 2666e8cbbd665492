"""Reads of ``compliance_flag`` and ``reporting_obligation`` for a business date ``as_of``.

Pages as every view read does (``paging``): whitelisted sort columns, a leading ``-`` for
descending, keyset cursors. ``provinces`` None means every province (a ``*`` claim).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from application.projections.base import ViewTransaction
from application.projections.compliance import FLAG_KEY, FLAG_SORTS, FLAGS
from application.projections.index_hints import filter_index
from application.projections.obligations import (
    COUNTED,
    OBLIGATION_KEY,
    OBLIGATION_SORTS,
    OBLIGATIONS,
)
from application.projections.paging import Keyset, Where, check_day, keyset_page, parse_sort
from application.projections.rows import chunks
from domain.compliance import SEVERITY
from domain.errors import InvalidInputError
from domain.policy import REPORT_KINDS

# "due": the due date is at most this many days ahead (a display choice, not a rule).
DUE_WINDOW_DAYS = 30
OBLIGATION_STATUSES = ("upcoming", "due", "overdue", "submitted", "accepted", "returned")
FLAG_STATES = ("open", "resolved", "all")

_INTEGERS = frozenset({"first_seen_position", "updated_position"})
_FLAG_COLUMNS = ("case_id", "reference", "code", "severity", "message", "rule_ref",
                 "basis_verified", "province", "donor_id", "active_from", "active_until",
                 "evidence", "first_seen_position", "updated_position")
_OB_COLUMNS = ("case_id", "reference", "province", "donor_id", "kind", "period_start",
               "period_end", "due_on", "report_id", "first_submitted_on", "submitted_on",
               "accepted_on", "returned_on")


def _values(value: Any, field: str, allowed: Sequence[str] | None = None) -> list[str]:
    items = [str(v) for v in (value if isinstance(value, (list, tuple, set)) else [value])]
    if allowed is not None and any(v not in allowed for v in items):
        raise InvalidInputError(f"{field} must be one of {', '.join(allowed)}",
                                code=f"invalid_{field}", field=field)
    return items


def _day(value: Any, field: str) -> str:
    if isinstance(value, date):
        return check_day(value, field).isoformat()
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInputError(f"{field} must be a date (YYYY-MM-DD)", code="invalid_date",
                                field=field) from None
    return check_day(day, field).isoformat()


def _filters(filters: dict[str, Any], known: Sequence[str]) -> dict[str, Any]:
    given = {k: v for k, v in (filters or {}).items() if v is not None and v != ""}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise InvalidInputError(f"unknown filter(s): {', '.join(unknown)}",
                                code="invalid_filter", field=unknown[0])
    return given


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# --- compliance flags ---------------------------------------------------------------------

def query_compliance(tx: ViewTransaction, *, provinces: list[str] | None,
                     filters: dict[str, Any], as_of: date, cursor: str | None, limit: int,
                     sort: str) -> tuple[list[dict[str, Any]], str | None]:
    """Flags as of ``as_of``: ``state`` open (default), resolved (by then) or all (raised by
    then). Filters: code, severity, province, donor_id, case_id, state."""
    given = _filters(filters, ("code", "severity", "province", "donor_id", "case_id", "state"))
    day = check_day(as_of).isoformat()
    where = _flags_in_state(_values(given.pop("state", "open"), "state", FLAG_STATES)[0], day)
    where.any_of("province", provinces)
    checks = {"code": tuple(SEVERITY), "severity": ("critical", "warning")}
    for name, value in given.items():
        where.any_of(name, _values(value, name, checks.get(name)))
    order = parse_sort(sort, FLAG_SORTS, "-active_from")
    query = Keyset(_FLAG_COLUMNS, tx.table(FLAGS) + filter_index(tx, FLAGS, "province",
                                                                  where.among("province")),
                   FLAG_KEY, integers=_INTEGERS)
    rows, next_cursor = keyset_page(tx, query, where, order, cursor, limit)
    result = []
    for row in rows:
        item = {k: _plain(v) for k, v in zip(_FLAG_COLUMNS, row, strict=True)}
        item["evidence"] = json.loads(item["evidence"])
        item["basis_verified"] = bool(item["basis_verified"])  # SQLite stores 0 or 1
        until = item["active_until"]
        item["open"] = item["active_from"] <= day and (until is None or until > day)
        item["resolved_on"] = until if until is not None and until <= day else None
        result.append(item)
    return result, next_cursor


def _flags_in_state(state: str, day: str) -> Where:
    """Flags open on ``day``, resolved by then, or (``all``) raised by then."""
    where = Where()
    if state == "open":
        where.add("active_from <= %s AND (active_until IS NULL OR active_until > %s)", day, day)
    elif state == "resolved":
        where.add("active_until IS NOT NULL AND active_until <= %s", day)
    else:
        where.add("active_from <= %s", day)
    return where


def count_open_flags(tx: ViewTransaction, *, provinces: list[str] | None,
                     as_of: date) -> list[tuple[str, str, str, int]]:
    """How many flags are open on ``as_of``: (code, severity, province, count) rows, counted
    by the database (a dashboard need not read every flag)."""
    where = _flags_in_state("open", check_day(as_of).isoformat())
    where.any_of("province", provinces)
    rows = tx.fetchall(f"SELECT code, severity, province, COUNT(*) FROM {tx.table(FLAGS)}"
                       f"{where.sql()} GROUP BY code, severity, province", where.params)
    return sorted((str(c), str(s), str(p), int(n)) for c, s, p, n in rows)


def open_flag_counts(tx: ViewTransaction, case_ids: Iterable[Any],
                     as_of: date) -> dict[Any, int]:
    """How many flags of each case are open on ``as_of`` (0 for a case with none)."""
    given = {str(c): c for c in case_ids}
    counts: dict[Any, int] = dict.fromkeys(given.values(), 0)
    day = as_of.isoformat()
    for part in chunks(sorted(given)):
        holders = ", ".join(["%s"] * len(part))
        for case_id, count in tx.fetchall(
                f"SELECT case_id, COUNT(*) FROM {tx.table(FLAGS)} WHERE case_id IN ({holders}) "
                "AND active_from <= %s AND (active_until IS NULL OR active_until > %s) "
                "GROUP BY case_id", [*part, day, day]):
            counts[given[str(case_id)]] = int(count)
    return counts


# --- the reporting calendar ---------------------------------------------------------------

def _counting(tx: ViewTransaction) -> str:
    """A submission of the row of ``reporting_obligation o`` counts on the day (two ``%s``)."""
    return (f"EXISTS (SELECT 1 FROM {tx.table(COUNTED)} c WHERE c.case_id = o.case_id "
            "AND c.kind = o.kind AND c.period_start = o.period_start "
            "AND c.counted_from <= %s AND (c.counted_until IS NULL OR c.counted_until > %s))")


def _status_sql(tx: ViewTransaction, as_of: date) -> tuple[str, list[Any]]:
    """The status on ``as_of`` of a row of ``reporting_obligation o``. "submitted" while a
    submission counts (an interval of ``reporting_obligation_counted`` holds the day), and
    "overdue" after the due date otherwise: ``policy.overdue_on``, day for day."""
    day, window = as_of.isoformat(), (as_of + timedelta(days=DUE_WINDOW_DAYS)).isoformat()
    sql = ("CASE WHEN accepted_on IS NOT NULL AND accepted_on <= %s THEN 'accepted' "
           f"WHEN {_counting(tx)} THEN 'submitted' "
           "WHEN due_on < %s THEN 'overdue' "
           "WHEN returned_on IS NOT NULL AND returned_on <= %s THEN 'returned' "
           "WHEN due_on <= %s THEN 'due' ELSE 'upcoming' END")
    return sql, [day, day, day, day, day, window]


def _with_status(tx: ViewTransaction, where: Where, statuses: Sequence[str],
                 as_of: date) -> None:
    """Rows whose ``_status_sql`` is one of ``statuses``, written as the conditions that the
    CASE's branches stand for rather than the CASE itself: a planner can estimate them and
    use the dates' indexes, so that a rare status is an index lookup and a common one stops
    after a page (a submission counts from a date on or after the first one)."""
    day, window = as_of.isoformat(), (as_of + timedelta(days=DUE_WINDOW_DAYS)).isoformat()
    not_accepted = ("(accepted_on IS NULL OR accepted_on > %s)", [day])
    not_counted = (f"NOT {_counting(tx)}", [day, day])
    not_returned = ("(returned_on IS NULL OR returned_on > %s)", [day])
    branches: dict[str, list[tuple[str, list[str]]]] = {
        "accepted": [("accepted_on <= %s", [day])],
        "submitted": [not_accepted, ("first_submitted_on <= %s", [day]),
                      (_counting(tx), [day, day])],
        "overdue": [not_accepted, not_counted, ("due_on < %s", [day])],
        # SQLite: ``+`` keeps its planner off the due date's range (a quarter of the rows by
        # its guess), so that it reads the returned reports' own index.
        "returned": [not_accepted, not_counted,
                     (("+" if tx.dialect == "sqlite" else "") + "due_on >= %s", [day]),
                     ("returned_on <= %s", [day])],
        "due": [not_accepted, not_counted, not_returned,
                ("due_on >= %s AND due_on <= %s", [day, window])],
        "upcoming": [not_accepted, not_counted, not_returned, ("due_on > %s", [window])],
    }
    chosen = [branches[s] for s in sorted(set(statuses))]
    where.add("(" + " OR ".join("(" + " AND ".join(sql for sql, _ in parts) + ")"
                                for parts in chosen) + ")",
              *(p for parts in chosen for _, params in parts for p in params))


def query_obligations(tx: ViewTransaction, *, provinces: list[str] | None,
                      filters: dict[str, Any], as_of: date, cursor: str | None, limit: int,
                      sort: str) -> tuple[list[dict[str, Any]], str | None]:
    """Reports owed for periods started by ``as_of``, with their status on that date.
    Filters: province, donor_id, case_id, kind, status, due_from, due_to."""
    given = _filters(filters, ("province", "donor_id", "case_id", "kind", "status",
                               "due_from", "due_to"))
    status_sql, status_params = _status_sql(tx, check_day(as_of))
    statuses = _values(given.pop("status"), "status", OBLIGATION_STATUSES) \
        if "status" in given else None
    where = _owed(tx, as_of, provinces, statuses)
    if "due_from" in given:
        where.add("due_on >= %s", _day(given.pop("due_from"), "due_from"))
    if "due_to" in given:
        where.add("due_on <= %s", _day(given.pop("due_to"), "due_to"))
    for name, value in given.items():
        where.any_of(name, _values(value, name, REPORT_KINDS if name == "kind" else None))
    order = parse_sort(sort, OBLIGATION_SORTS, "due_on")
    hint = filter_index(tx, OBLIGATIONS, "province", where.among("province"))
    query = Keyset([*_OB_COLUMNS, f"{status_sql} AS status"], f"{tx.table(OBLIGATIONS)} o{hint}",
                   OBLIGATION_KEY, status_params)
    rows, next_cursor = keyset_page(tx, query, where, order, cursor, limit)
    names = (*_OB_COLUMNS, "status")
    result = []
    for row in rows:
        item = {k: _plain(v) for k, v in zip(names, row, strict=True)}
        item["overdue"] = item["status"] == "overdue"
        result.append(item)
    return result, next_cursor


def _owed(tx: ViewTransaction, as_of: date, provinces: list[str] | None,
          statuses: list[str] | None) -> Where:
    """Reports for periods begun by ``as_of`` in ``provinces``, of ``statuses`` then."""
    where = Where()
    where.add("period_start <= %s", as_of.isoformat())
    where.any_of("province", provinces)
    if statuses is not None:
        _with_status(tx, where, statuses, as_of)
    return where


def count_obligations_by_month(tx: ViewTransaction, *, provinces: list[str] | None,
                               as_of: date, statuses: Sequence[str]
                               ) -> list[tuple[str, str, int]]:
    """How many reports of ``statuses`` are owed on ``as_of``: (month due ``YYYY-MM``,
    status, count) rows, counted by the database."""
    chosen = _values(list(statuses), "status", OBLIGATION_STATUSES)
    status_sql, status_params = _status_sql(tx, check_day(as_of))
    where = _owed(tx, as_of, provinces, chosen)
    rows = tx.fetchall(f"SELECT substr(due_on, 1, 7), {status_sql}, COUNT(*) "
                       f"FROM {tx.table(OBLIGATIONS)} o{where.sql()} GROUP BY 1, 2",
                       [*status_params, *where.params])
    return sorted((str(m), str(s), int(n)) for m, s, n in rows)
