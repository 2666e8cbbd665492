"""``reporting_obligation``: the reporting calendar, one row per report a case owes.

The table never depends on the clock. A case in implementation owes reports up to its
planned end as amended (or its actual end once known, plus completion and settlement);
``query_obligations`` keeps only periods started by ``as_of`` and computes the status
(upcoming / due / overdue / submitted / accepted / returned) for that date at read time.
Each case touched in a batch is recomputed once, at the end of the batch.

``reporting_obligation_counted`` holds, per obligation, the intervals in which a submission
counted (from its date until the report was returned, the end excluded): what the one
overdue rule (``policy.overdue_on``) reads, so that the status SQL can mirror it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from application.ports import RuleBookPort
from application.projections.base import Dialect, Projection, StoredNotification, ViewTransaction
from application.projections.case_summary import CaseFeed
from application.projections.compliance import ProfileCache, cached_profile
from application.projections.paging import keyset_indexes
from application.projections.rows import replace_rows
from domain.compliance.obligations import Interval

OBLIGATIONS, COUNTED = "reporting_obligation", "reporting_obligation_counted"
COLUMNS = ("case_id", "reference", "province", "donor_id", "kind", "period_start", "period_end",
           "due_on", "first_submitted_on", "submitted_on", "accepted_on", "returned_on",
           "report_id")
COUNTED_COLUMNS = ("case_id", "kind", "period_start", "counted_from", "counted_until")
# How the calendar pages: its key, its sorts, and the filters that pick rows by equality.
OBLIGATION_KEY = ("case_id", "kind", "period_start")
OBLIGATION_SORTS = ("due_on", "period_start", "case_id", "reference", "kind", "province")
OBLIGATION_FILTERS = ("province", "donor_id", "kind")
STATUS_DATES = ("first_submitted_on", "accepted_on", "returned_on")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def counted_rows(case_id: str, kind: str, period_start: date,
                 counted: Iterable[Interval]) -> list[tuple[Any, ...]]:
    """The ``reporting_obligation_counted`` rows of one obligation."""
    return [(case_id, kind, period_start.isoformat(), start.isoformat(), _iso(end))
            for start, end in counted]


class ReportingObligationProjection(Projection):
    name = OBLIGATIONS
    tables = [OBLIGATIONS, COUNTED]

    def __init__(self, app: Any, rulebook: RuleBookPort, feed: CaseFeed | None = None) -> None:
        self.feed = feed or CaseFeed(app)  # shared with the case views when given
        self.rulebook = rulebook
        self._profiles: ProfileCache = {}

    def schema(self, dialect: Dialect, suffix: str = "") -> list[str]:
        t, c = OBLIGATIONS + suffix, COUNTED + suffix
        return [
            f"CREATE TABLE IF NOT EXISTS {t} (case_id TEXT NOT NULL, reference TEXT NOT NULL, "
            "province TEXT NOT NULL, donor_id TEXT NOT NULL, kind TEXT NOT NULL, "
            "period_start TEXT NOT NULL, period_end TEXT NOT NULL, due_on TEXT NOT NULL, "
            "first_submitted_on TEXT, submitted_on TEXT, accepted_on TEXT, returned_on TEXT, "
            "report_id TEXT NOT NULL, PRIMARY KEY (case_id, kind, period_start))",
            *keyset_indexes(OBLIGATIONS, suffix, OBLIGATION_KEY, OBLIGATION_SORTS,
                            OBLIGATION_FILTERS, "due_on"),
            # The dates a rare status implies (``queries_compliance._with_status``), over the
            # rows that have them: SQLite's statistics then count those rows, not every row
            # (it keeps no histogram), and its planner finds an empty status in the index.
            *(f"CREATE INDEX IF NOT EXISTS {OBLIGATIONS}_{column}_set_ix{suffix} ON {t} "
              f"({column}) WHERE {column} IS NOT NULL" for column in STATUS_DATES),
            f"CREATE TABLE IF NOT EXISTS {c} (case_id TEXT NOT NULL, kind TEXT NOT NULL, "
            "period_start TEXT NOT NULL, counted_from TEXT NOT NULL, counted_until TEXT, "
            "PRIMARY KEY (case_id, kind, period_start, counted_from))",
        ]

    def process_batch(self, tx: ViewTransaction, events: Sequence[StoredNotification]) -> None:
        state = self.feed.final(events)
        if not state.cases:
            return
        rows, counted = [], []
        for key, (case, _) in state.cases.items():
            case_id = state.key(key)
            profile = cached_profile(case, self.rulebook, self._profiles)
            for ob in state.calendar(case, profile):
                rows.append((case_id, case.reference, case.province, str(case.donor_id),
                             ob.kind, ob.period_start.isoformat(), ob.period_end.isoformat(),
                             ob.due_on.isoformat(), _iso(ob.first_submitted_on),
                             _iso(ob.submitted_on), _iso(ob.accepted_on), _iso(ob.returned_on),
                             ob.report_id))
                counted += counted_rows(case_id, ob.kind, ob.period_start, ob.counted)
        # A case opened in this batch has no rows yet: nothing to read back for it.
        ids, new = [state.key(k) for k in state.cases], {state.key(k) for k in state.new}
        replace_rows(tx, tx.table(OBLIGATIONS), COLUMNS, OBLIGATION_KEY, ids, rows, new)
        replace_rows(tx, tx.table(COUNTED), COUNTED_COLUMNS, COUNTED_COLUMNS[:4], ids, counted,
                     new)
