"""The last saved state of recently written aggregates, so that a command does not replay
history it has just written.

An entry is *taken* (removed) by the command that uses it and *put* back only after that
command's events are saved, so no two threads ever share an aggregate and a refused or
failed command never leaves a half-changed one behind. Another process may have written
since: ``Services`` decides on the entry without asking the store, and optimistic
concurrency (saving version N+1 fails when N+1 exists) sends a command decided on stale
state round again on a full load; a refusal decided on an entry is checked on a full load
before it is given.

An entry also carries how many of its next commands read first what was stored after it
(``reads``): after a sign that another process writes the aggregate too (a version
conflict, or a read that found its events), so that its commands do not conflict and load
it all again each time. Commands that find nothing new count it down; a process that writes
alone reads nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any
from uuid import UUID


class LatestAggregates:
    def __init__(self, max_items: int = 1000) -> None:
        self._max = max_items
        self._items: OrderedDict[UUID, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, aggregate_id: UUID) -> tuple[Any, int] | None:
        """The aggregate and its ``reads`` (None: not here)."""
        with self._lock:
            return self._items.pop(aggregate_id, None)

    def put(self, aggregate: Any, reads: int = 0) -> None:
        if self._max <= 0:
            return
        with self._lock:
            self._items[aggregate.id] = (aggregate, reads)
            self._items.move_to_end(aggregate.id)
            while len(self._items) > self._max:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

