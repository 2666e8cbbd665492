"""Drafting and checking the dossier: one route per command."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from application.commands import dossier as c
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.commands import IdempotencyKey, IfMatch, parse_if_match
from interfaces.http.deps import ServicesDep
from interfaces.http.guard import CommandRoute
from interfaces.http.params import Uuid
from interfaces.http.permissions import actor_for
from interfaces.http.routes.cases.common import COMMAND_ROUTE, run_case_command
from interfaces.http.schemas import cases as s

router = APIRouter(route_class=CommandRoute)


@router.post("/{case_id}/documents", **COMMAND_ROUTE,
             summary="Attach document", operation_id="attach_document")
async def attach_document(case_id: Uuid, body: s.AttachDocumentRequest, request: Request,
                          principal: CurrentPrincipal, services: ServicesDep,
                          if_match: IfMatch = None,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.AttachDocument(
        case_id=case_id, actor=actor_for(principal, c.AttachDocument),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/submit", **COMMAND_ROUTE,
             summary="Submit", operation_id="submit")
async def submit(case_id: Uuid, body: s.SubmitRequest, request: Request,
                 principal: CurrentPrincipal, services: ServicesDep, if_match: IfMatch = None,
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.Submit(
        case_id=case_id, actor=actor_for(principal, c.Submit),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/return", **COMMAND_ROUTE,
             summary="Return dossier", operation_id="return_dossier")
async def return_dossier(case_id: Uuid, body: s.ReturnDossierRequest, request: Request,
                         principal: CurrentPrincipal, services: ServicesDep,
                         if_match: IfMatch = None,
                         idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.ReturnDossier(
        case_id=case_id, actor=actor_for(principal, c.ReturnDossier),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/accept", **COMMAND_ROUTE,
             summary="Accept dossier", operation_id="accept_dossier")
async def accept_dossier(case_id: Uuid, body: s.AcceptDossierRequest, request: Request,
                         principal: CurrentPrincipal, services: ServicesDep,
                         if_match: IfMatch = None,
                         idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.AcceptDossier(
        case_id=case_id, actor=actor_for(principal, c.AcceptDossier),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.patch("/{case_id}", **COMMAND_ROUTE,
              summary="Update a draft or returned case", operation_id="update_draft")
async def update_draft(case_id: Uuid, body: s.UpdateDraftRequest, request: Request,
                       principal: CurrentPrincipal, services: ServicesDep,
                       if_match: IfMatch = None,
                       idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.UpdateDraft(
        case_id=case_id, actor=actor_for(principal, c.UpdateDraft),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)
