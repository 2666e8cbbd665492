"""The transactions of the cases the compliance projection evaluated last, as the records the
checks read (``Transaction.of``), so that a case touched again converts only the
transactions appended since.

A case's ``transactions`` list only grows: an event appends a new dict to it and none is
changed afterwards (``domain/phases/funds.py``). While a case's list is the same object as
when its records were made, its first records still describe its first dicts. A list that is
another object (the aggregate loaded again, another process's) is converted whole.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from domain.compliance.records import Transaction

CAPACITY = 5_000  # cases, as many as the projections keep aggregates of


class KnownTransactions:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._kept: OrderedDict[str, tuple[list[Any], tuple[Transaction, ...]]] = OrderedDict()

    def of(self, case_id: str, dicts: list[Any]) -> tuple[Transaction, ...]:
        """The records of ``dicts``, a case's ``transactions`` list."""
        kept = self._kept.pop(case_id, None)
        if kept is not None and kept[0] is dicts and len(kept[1]) <= len(dicts):
            done = kept[1]
            records = done + tuple(Transaction.of(t) for t in dicts[len(done):])
        else:
            records = tuple(Transaction.of(t) for t in dicts)
        if self.capacity > 0:
            self._kept[case_id] = (dicts, records)
            while len(self._kept) > self.capacity:
                self._kept.popitem(last=False)
        return records

    def __len__(self) -> int:
        return len(self._kept)
