"""The decision, the donor's notification, the transition review: one route per command."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from application.commands import decision as c
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.commands import IdempotencyKey, IfMatch, parse_if_match
from interfaces.http.deps import ServicesDep
from interfaces.http.guard import CommandRoute
from interfaces.http.params import Uuid
from interfaces.http.permissions import actor_for
from interfaces.http.routes.cases.common import COMMAND_ROUTE, run_case_command
from interfaces.http.schemas import cases as s

router = APIRouter(route_class=CommandRoute)


@router.post("/{case_id}/approve", **COMMAND_ROUTE,
             summary="Approve", operation_id="approve")
async def approve(case_id: Uuid, body: s.ApproveRequest, request: Request,
                  principal: CurrentPrincipal, services: ServicesDep, if_match: IfMatch = None,
                  idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.Approve(
        case_id=case_id, actor=actor_for(principal, c.Approve),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/reject", **COMMAND_ROUTE,
             summary="Reject", operation_id="reject")
async def reject(case_id: Uuid, body: s.RejectRequest, request: Request,
                 principal: CurrentPrincipal, services: ServicesDep, if_match: IfMatch = None,
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.Reject(
        case_id=case_id, actor=actor_for(principal, c.Reject),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/donor-notifications", **COMMAND_ROUTE,
             summary="Notify donor", operation_id="notify_donor")
async def notify_donor(case_id: Uuid, body: s.NotifyDonorRequest, request: Request,
                       principal: CurrentPrincipal, services: ServicesDep, if_match: IfMatch = None,
                       idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.NotifyDonor(
        case_id=case_id, actor=actor_for(principal, c.NotifyDonor),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/transition-reviews", **COMMAND_ROUTE,
             summary="Record transition review", operation_id="record_transition_review")
async def record_transition_review(case_id: Uuid, body: s.RecordTransitionReviewRequest,
                                   request: Request, principal: CurrentPrincipal,
                                   services: ServicesDep, if_match: IfMatch = None,
                                   idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RecordTransitionReview(
        case_id=case_id, actor=actor_for(principal, c.RecordTransitionReview),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)
