"""The event-sourced application: one log for cases and donors."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.application import Application, ProjectorFunction, project_aggregate
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder

from application.transcodings import DateAsISO
from domain.case import AidCase
from domain.donor import Donor


class AidTrail(Application[Any]):
    """Stores AidCase and Donor aggregates in one notification log (``aidtrail_events``)."""

    name = "AidTrail"
    # Snapshots keep loading a long history fast (ESNOTES: ~20 µs per replayed event).
    snapshotting_intervals = {AidCase: 50, Donor: 50}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_hand = threading.local()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    @contextmanager
    def saving(self, aggregate: Aggregate) -> Iterator[None]:
        """While ``aggregate`` is being saved, a snapshot due at its version is taken from
        it rather than from a reload of the stored history: it is the state just recorded
        (the store has accepted exactly its events)."""
        self._in_hand.aggregate = aggregate
        try:
            yield
        finally:
            self._in_hand.aggregate = None

    def take_snapshot(self, aggregate_id: UUID, version: int | None = None,
                      projector_func: ProjectorFunction[Any, Any] = project_aggregate) -> None:
        aggregate = getattr(self._in_hand, "aggregate", None)
        snapshot_class = getattr(type(aggregate), "Snapshot", type(self).snapshot_class)
        if (aggregate is None or aggregate.id != aggregate_id or aggregate.version != version
                or self.snapshots is None or snapshot_class is None):
            super().take_snapshot(aggregate_id, version, projector_func)
            return
        self.snapshots.put([snapshot_class.take(aggregate)])
