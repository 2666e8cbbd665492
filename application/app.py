"""The event-sourced application: one log for cases and donors."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder

from application.transcodings import DateAsISO
from domain.case import AidCase
from domain.donor import Donor


class AidTrail(Application[Any]):
    """Stores AidCase and Donor aggregates in one notification log (``aidtrail_events``)."""

    name = "AidTrail"
    # Snapshots keep loading a long history fast (ESNOTES: ~20 µs per replayed event).
    snapshotting_intervals = {AidCase: 50, Donor: 50}

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
