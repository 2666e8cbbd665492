"""The event-sourced application: one log for cases and donors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
from eventsourcing.domain import Aggregate, Snapshot
from eventsourcing.persistence import JSONTranscoder, Recording

from application.on_loop import blocking
from application.transcodings import DateAsISO
from domain.case import AidCase
from domain.donor import Donor

# The aggregate being saved, per context rather than per thread (commands run on the event
# loop share its thread, each in a context of its own).
_IN_HAND: ContextVar[Aggregate | None] = ContextVar("aidtrail_in_hand", default=None)

# Snapshots are written where a history is replayed, not on every 50th save: a command
# decides on the state its process saved last (``application/latest.py``), so the writer
# seldom loads, while a snapshot costs the whole state to encode and write (a case's
# transactions grow with it). A command's load that replayed more than LOAD_SNAPSHOT_AFTER
# events writes one; a save at a multiple of SAVE_SNAPSHOT_EVERY still does, which bounds
# the replay of a history no command has loaded (reads included).
LOAD_SNAPSHOT_AFTER = 50
SAVE_SNAPSHOT_EVERY = 500


def _cached(write: Callable[[], object]) -> None:
    """Write a snapshot, which is a cache: a write that fails leaves the save or the load as
    it was, and the next command's load writes it again. Above all a save's snapshot is
    written after its events have committed, so nothing it raises may reach the command's
    retry on a version conflict (a command's load may have written the same version's
    snapshot meanwhile: the command would then be applied twice)."""
    try:
        write()
    except Exception:  # noqa: BLE001, S110 - duplicate version, busy or lost database
        pass


class _Counted:
    """``replay`` that counts the stored events it applied (a snapshot is not one)."""

    def __init__(self) -> None:
        self.events = 0

    def __call__(self, aggregate: Any, events: Any) -> Any:
        for item in events:
            aggregate = item.mutate(aggregate)
            if not isinstance(item, Snapshot):
                self.events += 1
        return aggregate


class AidTrail(Application[Any]):
    """Stores AidCase and Donor aggregates in one notification log (``aidtrail_events``)."""

    name = "AidTrail"
    # Snapshots keep loading a long history fast: a load replays only what follows one.
    # A donor's state is small and its commands are few: its saves still take one every 50.
    snapshotting_intervals = {AidCase: SAVE_SNAPSHOT_EVERY, Donor: 50}

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
            _cached(lambda: blocking(lambda: super(AidTrail, self).take_snapshot(
                aggregate_id, version, projector_func)))
            return
        snapshot = snapshot_class.take(aggregate)
        _cached(lambda: blocking(lambda: snapshots.put([snapshot])))

    def load(self, aggregate_id: UUID, version: int | None = None, *,
             snapshot: bool = False) -> Any:
        """The aggregate from its latest snapshot and the events after it. With
        ``snapshot`` (a command's load: it is about to write anyway), a load of the latest
        version that replayed more than LOAD_SNAPSHOT_AFTER events writes the state it
        built as a snapshot, so the next load starts there; a read never writes (on SQLite
        it would wait for the file's one writer)."""
        counted = _Counted()
        aggregate = self.repository.get(aggregate_id, version=version, projector_func=counted)
        if snapshot and version is None and counted.events > LOAD_SNAPSHOT_AFTER:
            self.snapshot_loaded(aggregate)
        return aggregate

    def fast_forward(self, aggregate: Any) -> tuple[Any, int]:
        """``aggregate`` with the events stored after its version applied, and how many."""
        events = list(self.events.get(aggregate.id, gt=aggregate.version))
        return (project_aggregate(aggregate, events) if events else aggregate), len(events)

    def snapshot_loaded(self, aggregate: Aggregate) -> None:
        """Write ``aggregate`` (its state as stored, no pending events) as a snapshot at its
        version, from a worker thread (not the event loop)."""
        snapshot_class = getattr(type(aggregate), "Snapshot", type(self).snapshot_class)
        if self.snapshots is None or snapshot_class is None:
            return
        snapshots, snapshot = self.snapshots, snapshot_class.take(aggregate)
        _cached(lambda: snapshots.put([snapshot]))
