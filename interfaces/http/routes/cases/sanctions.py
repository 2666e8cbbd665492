"""Suspension, resumption, revocation, termination, justified delays: one route per command."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from application.commands import sanctions as c
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.commands import IdempotencyKey, IfMatch, parse_if_match
from interfaces.http.deps import ServicesDep
from interfaces.http.guard import CommandRoute
from interfaces.http.params import Uuid
from interfaces.http.permissions import actor_for
from interfaces.http.routes.cases.common import COMMAND_ROUTE, run_case_command
from interfaces.http.schemas import cases as s

router = APIRouter(route_class=CommandRoute)


@router.post("/{case_id}/suspend", **COMMAND_ROUTE,
             summary="Suspend", operation_id="suspend")
async def suspend(case_id: Uuid, body: s.SuspendRequest, request: Request,
                  principal: CurrentPrincipal, services: ServicesDep, if_match: IfMatch = None,
                  idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.Suspend(
        case_id=case_id, actor=actor_for(principal, c.Suspend),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/resume", **COMMAND_ROUTE,
             summary="Resume", operation_id="resume")
async def resume(case_id: Uuid, body: s.ResumeRequest, request: Request,
                 principal: CurrentPrincipal, services: ServicesDep, if_match: IfMatch = None,
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.Resume(
        case_id=case_id, actor=actor_for(principal, c.Resume),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/revoke", **COMMAND_ROUTE,
             summary="Revoke", operation_id="revoke")
async def revoke(case_id: Uuid, body: s.RevokeRequest, request: Request,
                 principal: CurrentPrincipal, services: ServicesDep, if_match: IfMatch = None,
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.Revoke(
        case_id=case_id, actor=actor_for(principal, c.Revoke),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/terminate", **COMMAND_ROUTE,
             summary="Terminate", operation_id="terminate")
async def terminate(case_id: Uuid, body: s.TerminateRequest, request: Request,
                    principal: CurrentPrincipal, services: ServicesDep, if_match: IfMatch = None,
                    idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.Terminate(
        case_id=case_id, actor=actor_for(principal, c.Terminate),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/delay-justifications", **COMMAND_ROUTE,
             summary="Record justified delay", operation_id="record_justified_delay")
async def record_justified_delay(case_id: Uuid, body: s.JustifyDelayRequest, request: Request,
                                 principal: CurrentPrincipal, services: ServicesDep,
                                 if_match: IfMatch = None,
                                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RecordJustifiedDelay(
        case_id=case_id, actor=actor_for(principal, c.RecordJustifiedDelay),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)
