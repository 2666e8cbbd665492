"""``case_summary``: one row per case for lists, filters and search (SPEC §3).

Amounts are exact integers: the case-currency ones in the currency's minor units (cents for
USD, whole dong for VND), the VND equivalents in whole dong (VND has no minor unit). Integers
sort numerically and sum exactly on both dialects, where SQLite's NUMERIC would go through a
float. Dates are ISO text, which sorts as dates on both dialects and reads back the same.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.ports import RuleBookPort
from application.profiles import case_profile
from application.projections.aggregates import AggregateReplay, is_case_event, is_donor_event
from application.projections.base import Dialect, Projection, StoredNotification, ViewTransaction
from application.projections.paging import keyset_indexes
from application.projections.rows import replace_rows
from application.projections.text_index import search_schema
from domain.compliance import ObligationState, case_obligations
from domain.errors import DomainError
from domain.money import minor_units
from domain.rules import RuleProfile

SUMMARY = "case_summary"
DONOR_NAMES = "case_summary_donor"
FINAL_STATES = ("rejected", "revoked", "closed")

COLUMNS = (
    "id", "reference", "title", "search_text", "province", "donor_id", "donor_name",
    "aid_form", "sectors", "sectors_json", "status", "iati_status", "currency",
    "approved_minor", "received_minor", "disbursed_minor", "spent_minor",
    "approved_vnd", "received_vnd", "disbursed_vnd", "spent_vnd",
    "opened_on", "approved_on", "planned_start", "planned_end", "actual_start", "actual_end",
    "next_report_due", "version", "last_event_at", "last_position",
)
MONEY = ("received", "disbursed", "spent")
# The sorts the case list offers: name -> SQL. A nullable column sorts as a fixed value, so
# that the keyset comparison and the index on the same expression agree.
CASE_SORTS = {
    "reference": "reference", "title": "title", "status": "status", "province": "province",
    "planned_start": "planned_start", "planned_end": "planned_end",
    "approved_vnd": "COALESCE(approved_vnd, -1)", "received_vnd": "received_vnd",
    "disbursed_vnd": "disbursed_vnd", "spent_vnd": "spent_vnd",
    "next_report_due": "COALESCE(next_report_due, '9999-12-31')",
    "last_event_at": "last_event_at",
}
# The filters that pick rows by equality, each indexed with the default sort after it.
CASE_FILTERS = ("province", "status", "aid_form", "donor_id")


@dataclass
class BatchState:
    """The aggregates a batch leaves behind, each with the position of its last event there.

    ``new`` holds the aggregates whose first event is in the batch: nothing of them was
    applied before, so a view has no rows of theirs to read, delete or update (a rebuild's
    common case, where rows can simply be inserted).
    """

    cases: dict[UUID, tuple[Any, int]] = field(default_factory=dict)
    donors: dict[UUID, tuple[Any, int]] = field(default_factory=dict)
    new: set[UUID] = field(default_factory=set)
    keys: dict[UUID, str] = field(default_factory=dict)  # str(id) of each, computed once
    calendars: dict[tuple[UUID, int], list[ObligationState]] = field(default_factory=dict)

    def key(self, aggregate_id: UUID) -> str:
        text = self.keys.get(aggregate_id)
        if text is None:
            text = self.keys[aggregate_id] = str(aggregate_id)
        return text

    def calendar(self, case: Any, profile: RuleProfile) -> list[ObligationState]:
        """The case's reporting calendar (``case_obligations``), computed once per batch for
        the views that read it; ``profile`` is the case's own, from the one rulebook of the
        views (the compliance flags and the calendar view)."""
        at = (case.id, case.version)
        found = self.calendars.get(at)
        if found is None:
            found = self.calendars[at] = case_obligations(case, profile)
        return found


class CaseFeed:
    """One aggregate replay shared by the case views.

    The runner hands the same page to every projection in turn; replaying it once and handing
    the result to the others avoids mutating a copy of each aggregate per view (the replay is
    most of a rebuild's cost). Only the latest batch is remembered, and it is forgotten before
    the replay moves on, so the aggregates handed out are never later than their batch.
    """

    def __init__(self, app: Any, capacity: int = 5000) -> None:
        self.replay = AggregateReplay(app, capacity)
        self._key: tuple[int, int, int] | None = None
        self._state = BatchState()

    def final(self, events: Sequence[StoredNotification]) -> BatchState:
        key = (events[0].position, events[-1].position, len(events)) if events else (0, 0, 0)
        if key == self._key:
            return self._state
        self._key = None
        state = BatchState()
        after = self.replay.after
        for n in events:
            if is_case_event(n):
                into = state.cases
            elif is_donor_event(n):
                into = state.donors
            else:
                continue
            oid = _uuid(n.originator_id)
            into[oid] = (after(n), n.position)
            if n.originator_version == 1:
                state.new.add(oid)
            state.keys[oid] = n.key
        self._key, self._state = key, state
        return state


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)


def minor(amount: Decimal | None, currency: str) -> int | None:
    """An amount in the currency's minor units; exact, or an error (never a silent cut)."""
    if amount is None:
        return None
    scaled = amount.scaleb(minor_units(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} {currency} has more decimals than the currency allows")
    return int(scaled)


def from_minor(value: int | None, currency: str) -> Decimal | None:
    if value is None:
        return None
    places = minor_units(currency)
    return Decimal(int(value)).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def whole_vnd(amount: Decimal | None) -> int | None:
    return minor(amount, "VND")


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics, so that ``nuoc sach`` finds ``Nước sạch``."""
    text = text.replace("Đ", "D").replace("đ", "d")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text)
                       if not unicodedata.combining(c))
    return stripped.casefold()


def profile_for(rulebook: RuleBookPort, case: Any) -> RuleProfile | None:
    """The case's rules (``profiles.case_profile``, as a view reads them); None when no
    profile applies, so that the case shows no report due rather than stopping the view."""
    try:
        return case_profile(rulebook, case)
    except DomainError:
        return None


def next_report_due(case: Any, profile: RuleProfile | None) -> date | None:
    """The earliest due date of a report owed and not submitted (a returned one is owed).

    The calendar is listed up to the planned end, or past the latest period reported, so the
    result is a fact of the case's events and not of the day the projection ran; whether it is
    overdue is decided at read time against ``as_of``.
    """
    if profile is None or case.actual_start is None:
        return None
    horizon = case.planned_end
    for report in case.reports.values():
        if report["status"] != "returned":
            horizon = max(horizon, report["period_end"] + timedelta(days=1))
    owed = [ob["due_on"] for ob in case.obligations(profile, horizon)
            if ob["status"] in (None, "returned")]
    return min(owed) if owed else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def summary_row(case: Any, position: int, donor_name: str | None,
                due: date | None, case_id: str | None = None) -> tuple[Any, ...]:
    """The ``case_summary`` row of a case, in ``COLUMNS`` order."""
    currency = case.currency
    sectors = [{"code": s["code"], "percentage": str(s["percentage"])} for s in case.sectors]
    approval = case.approval or {}
    return (
        case_id or str(case.id), case.reference, case.title, fold(f"{case.reference} {case.title}"),
        case.province, str(case.donor_id), donor_name, case.aid_form,
        ",".join(s["code"] for s in sectors), json.dumps(sectors, separators=(",", ":")),
        case.status, case.iati_status, currency,
        minor(case.approved_amount, currency),
        *(minor(case.totals[m], currency) for m in MONEY),
        whole_vnd(case.approved_vnd), *(whole_vnd(case.totals_vnd[m]) for m in MONEY),
        _iso(case.opened_on), _iso(approval.get("decision_date")),
        _iso(case.planned_start), _iso(case.planned_end), _iso(case.actual_start),
        _iso(case.actual_end), _iso(due), case.version, case.modified_on.isoformat(), position,
    )


class CaseSummaryProjection(Projection):
    """``case_summary`` and the donor names it shows (``case_summary_donor``)."""

    name = SUMMARY
    tables = [SUMMARY, DONOR_NAMES]

    def __init__(self, feed: CaseFeed, rulebook: RuleBookPort) -> None:
        self.feed = feed
        self.rulebook = rulebook

    def schema(self, dialect: Dialect, suffix: str = "") -> list[str]:
        t = SUMMARY
        money = ", ".join(f"{m}_minor BIGINT NOT NULL, {m}_vnd BIGINT NOT NULL" for m in MONEY)
        return [
            f"CREATE TABLE IF NOT EXISTS {t}{suffix} (id TEXT PRIMARY KEY, "
            "reference TEXT NOT NULL, title TEXT NOT NULL, search_text TEXT NOT NULL, "
            "province TEXT NOT NULL, donor_id TEXT NOT NULL, donor_name TEXT, "
            "aid_form TEXT NOT NULL, sectors TEXT NOT NULL, sectors_json TEXT NOT NULL, "
            "status TEXT NOT NULL, iati_status INTEGER NOT NULL, currency TEXT NOT NULL, "
            f"approved_minor BIGINT, approved_vnd BIGINT, {money}, "
            "opened_on TEXT NOT NULL, approved_on TEXT, planned_start TEXT NOT NULL, "
            "planned_end TEXT NOT NULL, actual_start TEXT, actual_end TEXT, "
            "next_report_due TEXT, version BIGINT NOT NULL, last_event_at TEXT NOT NULL, "
            "last_position BIGINT NOT NULL)",
            # Each equality filter with the default sort after it, and each sort: every index
            # ends with the keyset's tie-breaker, so that a page, the first or one after a
            # cursor, is one index range and not a sort of every matching row. (Text search
            # and the sector filter: ``search_indexes``.)
            *keyset_indexes(t, suffix, ["id"], CASE_SORTS, CASE_FILTERS, "reference"),
            f"CREATE TABLE IF NOT EXISTS {DONOR_NAMES}{suffix} (donor_id TEXT PRIMARY KEY, "
            "name TEXT NOT NULL)",
            # The live table's search on SQLite (a shadow copy for verifying needs none).
            *(search_schema(t) if dialect == "sqlite" and not suffix else []),
        ]

    def process_batch(self, tx: ViewTransaction, events: Sequence[StoredNotification]) -> None:
        state = self.feed.final(events)
        names_table = tx.table(DONOR_NAMES)
        if state.donors:
            tx.executemany(f"INSERT INTO {names_table} (donor_id, name) VALUES (%s, %s) "
                           "ON CONFLICT (donor_id) DO UPDATE SET name = excluded.name",
                           [(state.key(d), donor.name)
                            for d, (donor, _) in state.donors.items()])
        if not state.cases:
            return
        donor_ids = sorted({str(c.donor_id) for c, _ in state.cases.values()})
        marks = ", ".join(["%s"] * len(donor_ids))
        names = {str(d): str(n) for d, n in tx.fetchall(
            f"SELECT donor_id, name FROM {names_table} WHERE donor_id IN ({marks})", donor_ids)}
        profiles: dict[tuple[bool, str, Any, str], RuleProfile | None] = {}
        fresh: list[tuple[Any, ...]] = []
        changed: list[tuple[Any, ...]] = []
        for case_id, (case, position) in state.cases.items():
            key = (bool(case.submissions), case.legal_basis, case.opened_on, case.province)
            if key not in profiles:
                profiles[key] = profile_for(self.rulebook, case)
            row = summary_row(case, position, names.get(str(case.donor_id)),
                              next_report_due(case, profiles[key]), state.key(case_id))
            (fresh if case_id in state.new else changed).append(row)
        table = tx.table(SUMMARY)
        tx.insert_rows(table, COLUMNS, fresh)  # cases opened in this batch: no row yet
        # The others: only the columns that changed (not the search text's index each time).
        replace_rows(tx, table, COLUMNS, ("id",), [r[0] for r in changed], changed)
