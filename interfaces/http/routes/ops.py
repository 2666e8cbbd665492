"""Projection positions and the audit endpoints (SPEC §4, §6)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from application.audit import export_events, verify_chain
from infrastructure.views.lag import age_of_first_unprocessed
from interfaces.container import Container
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.permissions import reader_for, require_every_province
from interfaces.http.routes.cases.common import COMMAND_ERRORS
from interfaces.http.schemas.ops import (
    ProjectionFailure,
    ProjectionsResponse,
    ProjectionStatus,
    VerifyResponse,
)

router = APIRouter(tags=["operations"])


def _container(request: Request) -> Container:
    return request.app.state.container  # type: ignore[no-any-return]


@router.get("/projections", operation_id="get_projections",
            response_model=ProjectionsResponse, responses=COMMAND_ERRORS,
            summary="Each projection's position, the log head, and the lag")
def projections(request: Request, principal: CurrentPrincipal) -> ProjectionsResponse:
    container = _container(request)
    head = container.runner.head()
    failing = container.runner.failures()
    items = []
    for name, pos in sorted(container.runner.positions().items()):
        f = failing.get(name)
        failure = None if f is None else ProjectionFailure(
            position=f.position, code=f.code, error_class=f.error_class, message=f.message,
            attempts=f.attempts, failed_since=f.failed_since, next_attempt_at=f.next_attempt_at)
        items.append(ProjectionStatus(
            name=name, status="ok" if f is None else "failing", position=pos, head=head,
            lag_events=max(0, head - pos),
            lag_seconds=round(age_of_first_unprocessed(container.app, pos, head), 3),
            failure=failure))
    return ProjectionsResponse(head=head, projections=items)


@router.get("/audit/verify", operation_id="verify_audit_chain",
            response_model=VerifyResponse, responses=COMMAND_ERRORS,
            summary="Recompute the hash chain over every stored event (auditors of every "
                    "province)")
def audit_verify(request: Request, principal: CurrentPrincipal) -> VerifyResponse:
    reader_for(principal, "audit")
    require_every_province(principal, "the audit chain")
    result = verify_chain(_container(request).runner)
    return VerifyResponse(ok=result.ok, count=result.count, head_hash=result.head_hash,
                          first_bad_position=result.first_bad_position, problem=result.problem,
                          detail=result.detail)


@router.get("/audit/export", operation_id="export_audit",
            responses={**COMMAND_ERRORS, 200: {
    "content": {"application/x-ndjson": {}},
    "description": "JSON Lines: one stored event with its hashes per line"}},
    summary="Stream every event with its hashes as JSON Lines (auditors of every province)")
def audit_export(request: Request, principal: CurrentPrincipal) -> StreamingResponse:
    reader_for(principal, "audit")
    require_every_province(principal, "the audit export")
    runner = _container(request).runner

    def lines() -> Iterator[bytes]:
        for record in export_events(runner):
            yield (json.dumps(record, separators=(",", ":")) + "\n").encode()

    return StreamingResponse(lines(), media_type="application/x-ndjson")
