"""Liveness and readiness, outside /api/v1."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from infrastructure.database import ping

router = APIRouter(tags=["health"])


class HealthResponse(BaseModel):
    status: str


@router.get("/health", response_model=HealthResponse)
def health() -> HealthResponse:
    """The process is alive."""
    return HealthResponse(status="ok")


@router.get("/ready", response_model=HealthResponse, responses={503: {"description": "down"}})
def ready(request: Request) -> HealthResponse:
    """The database answers (503 problem+json otherwise)."""
    ping(request.app.state.container.database)
    return HealthResponse(status="ready")
