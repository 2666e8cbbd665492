"""``compliance_flag``: the spans of domain.compliance for every case, kept current in batches.

Each case touched in a batch (by its own events, or by an event of its donor) is evaluated
once, at the end of the batch, from the aggregate as the log stands there; its rows are
replaced in the same transaction. Evidence is stored as log positions: the projection keeps
``compliance_event`` (aggregate, version -> position, name, key, deviation count) so that
the versions the domain names can be mapped. ``first_seen_position`` and
``updated_position`` are the earliest and latest evidence positions: they derive from the
log, not from where a batch happened to end, so a rebuild equals the incremental view.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from application.notifications.events import Clock, raise_alerts
from application.ports import RuleBookPort
from application.profiles import case_profile
from application.projections.aggregates import is_case_event, is_donor_event
from application.projections.base import Dialect, Projection, StoredNotification, ViewTransaction
from application.projections.case_summary import BatchState, CaseFeed
from application.projections.known_marks import AggregateMarks, KnownMarks, MarkRow
from application.projections.known_transactions import KnownTransactions
from application.projections.paging import keyset_indexes
from application.projections.rows import chunks, replace_rows
from domain.case import AidCase
from domain.compliance import (
    FINAL_STATES,
    History,
    certificate_horizon,
    evaluate_case,
    mark,
)
from domain.compliance.certificates import DonorCertificates
from domain.donor import Donor
from domain.rules import RuleProfile

FLAGS, CASES, EVENTS = "compliance_flag", "compliance_case", "compliance_event"
# Schema version 5 added the column to existing tables with this type (infrastructure.schema).
BASIS_VERIFIED_TYPE = "BOOLEAN NOT NULL DEFAULT FALSE"
# How the flag list pages: its key, its sorts, and the filters that pick flags by equality.
FLAG_KEY = ("case_id", "code", "active_from")
FLAG_SORTS = ("active_from", "code", "severity", "case_id", "reference", "province",
              "first_seen_position", "updated_position")
FLAG_FILTERS = ("code", "severity", "province", "donor_id")
FLAG_COLUMNS = ("case_id", "reference", "code", "severity", "message", "rule_ref",
                "basis_verified", "province", "donor_id", "active_from", "active_until",
                "evidence", "first_seen_position", "updated_position")
CASE_COLUMNS = ("case_id", "donor_id", "province", "version", "final", "horizon_on")


ProfileCache = dict[tuple[str, str, date], RuleProfile]


def cached_profile(case: AidCase, rulebook: RuleBookPort,
                   cache: ProfileCache | None = None) -> RuleProfile:
    """The case's own rules as a view reads them (``profiles.case_profile``), remembered by
    what they depend on: the legal basis, the province and the opening day."""
    key = (case.legal_basis, case.province, case.opened_on)
    if cache is not None and key in cache:
        return cache[key]
    profile = case_profile(rulebook, case)
    if cache is not None:
        cache[key] = profile
    return profile


def event_name(n: StoredNotification) -> str:
    return n.topic.rsplit(".", 1)[-1]


class ComplianceProjection(Projection):
    name = FLAGS
    tables = [FLAGS, CASES, EVENTS]

    def __init__(self, app: Any, rulebook: RuleBookPort, feed: CaseFeed | None = None,
                 donor_capacity: int = 2000, clock: Clock | None = None) -> None:
        self.app = app
        self.clock = clock  # None: no alerts into the outbox (see notifications.events)
        self.feed = feed or CaseFeed(app)  # shared with the case views when given
        self.rulebook = rulebook
        self._profiles: ProfileCache = {}
        self._donors: OrderedDict[str, Any] = OrderedDict()
        self._donor_capacity = donor_capacity
        self.marks = KnownMarks()
        self.transactions = KnownTransactions()

    def schema(self, dialect: Dialect, suffix: str = "") -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {FLAGS}{suffix} (case_id TEXT NOT NULL, "
            "reference TEXT NOT NULL, code TEXT NOT NULL, severity TEXT NOT NULL, "
            "message TEXT NOT NULL, rule_ref TEXT NOT NULL, "
            f"basis_verified {BASIS_VERIFIED_TYPE}, province TEXT NOT NULL, "
            "donor_id TEXT NOT NULL, active_from TEXT NOT NULL, active_until TEXT, "
            "evidence TEXT NOT NULL, first_seen_position BIGINT NOT NULL, "
            "updated_position BIGINT NOT NULL, PRIMARY KEY (case_id, code, active_from))",
            *keyset_indexes(FLAGS, suffix, FLAG_KEY, FLAG_SORTS, FLAG_FILTERS, "active_from"),
            # Resolved flags, few among many open ones.
            f"CREATE INDEX IF NOT EXISTS {FLAGS}_active_until_ix{suffix} ON {FLAGS}{suffix} "
            "(active_until)",
            f"CREATE TABLE IF NOT EXISTS {CASES}{suffix} (case_id TEXT PRIMARY KEY, "
            "donor_id TEXT NOT NULL, province TEXT NOT NULL, version BIGINT NOT NULL, "
            "final BOOLEAN NOT NULL, horizon_on TEXT)",
            f"CREATE INDEX IF NOT EXISTS {CASES}{suffix}_donor ON {CASES}{suffix} (donor_id)",
            f"CREATE TABLE IF NOT EXISTS {EVENTS}{suffix} (aggregate_id TEXT NOT NULL, "
            "version BIGINT NOT NULL, position BIGINT NOT NULL, name TEXT NOT NULL, "
            "event_key TEXT NOT NULL, deviations INTEGER NOT NULL, "
            "PRIMARY KEY (aggregate_id, version))",
        ]

    def process_batch(self, tx: ViewTransaction, events: Sequence[StoredNotification]) -> None:
        state = self.feed.final(events)
        cases = {state.key(k): agg for k, (agg, _) in state.cases.items()}
        # Aggregates whose first event is in this batch: every mark of theirs is in it, and
        # no row of theirs is stored yet (nothing to read back or delete).
        new = {state.key(k) for k in state.new}
        for k, (donor, _) in state.donors.items():
            self._remember(state.key(k), donor)
        donor_changes: dict[str, date] = {}  # donor -> earliest business date it changed
        index = []
        added: dict[str, list[MarkRow]] = {}  # each aggregate's marks in this batch
        for n in events:
            donor_event = is_donor_event(n)
            if not (donor_event or is_case_event(n)):
                continue
            e = n.event
            m = mark(n.originator_version, event_name(n), e)
            key = n.key
            index.append((key, n.originator_version, n.position, m.name, m.key, m.deviations))
            added.setdefault(key, []).append(
                MarkRow(n.originator_version, n.position, m.name, m.key, m.deviations))
            if donor_event and m.name != "Registered":
                # A certificate's validity starts on its issue date, whenever recorded.
                on = min(getattr(e, "issued_on", None) or e.effective_date, e.effective_date)
                donor_changes[key] = min(on, donor_changes.get(key, on))
        if not index:
            return
        tx.insert_rows(tx.table(EVENTS), ("aggregate_id", "version", "position", "name",
                                          "event_key", "deviations"), index)
        self._add_donor_cases(tx, cases, donor_changes)
        flag_rows = self._recompute(tx, cases, added, new, state) if cases else []
        raise_alerts(tx, self.clock, tx.table(FLAGS) == FLAGS, events,
                     {state.key(k): donor for k, (donor, _) in state.donors.items()},
                     flag_rows, cases)

    def _add_donor_cases(self, tx: ViewTransaction, cases: dict[str, Any],
                         changes: dict[str, date]) -> None:
        """The cases a donor change can affect: every one not settled before the change."""
        for part in chunks(sorted(changes)):
            marks = ", ".join(["%s"] * len(part))
            rows = tx.fetchall(f"SELECT case_id, donor_id, version, horizon_on FROM "
                               f"{tx.table(CASES)} WHERE donor_id IN ({marks})", part)
            for case_id, donor_id, version, horizon in rows:
                if case_id in cases:
                    continue
                if horizon is None or date.fromisoformat(str(horizon)) >= changes[donor_id]:
                    cases[case_id] = self.app.repository.get(UUID(case_id),
                                                             version=int(version))

    def _remember(self, donor_id: str, donor: Any) -> None:
        self._donors[donor_id] = donor
        self._donors.move_to_end(donor_id)
        if len(self._donors) > self._donor_capacity:
            self._donors.popitem(last=False)

    def _donor(self, donor_id: str, version: int) -> Any:
        """The donor as of this projection's position (its latest indexed version)."""
        donor = self._donors.get(donor_id)
        if donor is None or donor.version != version:
            donor = self.app.repository.get(UUID(donor_id), version=version)
        self._remember(donor_id, donor)
        return donor

    def _recompute(self, tx: ViewTransaction, cases: dict[str, Any],
                   added: dict[str, list[MarkRow]], new: set[str],
                   state: BatchState) -> list[tuple[Any, ...]]:
        """Evaluate each case once and replace its rows (returned). ``added`` has the marks of
        this batch, every mark of the aggregates first seen in it (``new``: no stored rows);
        the marks of the others are those kept in memory when still whole, else read back
        from ``compliance_event``."""
        ids = sorted(cases)
        donor_ids = sorted({str(c.donor_id) for c in cases.values()})
        stored = [k for k in ids + donor_ids if k not in new]
        marks = self.marks.whole(tx, tx.table(EVENTS), stored, added)
        for part in chunks([k for k in stored if k not in marks]):
            holders = ", ".join(["%s"] * len(part))
            rows: dict[str, list[tuple[int, int, str, str, int]]] = {}
            for agg, version, position, name, key, devs in tx.fetchall(
                    f"SELECT aggregate_id, version, position, name, event_key, deviations FROM "
                    f"{tx.table(EVENTS)} WHERE aggregate_id IN ({holders}) "
                    f"ORDER BY aggregate_id, version", part):
                rows.setdefault(str(agg), []).append(
                    (int(version), int(position), str(name), str(key), int(devs)))
            marks.update((k, AggregateMarks(r)) for k, r in rows.items())
        marks.update((k, AggregateMarks(added[k])) for k in ids + donor_ids
                     if k in new and k in added)
        # Kept for the aggregates stored before this batch: one first seen here is kept once
        # it is touched again, so a rebuild (each case mostly within one page) keeps little.
        self.marks.keep({k: m for k, m in marks.items() if k not in new})
        donors = {d: self._donor(d, marks[d].version) for d in donor_ids if marks.get(d)}
        # Each donor's certificates worked out once for all of its cases in this batch (the
        # donor stays at one version meanwhile).
        certificates = {d: DonorCertificates(donor) for d, donor in donors.items()}
        flag_rows, case_rows = [], []
        nothing = AggregateMarks()
        for case_id in ids:
            case: AidCase = cases[case_id]
            donor_id = str(case.donor_id)
            donor: Donor | None = donors.get(donor_id)
            case_marks, donor_marks = marks.get(case_id, nothing), marks.get(donor_id, nothing)
            history = History(case_marks.index, donor_marks.index)
            profile = cached_profile(case, self.rulebook, self._profiles)
            for span in evaluate_case(case, donor, profile, history,
                                      state.calendar(case, profile),
                                      self.transactions.of(case_id, case.transactions,
                                                           keep=case_id not in new),
                                      certificates.get(donor_id)):
                evidence = sorted(case_marks.positions(span.evidence)
                                  | donor_marks.positions(span.donor_evidence))
                # A span without evidence of its own derives from the case's last event.
                seen = evidence or [case_marks.last]
                flag_rows.append((
                    case_id, case.reference, span.code, span.severity, span.message,
                    span.rule_ref, span.basis_verified, case.province, donor_id,
                    span.active_from.isoformat(),
                    span.active_until.isoformat() if span.active_until else None,
                    json.dumps(evidence), min(seen), max(seen)))
            horizon = certificate_horizon(case)
            case_rows.append((case_id, donor_id, case.province, case.version,
                              case.status in FINAL_STATES,
                              horizon.isoformat() if horizon else None))
        replace_rows(tx, tx.table(FLAGS), FLAG_COLUMNS, FLAG_KEY, ids, flag_rows, new)
        replace_rows(tx, tx.table(CASES), CASE_COLUMNS, ("case_id",), ids, case_rows, new)
        return flag_rows
