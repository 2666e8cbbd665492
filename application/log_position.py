"""The aggregates as they stood at a log position: every case's and donor's version then."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from application.projections.aggregates import CASE_TOPIC, DONOR_TOPIC
from application.services import Services

PAGE = 500


def versions_at(services: Services, position: int) -> Iterator[tuple[str, UUID, int]]:
    """(kind, id, version) of every case and donor as of ``position``."""
    seen: dict[UUID, tuple[str, int]] = {}
    start: int | None = None
    while True:
        page = services.app.recorder.select_notifications(
            start, PAGE, stop=position, inclusive_of_start=start is None)
        for n in page:
            kind = "case" if n.topic.startswith(CASE_TOPIC) else \
                "donor" if n.topic.startswith(DONOR_TOPIC) else None
            if kind:
                seen[UUID(str(n.originator_id))] = (kind, n.originator_version)
        if len(page) < PAGE:
            break
        start = page[-1].id
    for aggregate_id, (kind, version) in seen.items():
        yield kind, aggregate_id, version
