"""How far behind a projection is in time: the age of the first event it has not applied."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def age_of_first_unprocessed(app: Any, position: int, head: int) -> float:
    """Seconds since the event after ``position`` was recorded (0 when none is pending)."""
    if position >= head:
        return 0.0
    page = app.recorder.select_notifications(position + 1, 1)
    if not page:
        return 0.0
    event = app.mapper.to_domain_event(page[0])
    recorded = getattr(event, "timestamp", None)
    return max(0.0, (datetime.now(UTC) - recorded).total_seconds()) if recorded else 0.0
