"""``portfolio``: VND sums and case counts by province × donor × sector × status × year.

Each case's VND totals are split over its sectors by their percentages in whole dong, by
largest remainder, so the shares of one case add up exactly to its totals. The shares are
kept per case (``portfolio_contribution``); a batch subtracts a changed case's old shares
from the aggregated table and adds its new ones, so dashboards read a small table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from application.projections.base import Dialect, Projection, StoredNotification, ViewTransaction
from application.projections.case_summary import CaseFeed, whole_vnd
from application.projections.rows import chunks

PORTFOLIO = "portfolio"
CONTRIBUTION = "portfolio_contribution"
GROUP = ("province", "donor_id", "sector", "status", "year")
SUMS = ("case_count", "lead_case_count", "approved_vnd", "received_vnd", "disbursed_vnd",
        "spent_vnd")
Key = tuple[str, str, str, str, int]


def split_exactly(total: int, percentages: Sequence[Decimal]) -> list[int]:
    """``total`` in whole units split by ``percentages``: each share is the floor of its exact
    part, and the units left go to the largest remainders (ties: the first listed).

    Integer arithmetic throughout (the percentages are scaled to integers), so no rounding
    of a quotient can make the shares add up to anything but ``total``.
    """
    if len(percentages) == 1:
        return [total]
    if total == 0:
        return [0] * len(percentages)
    places = max(0, *(-int(Decimal(p).as_tuple().exponent) for p in percentages))
    weights = [int(Decimal(p).scaleb(places)) for p in percentages]
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(shares)
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        shares[i] += 1
    return shares


def contributions(case: Any) -> list[tuple[Any, ...]]:
    """The case's rows: sector, the group columns, lead flag, and its VND shares.

    ``case_count`` counts a case in every sector it has; ``lead_case_count`` only in its first
    listed sector, so that counts summed over sectors still count each case once.
    """
    approval = case.approval or {}
    year = (approval.get("decision_date") or case.opened_on).year
    totals = [whole_vnd(case.approved_vnd) or 0,
              *(whole_vnd(case.totals_vnd[m]) or 0 for m in ("received", "disbursed", "spent"))]
    percentages = [s["percentage"] for s in case.sectors]
    columns = [split_exactly(t, percentages) for t in totals]
    return [(s["code"], case.province, str(case.donor_id), case.status, year, int(i == 0),
             *(col[i] for col in columns))
            for i, s in enumerate(case.sectors)]


class PortfolioProjection(Projection):
    name = PORTFOLIO
    tables = [PORTFOLIO, CONTRIBUTION]

    def __init__(self, feed: CaseFeed) -> None:
        self.feed = feed

    def schema(self, dialect: Dialect, suffix: str = "") -> list[str]:
        amounts = ", ".join(f"{s} BIGINT NOT NULL" for s in SUMS[2:])
        return [
            f"CREATE TABLE IF NOT EXISTS {PORTFOLIO}{suffix} (province TEXT NOT NULL, "
            "donor_id TEXT NOT NULL, sector TEXT NOT NULL, status TEXT NOT NULL, "
            "year INTEGER NOT NULL, case_count BIGINT NOT NULL, "
            f"lead_case_count BIGINT NOT NULL, {amounts}, "
            "PRIMARY KEY (province, donor_id, sector, status, year))",
            f"CREATE INDEX IF NOT EXISTS portfolio_status_ix{suffix} ON {PORTFOLIO}{suffix} "
            "(status, year)",
            f"CREATE INDEX IF NOT EXISTS portfolio_sector_ix{suffix} ON {PORTFOLIO}{suffix} "
            "(sector)",
            f"CREATE TABLE IF NOT EXISTS {CONTRIBUTION}{suffix} (case_id TEXT NOT NULL, "
            "sector TEXT NOT NULL, province TEXT NOT NULL, donor_id TEXT NOT NULL, "
            "status TEXT NOT NULL, year INTEGER NOT NULL, lead INTEGER NOT NULL, "
            f"{amounts}, PRIMARY KEY (case_id, sector))",
        ]

    def process_batch(self, tx: ViewTransaction, events: Sequence[StoredNotification]) -> None:
        state = self.feed.final(events)
        cases = state.cases
        if not cases:
            return
        shares = tx.table(CONTRIBUTION)
        # A case opened in this batch has no shares stored yet: nothing to read for it.
        ids = [state.key(c) for c in cases if c not in state.new]
        old: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for part in chunks(ids):
            for row in tx.fetchall(
                    f"SELECT case_id, sector, province, donor_id, status, year, lead, "
                    f"approved_vnd, received_vnd, disbursed_vnd, spent_vnd FROM {shares} "
                    f"WHERE case_id IN ({', '.join(['%s'] * len(part))})", part):
                old[str(row[0])].append(tuple(int(v) if i >= 4 else str(v)
                                              for i, v in enumerate(row[1:])))
        delta: dict[Key, list[int]] = defaultdict(lambda: [0] * len(SUMS))
        inserts: list[tuple[Any, ...]] = []
        replaced: list[str] = []
        for key, (case, _) in cases.items():
            case_id = state.key(key)
            before, new = old.get(case_id, []), contributions(case)
            if sorted(new) == sorted(before):
                continue  # most events (documents, opinions) move no money and no group
            if before:
                replaced.append(case_id)
            for sign, rows in ((-1, before), (1, new)):
                for sector, province, donor, status, year, lead, *vnd in rows:
                    sums = delta[(province, donor, sector, status, year)]
                    for i, value in enumerate((1, lead, *vnd)):
                        sums[i] += sign * value
            inserts += [(case_id, *row) for row in new]
        for part in chunks(replaced):
            tx.execute(f"DELETE FROM {shares} WHERE case_id IN "
                       f"({', '.join(['%s'] * len(part))})", part)
        tx.insert_rows(shares, ("case_id", "sector", "province", "donor_id", "status", "year",
                                "lead", "approved_vnd", "received_vnd", "disbursed_vnd",
                                "spent_vnd"), inserts)
        self._apply(tx, delta)

    @staticmethod
    def _apply(tx: ViewTransaction, delta: dict[Key, list[int]]) -> None:
        table = tx.table(PORTFOLIO)
        moved = [(*key, *sums) for key, sums in sorted(delta.items()) if any(sums)]
        cols = GROUP + SUMS
        tx.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) "
            f"ON CONFLICT ({', '.join(GROUP)}) DO UPDATE SET "
            + ", ".join(f"{s} = {table}.{s} + excluded.{s}" for s in SUMS), moved)
        emptied = [key for key, sums in sorted(delta.items()) if sums[0] < 0]
        tx.executemany(f"DELETE FROM {table} WHERE province = %s AND donor_id = %s AND "
                       "sector = %s AND status = %s AND year = %s AND case_count = 0", emptied)
