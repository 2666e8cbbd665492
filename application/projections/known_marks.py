"""The compliance projection's marks of the aggregates it evaluated last, kept in memory so that
a case touched again is not read back from ``compliance_event`` in full.

An aggregate's stored marks are always a prefix of one list, the marks of its events in
version order: a mark is a function of its event alone, and the projection stores the marks
of an aggregate's events in the order of the log, which is their version order (a rebuild
empties the table and stores them again, the same). Any list kept here was such a prefix
too, read back or extended with a batch's own marks. Two prefixes of one list that end at the
same version are equal, so a kept list is used when it ends at the version the table holds
last for its aggregate (one indexed query for all of a batch's aggregates), whatever batch
was rolled back, whichever process wrote the table since, or whether the table is a shadow
copy being verified. Otherwise the aggregate is read back as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from application.projections.base import ViewTransaction
from application.projections.kept import Kept
from application.projections.rows import chunks


class MarkRow(NamedTuple):
    """A row of ``compliance_event``; ``History`` reads it as a mark, as it is."""

    version: int
    position: int
    name: str
    key: str
    deviations: int


# Marks kept in all, of the cases and donors evaluated (forgotten at random beyond it:
# ``application/projections/kept.py``): about 190 bytes each (`python -m bench.views_cost`),
# some 9 MB in all.
CAPACITY = 50_000


class KnownMarks:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._kept: Kept[list[MarkRow]] = Kept(capacity)

    @property
    def capacity(self) -> int:
        return self._kept.capacity  # 0: every aggregate is read back

    @capacity.setter
    def capacity(self, rows: int) -> None:
        self._kept.capacity = rows

    def whole(self, tx: ViewTransaction, table: str, keys: Iterable[str],
              added: dict[str, list[MarkRow]]) -> dict[str, list[MarkRow]]:
        """The whole stored marks of those of ``keys`` this can tell without reading them
        back: a kept list followed by ``added`` (the batch's own marks of the aggregate,
        already stored in this transaction), when it ends at the table's last version."""
        if not self.capacity:
            return {}
        found: dict[str, list[MarkRow]] = {}
        for key in keys:
            kept = self._kept.get(key)
            if not kept:
                continue
            more = added.get(key)
            if not more:
                found[key] = kept
            elif more[0][0] == kept[-1][0] + 1:
                found[key] = kept + more
        last: dict[str, int] = {}
        for part in chunks(sorted(found)):
            holders = ", ".join(["%s"] * len(part))
            last.update((str(agg), int(version)) for agg, version in tx.fetchall(
                f"SELECT aggregate_id, MAX(version) FROM {table} WHERE aggregate_id IN "
                f"({holders}) GROUP BY aggregate_id", part))
        return {k: m for k, m in found.items() if last.get(k) == m[-1][0]}

    def keep(self, marks: dict[str, list[MarkRow]]) -> None:
        """Remember each aggregate's whole marks (in version order)."""
        if not self.capacity:
            return
        for key, rows in marks.items():
            self._kept.put(key, rows, len(rows))

    def __len__(self) -> int:
        return len(self._kept)
