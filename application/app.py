"""The event-sourced application: one log for cases and donors."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder

from application.transcodings import DateAsISO


class AidTrail(Application[Any]):
    """Stores AidCase and Donor aggregates in one notification log (``aidtrail_events``)."""

    name = "AidTrail"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
