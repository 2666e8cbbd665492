"""The event-sourced application: one log for cases and donors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from eventsourcing.application import (
    Application,
    ProcessingEvent,
    ProjectorFunction,
    project_aggregate,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, Recording

from application.on_loop import blocking
from application.transcodings import DateAsISO
from domain.case import AidCase
from domain.donor import Donor

# The aggregate being saved, per context rather than per thread (commands run on the event
# loop share its thread, each in a context of its own).
_IN_HAND: ContextVar[Aggregate | None] = ContextVar("aidtrail_in_hand", default=None)


class AidTrail(Application[Any]):
    """Stores AidCase and Donor aggregates in one notification log (``aidtrail_events``)."""

    name = "AidTrail"
    # Snapshots keep loading a long history fast (ESNOTES: ~20 µs per replayed event).
    snapshotting_intervals = {AidCase: 50, Donor: 50}

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[Any]]:
        """``Application.save`` of eventsourcing 9.5.6, step for step, but aggregates told
        apart by their class: its ``isinstance`` against the library's runtime-checkable
        protocols walks their members on every call in Python 3.11 (3% of the busy samples
        of a command in `bench/RESULTS.md`)."""
        if not all(isinstance(obj, Aggregate) for obj in objs):
            return super().save(*objs, **kwargs)
        processing_event: ProcessingEvent[Any] = ProcessingEvent()
        for aggregate in objs:
            processing_event.events.extend(aggregate.collect_events())
            processing_event.aggregates[aggregate.id] = aggregate
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # the library's deprecated hook, as it calls it
        return recordings

    @contextmanager
    def saving(self, aggregate: Aggregate) -> Iterator[None]:
        """While ``aggregate`` is being saved, a snapshot due at its version is taken from
        it rather than from a reload of the stored history: it is the state just recorded
        (the store has accepted exactly its events)."""
        token = _IN_HAND.set(aggregate)
        try:
            yield
        finally:
            _IN_HAND.reset(token)

    def take_snapshot(self, aggregate_id: UUID, version: int | None = None,
                      projector_func: ProjectorFunction[Any, Any] = project_aggregate) -> None:
        aggregate = _IN_HAND.get()
        snapshot_class = getattr(type(aggregate), "Snapshot", type(self).snapshot_class)
        snapshots = self.snapshots
        if (aggregate is None or aggregate.id != aggregate_id or aggregate.version != version
                or snapshots is None or snapshot_class is None):
            blocking(lambda: super(AidTrail, self).take_snapshot(aggregate_id, version,
                                                                  projector_func))
            return
        snapshot = snapshot_class.take(aggregate)
        blocking(lambda: snapshots.put([snapshot]))
