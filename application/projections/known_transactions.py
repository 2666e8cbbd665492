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

CAPACITY = 50_000  # records kept in all (as many as the marks kept), the latest cases' first


class KnownTransactions:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity  # 0: every case converted whole
        self._kept: OrderedDict[str, tuple[list[Any], tuple[Transaction, ...]]] = OrderedDict()
        self._size = 0

    def of(self, case_id: str, dicts: list[Any]) -> tuple[Transaction, ...]:
        """The records of ``dicts``, a case's ``transactions`` list."""
        kept = self._kept.pop(case_id, None)
        if kept is not None:
            self._size -= len(kept[1])
        if kept is not None and kept[0] is dicts and len(kept[1]) <= len(dicts):
            done = kept[1]
            records = done + tuple(Transaction.of(t) for t in dicts[len(done):])
        else:
            records = tuple(Transaction.of(t) for t in dicts)
        if len(records) <= self.capacity:
            self._kept[case_id] = (dicts, records)
            self._size += len(records)
            while self._size > self.capacity:
                _, (_, forgotten) = self._kept.popitem(last=False)
                self._size -= len(forgotten)
        return records

    def __len__(self) -> int:
        """The records kept."""
        return self._size
