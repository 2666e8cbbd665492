"""Money: commitments, receipts, disbursements, expenditures, refunds, budget entries: one
route per command."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from application.commands import funds as c
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.commands import IdempotencyKey, IfMatch, parse_if_match
from interfaces.http.deps import ServicesDep
from interfaces.http.guard import CommandRoute
from interfaces.http.params import Uuid
from interfaces.http.permissions import actor_for
from interfaces.http.routes.cases.common import COMMAND_ROUTE, run_case_command
from interfaces.http.schemas import case_funds as s

router = APIRouter(route_class=CommandRoute)


@router.post("/{case_id}/commitments", **COMMAND_ROUTE,
             summary="Record commitment", operation_id="record_commitment")
async def record_commitment(case_id: Uuid, body: s.RecordCommitmentRequest, request: Request,
                            principal: CurrentPrincipal, services: ServicesDep,
                            if_match: IfMatch = None,
                            idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RecordCommitment(
        case_id=case_id, actor=actor_for(principal, c.RecordCommitment),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/receipts", **COMMAND_ROUTE,
             summary="Record receipt", operation_id="record_receipt")
async def record_receipt(case_id: Uuid, body: s.RecordReceiptRequest, request: Request,
                         principal: CurrentPrincipal, services: ServicesDep,
                         if_match: IfMatch = None,
                         idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RecordReceipt(
        case_id=case_id, actor=actor_for(principal, c.RecordReceipt),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/disbursements", **COMMAND_ROUTE,
             summary="Record disbursement", operation_id="record_disbursement")
async def record_disbursement(case_id: Uuid, body: s.RecordDisbursementRequest, request: Request,
                              principal: CurrentPrincipal, services: ServicesDep,
                              if_match: IfMatch = None,
                              idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RecordDisbursement(
        case_id=case_id, actor=actor_for(principal, c.RecordDisbursement),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/expenditures", **COMMAND_ROUTE,
             summary="Record expenditure", operation_id="record_expenditure")
async def record_expenditure(case_id: Uuid, body: s.RecordExpenditureRequest, request: Request,
                             principal: CurrentPrincipal, services: ServicesDep,
                             if_match: IfMatch = None,
                             idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RecordExpenditure(
        case_id=case_id, actor=actor_for(principal, c.RecordExpenditure),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/refunds", **COMMAND_ROUTE,
             summary="Record refund", operation_id="record_refund")
async def record_refund(case_id: Uuid, body: s.RecordRefundRequest, request: Request,
                        principal: CurrentPrincipal, services: ServicesDep,
                        if_match: IfMatch = None,
                        idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RecordRefund(
        case_id=case_id, actor=actor_for(principal, c.RecordRefund),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)


@router.post("/{case_id}/budget-entries", **COMMAND_ROUTE,
             summary="Record budget entry", operation_id="record_budget_entry")
async def record_budget_entry(case_id: Uuid, body: s.RecordBudgetEntryRequest, request: Request,
                              principal: CurrentPrincipal, services: ServicesDep,
                              if_match: IfMatch = None,
                              idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RecordBudgetEntry(
        case_id=case_id, actor=actor_for(principal, c.RecordBudgetEntry),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_case_command(request, principal, services, body, idempotency_key, command)
