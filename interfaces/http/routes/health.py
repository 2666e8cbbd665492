"""Liveness and readiness, outside /api/v1."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from infrastructure.database import ping
from infrastructure.views import failures

router = APIRouter(tags=["health"])


class HealthResponse(BaseModel):
    status: str


@router.get("/health", operation_id="health",
            response_model=HealthResponse)
def health() -> HealthResponse:
    """The process is alive."""
    return HealthResponse(status="ok")


@router.get("/ready", operation_id="ready",
            response_model=HealthResponse, responses={503: {
    "description": "the database does not answer (`database_unavailable`), or a projection "
                   "fails on an event (`projection_failed`, naming each with its position "
                   "and code)"}})
def ready(request: Request) -> HealthResponse:
    """The database answers and no projection is failing (503 problem+json otherwise)."""
    container = request.app.state.container
    ping(container.database)
    failing = container.runner.failures()
    if failing:
        raise failures.refusal(list(failing.values()))
    return HealthResponse(status="ready")
