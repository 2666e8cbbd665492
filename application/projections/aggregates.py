"""Aggregates as of each event a projection reads, so views derive from the domain's state.

A bounded LRU cache keeps rebuild memory flat; a cached aggregate is used only when it is
exactly one version behind the event, so a rolled-back batch cannot leave it wrong.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any
from uuid import UUID

from application.projections.base import StoredNotification

CASE_TOPIC = "domain.case:AidCase."
DONOR_TOPIC = "domain.donor:Donor."


class AggregateReplay:
    def __init__(self, app: Any, capacity: int = 5000) -> None:
        self._app = app
        self._capacity = capacity
        self._cache: OrderedDict[UUID, Any] = OrderedDict()

    def after(self, n: StoredNotification) -> Any:
        """The aggregate as it was right after event ``n``."""
        key = UUID(str(n.originator_id))
        aggregate = self._cache.pop(key, None)
        if aggregate is not None and aggregate.version == n.originator_version - 1:
            aggregate = n.event.mutate(aggregate)
        elif n.originator_version == 1:
            aggregate = n.event.mutate(None)
        else:
            aggregate = self._app.repository.get(key, version=n.originator_version)
        self._cache[key] = aggregate
        if len(self._cache) > self._capacity:
            self._cache.popitem(last=False)
        return aggregate

    def current(self, aggregate_id: UUID) -> Any:
        """The aggregate now (for facts from another aggregate, e.g. a case's donor)."""
        cached = self._cache.get(aggregate_id)
        return cached if cached is not None else self._app.repository.get(aggregate_id)

    def forget(self) -> None:
        self._cache.clear()


def is_case_event(n: StoredNotification) -> bool:
    return n.topic.startswith(CASE_TOPIC)


def is_donor_event(n: StoredNotification) -> bool:
    return n.topic.startswith(DONOR_TOPIC)
