"""The last saved state of recently written aggregates, so that a command does not replay
history it has just written.

An entry is *taken* (removed) by the command that uses it and *put* back only after that
command's events are saved, so no two threads ever share an aggregate and a refused or
failed command never leaves a half-changed one behind. Another process may have written
since: ``Services`` decides on the entry without asking the store, and optimistic
concurrency (saving version N+1 fails when N+1 exists) sends a command decided on stale
state round again on a full load; a refusal decided on an entry is checked on a full load
before it is given.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any
from uuid import UUID


class LatestAggregates:
    def __init__(self, max_items: int = 1000) -> None:
        self._max = max_items
        self._items: OrderedDict[UUID, Any] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, aggregate_id: UUID) -> Any | None:
        with self._lock:
            return self._items.pop(aggregate_id, None)

    def put(self, aggregate: Any) -> None:
        if self._max <= 0:
            return
        with self._lock:
            self._items[aggregate.id] = aggregate
            self._items.move_to_end(aggregate.id)
            while len(self._items) > self._max:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

