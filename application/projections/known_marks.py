"""The compliance projection's marks of the aggregates it evaluated last, kept in memory so that
a case touched again is not read back from ``compliance_event`` in full, nor indexed again
from its first event.

An aggregate's stored marks are always a prefix of one list, the marks of its events in
version order: a mark is a function of its event alone, and the projection stores the marks
of an aggregate's events in the order of the log, which is their version order (a rebuild
empties the table and stores them again, the same). Any marks kept here were such a prefix
too, read back or extended with a batch's own marks. Two prefixes of one list that end at the
same version are equal, so kept marks are used when they end at the version the table holds
last for their aggregate (one indexed query for all of a batch's aggregates), whatever batch
was rolled back, whichever process wrote the table since, or whether the table is a shadow
copy being verified. Otherwise the aggregate is read back as before."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from application.projections.base import ViewTransaction
from application.projections.kept import Kept
from application.projections.rows import chunks
from domain.compliance.history import EventIndex


class MarkRow(NamedTuple):
    """A row of ``compliance_event``; ``History`` reads it as a mark, as it is."""

    version: int
    position: int
    name: str
    key: str
    deviations: int


class AggregateMarks:
    """An aggregate's stored marks, versions 1 to ``version`` in order: their index as
    ``History`` reads it, and the log position of each version."""

    __slots__ = ("index", "_positions")

    def __init__(self, rows: Iterable[Sequence[Any]] = ()) -> None:
        self.index = EventIndex()
        self._positions = array("q")  # version v at v - 1: 8 bytes a mark
        self.extend(rows)

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        """Rows of ``compliance_event`` (version, position, name, key, deviations), each the
        version after the last."""
        index, positions = self.index, self._positions
        for version, position, name, key, deviations in rows:
            if version != len(positions) + 1:
                raise ValueError(f"mark of version {version} after version {len(positions)}")
            index.add(version, name, key, deviations)
            positions.append(position)

    @property
    def version(self) -> int:
        return len(self._positions)

    @property
    def last(self) -> int:
        """The log position of the latest version (0 without marks)."""
        return self._positions[-1] if self._positions else 0

    def positions(self, versions: Iterable[int]) -> set[int]:
        """The log positions of those of ``versions`` stored."""
        p = self._positions
        return {p[v - 1] for v in versions if 0 < v <= len(p)}

    def __len__(self) -> int:
        return len(self._positions)


# Marks kept in all, of the cases and donors evaluated (forgotten at random beyond it:
# ``application/projections/kept.py``): 36 bytes each on the bench's cases, where versions
# are integers Python shares, 64 where each version is an integer of its own
# (`python -m bench.views_cost`); 7 to 13 MB in all.
CAPACITY = 200_000


class KnownMarks:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._kept: Kept[AggregateMarks] = Kept(capacity)

    @property
    def capacity(self) -> int:
        return self._kept.capacity  # 0: every aggregate is read back

    @capacity.setter
    def capacity(self, rows: int) -> None:
        self._kept.capacity = rows

    def whole(self, tx: ViewTransaction, table: str, keys: Iterable[str],
              added: dict[str, list[MarkRow]]) -> dict[str, AggregateMarks]:
        """The whole stored marks of those of ``keys`` this can tell without reading them
        back: kept marks followed by ``added`` (the batch's own marks of the aggregate,
        already stored in this transaction), when that ends at the table's last version.
        Kept marks found so are extended with ``added`` in place."""
        if not self.capacity:
            return {}
        # The kept marks, and the version the table must end at for them.
        ends: dict[str, tuple[AggregateMarks, int]] = {}
        for key in keys:
            kept = self._kept.get(key)
            if not kept:
                continue
            more = added.get(key)
            if not more:
                ends[key] = kept, kept.version
            elif more[0][0] == kept.version + 1:
                ends[key] = kept, kept.version + len(more)
        last: dict[str, int] = {}
        for part in chunks(sorted(ends)):
            holders = ", ".join(["%s"] * len(part))
            last.update((str(agg), int(version)) for agg, version in tx.fetchall(
                f"SELECT aggregate_id, MAX(version) FROM {table} WHERE aggregate_id IN "
                f"({holders}) GROUP BY aggregate_id", part))
        found: dict[str, AggregateMarks] = {}
        for key, (kept, end) in ends.items():
            if last.get(key) != end:
                continue
            # Rows of a batch rolled back afterwards leave these ahead of the table: the
            # next batch's check of the last version then reads them back.
            kept.extend(added.get(key, ()))
            found[key] = kept
        return found

    def keep(self, marks: dict[str, AggregateMarks]) -> None:
        """Remember each aggregate's whole marks."""
        if not self.capacity:
            return
        for key, known in marks.items():
            self._kept.put(key, known, len(known))

    def __len__(self) -> int:
        return len(self._kept)
