"""The transactions of the cases the compliance projection evaluated last, as the records the
checks read (``Transaction.of``), so that a case touched again converts only the
transactions appended since.

A case's ``transactions`` list only grows: an event appends a new dict to it and none is
changed afterwards (``domain/phases/funds.py``). While a case's list is the same object as
when its records were made, its first records still describe its first dicts. A list that is
another object (the aggregate loaded again, another process's) is converted whole.
"""

from __future__ import annotations

from typing import Any

from application.projections.kept import Kept
from domain.compliance.records import Transaction

# Records kept in all (as many as the marks kept); beyond it cases are forgotten at random
# (``application/projections/kept.py``).
CAPACITY = 200_000


class KnownTransactions:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._kept: Kept[tuple[list[Any], tuple[Transaction, ...]]] = Kept(capacity)

    @property
    def capacity(self) -> int:
        return self._kept.capacity  # 0: every case converted whole

    @capacity.setter
    def capacity(self, records: int) -> None:
        self._kept.capacity = records

    def of(self, case_id: str, dicts: list[Any], keep: bool = True) -> tuple[Transaction, ...]:
        """The records of ``dicts``, a case's ``transactions`` list; kept for the next time
        unless ``keep`` is false."""
        kept = self._kept.pop(case_id)
        if kept is not None and kept[0] is dicts and len(kept[1]) <= len(dicts):
            done = kept[1]
            records = done + tuple(Transaction.of(t) for t in dicts[len(done):])
        else:
            records = tuple(Transaction.of(t) for t in dicts)
        if keep:
            self._kept.put(case_id, (dicts, records), len(records))
        return records

    def __len__(self) -> int:
        """The records kept."""
        return len(self._kept)
