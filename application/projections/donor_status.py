"""``donor_status``: the donor register, one row per certificate, with active case counts.

A donor without a certificate has one row with an empty ``certificate_no``. Status is kept as
the register recorded it; "expired" and "days to expiry" depend on the date asked about and
are computed at read time. ``donor_case`` keeps each case's donor, province and whether it
is still active (not rejected, revoked or closed), so a reader limited to some provinces can
count only the cases it may see; ``active_cases`` holds the count over every province.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from application.projections.base import Dialect, Projection, StoredNotification, ViewTransaction
from application.projections.case_summary import FINAL_STATES, CaseFeed, fold
from application.projections.rows import chunks

DONOR_STATUS = "donor_status"
DONOR_CASE = "donor_case"
COLUMNS = ("donor_id", "certificate_no", "code", "name", "search_text", "country", "donor_kind",
           "certificate_kind", "valid_from", "valid_to", "provinces", "fields", "status",
           "suspended_until", "active_cases", "version", "last_position")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def donor_rows(donor: Any, position: int) -> list[tuple[Any, ...]]:
    """The donor's rows in ``COLUMNS`` order (``active_cases`` is filled in afterwards)."""
    head = (str(donor.id),)
    about = (donor.code, donor.name, fold(f"{donor.code} {donor.name}"), donor.country,
             donor.kind)
    if not donor.certificates:
        return [(*head, "", *about, None, None, None, "", "", None, None, 0, donor.version,
                 position)]
    return [(*head, number, *about, cert["kind"], _iso(cert["issued_on"]),
             _iso(cert["expires_on"]), ",".join(cert["provinces"]), ",".join(cert["fields"]),
             cert["status"], _iso(cert["until"]), 0, donor.version, position)
            for number, cert in sorted(donor.certificates.items())]


class DonorStatusProjection(Projection):
    name = DONOR_STATUS
    tables = [DONOR_STATUS, DONOR_CASE]

    def __init__(self, feed: CaseFeed) -> None:
        self.feed = feed

    def schema(self, dialect: Dialect, suffix: str = "") -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {DONOR_STATUS}{suffix} (donor_id TEXT NOT NULL, "
            "certificate_no TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, "
            "search_text TEXT NOT NULL, "
            "country TEXT NOT NULL, donor_kind TEXT NOT NULL, certificate_kind TEXT, "
            "valid_from TEXT, valid_to TEXT, provinces TEXT NOT NULL, fields TEXT NOT NULL, "
            "status TEXT, suspended_until TEXT, active_cases BIGINT NOT NULL, "
            "version BIGINT NOT NULL, last_position BIGINT NOT NULL, "
            "PRIMARY KEY (donor_id, certificate_no))",
            f"CREATE INDEX IF NOT EXISTS donor_status_valid_to_ix{suffix} ON "
            f"{DONOR_STATUS}{suffix} (valid_to)",
            f"CREATE TABLE IF NOT EXISTS {DONOR_CASE}{suffix} (case_id TEXT PRIMARY KEY, "
            "donor_id TEXT NOT NULL, province TEXT NOT NULL, active INTEGER NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS donor_case_donor_ix{suffix} ON {DONOR_CASE}{suffix} "
            "(donor_id, active, province)",
        ]

    def process_batch(self, tx: ViewTransaction, events: Sequence[StoredNotification]) -> None:
        state = self.feed.final(events)
        register, cases = tx.table(DONOR_STATUS), tx.table(DONOR_CASE)
        if state.donors:
            # A donor's rows are replaced whole (a first certificate replaces the empty row);
            # its count is taken again from donor_case, which this batch has not changed yet.
            donors = sorted(str(d) for d in state.donors)
            tx.execute(f"DELETE FROM {register} WHERE donor_id IN "
                       f"({', '.join(['%s'] * len(donors))})", donors)
            tx.executemany(f"INSERT INTO {register} ({', '.join(COLUMNS)}) VALUES "
                           f"({', '.join(['%s'] * len(COLUMNS))})",
                           [r for donor, position in state.donors.values()
                            for r in donor_rows(donor, position)])
            tx.execute(f"UPDATE {register} SET active_cases = (SELECT COUNT(*) FROM {cases} c "
                       f"WHERE c.donor_id = {register}.donor_id AND c.active = 1) "
                       f"WHERE donor_id IN ({', '.join(['%s'] * len(donors))})", donors)
        if not state.cases:
            return
        # A case opened in this batch has no donor_case row yet: nothing to read for it.
        ids = [state.key(c) for c in state.cases if c not in state.new]
        known: dict[str, tuple[str, str, int]] = {}
        for part in chunks(ids):
            known.update({str(c): (str(d), str(p), int(a)) for c, d, p, a in tx.fetchall(
                f"SELECT case_id, donor_id, province, active FROM {cases} "
                f"WHERE case_id IN ({', '.join(['%s'] * len(part))})", part)})
        inserts: list[tuple[Any, ...]] = []
        upserts: list[tuple[Any, ...]] = []
        delta = Counter[str]()
        for key, (case, _) in state.cases.items():
            case_id = state.key(key)
            row = (str(case.donor_id), case.province, int(case.status not in FINAL_STATES))
            before = known.get(case_id)
            if row == before:
                continue  # only opening and a final decision change what is counted
            (inserts if key in state.new else upserts).append((case_id, *row))
            delta[row[0]] += row[2]
            if before is not None:
                delta[before[0]] -= before[2]
        tx.insert_rows(cases, ("case_id", "donor_id", "province", "active"), inserts)
        tx.executemany(f"INSERT INTO {cases} (case_id, donor_id, province, active) "
                       "VALUES (%s, %s, %s, %s) ON CONFLICT (case_id) DO UPDATE SET "
                       "donor_id = excluded.donor_id, province = excluded.province, "
                       "active = excluded.active", upserts)
        tx.executemany(f"UPDATE {register} SET active_cases = active_cases + %s "
                       "WHERE donor_id = %s",
                       [(n, d) for d, n in sorted(delta.items()) if n])
