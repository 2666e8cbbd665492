"""Completion, handover, audit, closure: one route per command."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from application.commands import closure as c
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.commands import IdempotencyKey, IfMatch, parse_if_match
from interfaces.http.deps import ServicesDep
from interfaces.http.guard import CommandRoute
from interfaces.http.params import Uuid
from interfaces.http.permissions import actor_for
from interfaces.http.routes.cases.common import COMMAND_ROUTE, run_case_command
from interfaces.http.schemas import cases as s

router = APIRouter(route_class=CommandRoute)


@router.post("/{case_id}/complete", **COMMAND_ROUTE,
             summary="Complete activities", operation_id="complete_activities")
async def complete_activities(case_id: Uuid, body: s.CompleteActivitiesRequest, request: Request,
                              principal: CurrentPrincipal, services: ServicesDep,
                              if_match: IfMatch = None,
                              idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.CompleteActivities(
        case_id=case_id, actor=actor_for(principal, c.CompleteActivities),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/handover", **COMMAND_ROUTE,
             summary="Record handover", operation_id="record_handover")
async def record_handover(case_id: Uuid, body: s.RecordHandoverRequest, request: Request,
                          principal: CurrentPrincipal, services: ServicesDep,
                          if_match: IfMatch = None,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RecordHandover(
        case_id=case_id, actor=actor_for(principal, c.RecordHandover),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/audits", **COMMAND_ROUTE,
             summary="Record audit", operation_id="record_audit")
async def record_audit(case_id: Uuid, body: s.RecordAuditRequest, request: Request,
                       principal: CurrentPrincipal, services: ServicesDep, if_match: IfMatch = None,
                       idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RecordAudit(
        case_id=case_id, actor=actor_for(principal, c.RecordAudit),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/close", **COMMAND_ROUTE,
             summary="Close", operation_id="close")
async def close(case_id: Uuid, body: s.CloseRequest, request: Request, principal: CurrentPrincipal,
                services: ServicesDep, if_match: IfMatch = None,
                idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.Close(
        case_id=case_id, actor=actor_for(principal, c.Close),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)
