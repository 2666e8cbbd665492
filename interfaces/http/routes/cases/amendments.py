"""Amendments and their decisions: one route per command."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from application.commands import amendments as c
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.commands import IdempotencyKey, IfMatch, parse_if_match
from interfaces.http.deps import ServicesDep
from interfaces.http.guard import CommandRoute
from interfaces.http.params import Uuid
from interfaces.http.permissions import actor_for
from interfaces.http.routes.cases.common import COMMAND_ROUTE, AmendmentId, run_case_command
from interfaces.http.schemas import cases as s

router = APIRouter(route_class=CommandRoute)


@router.post("/{case_id}/amendments", **COMMAND_ROUTE,
             summary="Request amendment", operation_id="request_amendment")
async def request_amendment(case_id: Uuid, body: s.RequestAmendmentRequest, request: Request,
                            principal: CurrentPrincipal, services: ServicesDep,
                            if_match: IfMatch = None,
                            idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RequestAmendment(
        case_id=case_id, actor=actor_for(principal, c.RequestAmendment),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/amendments/{amendment_id}/decision", **COMMAND_ROUTE,
             summary="Decide amendment", operation_id="decide_amendment")
async def decide_amendment(case_id: Uuid, amendment_id: AmendmentId, body: s.DecideAmendmentRequest,
                           request: Request, principal: CurrentPrincipal, services: ServicesDep,
                           if_match: IfMatch = None,
                           idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.DecideAmendment(
        case_id=case_id, actor=actor_for(principal, c.DecideAmendment),
        expected_version=parse_if_match(if_match), amendment_id=amendment_id, **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)
