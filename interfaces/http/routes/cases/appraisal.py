"""Appraisal and consultations: one route per command."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from application.commands import appraisal as c
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.commands import IdempotencyKey, IfMatch, parse_if_match
from interfaces.http.deps import ServicesDep
from interfaces.http.guard import CommandRoute
from interfaces.http.params import Uuid
from interfaces.http.permissions import actor_for
from interfaces.http.routes.cases.common import COMMAND_ROUTE, AgencyCode, run_case_command
from interfaces.http.schemas import cases as s

router = APIRouter(route_class=CommandRoute)


@router.post("/{case_id}/consultations", **COMMAND_ROUTE,
             summary="Request consultation", operation_id="request_consultation")
async def request_consultation(case_id: Uuid, body: s.RequestConsultationRequest, request: Request,
                               principal: CurrentPrincipal, services: ServicesDep,
                               if_match: IfMatch = None,
                               idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RequestConsultation(
        case_id=case_id, actor=actor_for(principal, c.RequestConsultation),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/consultations/{agency}/opinion", **COMMAND_ROUTE,
             summary="Record opinion", operation_id="record_opinion")
async def record_opinion(case_id: Uuid, agency: AgencyCode, body: s.RecordOpinionRequest,
                         request: Request, principal: CurrentPrincipal, services: ServicesDep,
                         if_match: IfMatch = None,
                         idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RecordOpinion(
        case_id=case_id, actor=actor_for(principal, c.RecordOpinion),
        expected_version=parse_if_match(if_match), agency=agency, **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/appraisal", **COMMAND_ROUTE,
             summary="Complete appraisal", operation_id="complete_appraisal")
async def complete_appraisal(case_id: Uuid, body: s.CompleteAppraisalRequest, request: Request,
                             principal: CurrentPrincipal, services: ServicesDep,
                             if_match: IfMatch = None,
                             idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.CompleteAppraisal(
        case_id=case_id, actor=actor_for(principal, c.CompleteAppraisal),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)
