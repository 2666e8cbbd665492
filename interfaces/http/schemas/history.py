"""The audit view of a case: its events in order."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel


class HistoryEvent(BaseModel):
    type: str
    version: int
    recorded_at: datetime
    effective_date: date | None
    actor_id: str | None
    actor_role: str | None
    rule_profile: str | None
    payload: dict[str, Any]


class HistoryPage(BaseModel):
    case_id: str
    events: list[HistoryEvent]
    next_after_version: int | None
