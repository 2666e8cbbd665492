"""Periodic reports and their review: one route per command."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from application.commands import reporting as c
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.commands import IdempotencyKey, IfMatch, parse_if_match
from interfaces.http.deps import ServicesDep
from interfaces.http.guard import CommandRoute
from interfaces.http.params import Uuid
from interfaces.http.permissions import actor_for
from interfaces.http.routes.cases.common import COMMAND_ROUTE, ReportId, run_case_command
from interfaces.http.schemas import cases as s

router = APIRouter(route_class=CommandRoute)


@router.post("/{case_id}/reports", **COMMAND_ROUTE,
             summary="Submit report", operation_id="submit_report")
async def submit_report(case_id: Uuid, body: s.SubmitReportRequest, request: Request,
                        principal: CurrentPrincipal, services: ServicesDep,
                        if_match: IfMatch = None,
                        idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.SubmitReport(
        case_id=case_id, actor=actor_for(principal, c.SubmitReport),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/reports/{report_id}/review", **COMMAND_ROUTE,
             summary="Review report", operation_id="review_report")
async def review_report(case_id: Uuid, report_id: ReportId, body: s.ReviewReportRequest,
                        request: Request, principal: CurrentPrincipal, services: ServicesDep,
                        if_match: IfMatch = None,
                        idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.ReviewReport(
        case_id=case_id, actor=actor_for(principal, c.ReviewReport),
        expected_version=parse_if_match(if_match), report_id=report_id, **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)
