"""What every case route shares: the error responses, visibility, and running a command."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from application.commands.base import CaseCommand
from application.services import Services
from domain.case import AidCase
from domain.errors import NotFoundError
from infrastructure.tokens import Principal
from interfaces.http.command_threads import run_command_async
from interfaces.http.commands import CommandResponse

AgencyCode = Annotated[str, Path(max_length=64, description="The consulted agency's code, "
                                  "as in its consultation request (e.g. `VUFO`)")]
AmendmentId = Annotated[str, Path(max_length=64, description="The amendment's id, as the case "
                                  "lists it under `amendments`")]
ReportId = Annotated[str, Path(max_length=64, description="The report's id, as the case lists "
                               "it under `reports`")]

COMMAND_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {"application/problem+json": {}}}
    for code, text in [(401, "no or invalid token"), (403, "role not allowed"),
                       (404, "not found or outside your provinces"),
                       (409, "a process or rule guard refuses, or a concurrent write"),
                       (412, "stale If-Match"), (422, "invalid input"),
                       (503, "database unavailable")]
}
# What every command route declares: its answer and its problems.
COMMAND_ROUTE: dict[str, Any] = {"response_model": CommandResponse, "responses": COMMAND_ERRORS}


def visible_case(services: Services, principal: Principal, case_id: UUID,
                 version: int | None = None) -> AidCase:
    """The case, or 404 when it is outside the caller's provinces (it does not exist for them)."""
    case = services.get_case(case_id, version)
    if not principal.sees(case.province):
        raise NotFoundError(f"case {case_id} not found", code="case_not_found")
    return case


async def run_case_command(request: Request, principal: Principal, services: Services,
                           body: BaseModel, idempotency_key: str | None,
                           command: CaseCommand) -> JSONResponse:
    """Run one case command for the caller: a case outside their provinces is a 404."""
    return await run_command_async(
        request, principal, body, idempotency_key,
        lambda once: services.handle_case(
            command, visible=lambda case: principal.sees(case.province), once=once))
