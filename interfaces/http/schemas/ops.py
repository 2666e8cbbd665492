"""Response bodies of the operations routes: projection positions, the audit chain's check."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class ProjectionFailure(BaseModel):
    """The event a projection fails on; it stays just before it until the cause is fixed."""

    position: int
    code: str
    error_class: str
    message: str
    attempts: int
    failed_since: str
    next_attempt_at: str


class ProjectionStatus(BaseModel):
    name: str
    status: Literal["ok", "failing"]
    position: int
    head: int
    lag_events: int
    lag_seconds: float
    failure: ProjectionFailure | None = None


class ProjectionsResponse(BaseModel):
    head: int
    projections: list[ProjectionStatus]


class VerifyResponse(BaseModel):
    ok: bool
    count: int
    head_hash: str
    first_bad_position: int | None
    problem: str | None
    detail: str
