"""The donor register under /api/v1/donors (SPEC §2.2, §6)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from application.commands import certificates as c
from application.commands.base import DonorCommand
from application.commands.opening import RegisterDonor
from application.services import Services
from infrastructure.tokens import Principal
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.command_threads import run_command_async
from interfaces.http.commands import IdempotencyKey, IfMatch, parse_if_match
from interfaces.http.deps import ServicesDep
from interfaces.http.guard import CommandRoute
from interfaces.http.params import Uuid
from interfaces.http.permissions import actor_for
from interfaces.http.routes.cases.common import COMMAND_ERRORS, COMMAND_ROUTE
from interfaces.http.schemas import donors as s

router = APIRouter(prefix="/donors", tags=["donors"], route_class=CommandRoute)
CertificateNo = Annotated[str, Path(max_length=64, description="The certificate number")]


async def run_donor_command(request: Request, principal: Principal, services: Services,
                            body: BaseModel, idempotency_key: str | None,
                            command: DonorCommand) -> JSONResponse:
    """Run one certificate command on a donor for the caller."""
    return await run_command_async(request, principal, body, idempotency_key,
                                   lambda once: services.handle_donor(command, once))


@router.post("", operation_id="register_donor",
             status_code=201, **COMMAND_ROUTE, summary="Register a donor")
async def register_donor(body: s.RegisterDonorRequest, request: Request,
                         principal: CurrentPrincipal, services: ServicesDep,
                         idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = RegisterDonor(actor=actor_for(principal, RegisterDonor), **body.to_kwargs())
    return await run_command_async(request, principal, body, idempotency_key,
                                   lambda once: services.register_donor(command, once),
                                   created=True, location=lambda r: f"{request.url.path}/{r.id}")


@router.post("/{donor_id}/certificates", **COMMAND_ROUTE,
             summary="Issue certificate", operation_id="issue_certificate")
async def issue_certificate(donor_id: Uuid, body: s.IssueCertificateRequest, request: Request,
                            principal: CurrentPrincipal, services: ServicesDep,
                            if_match: IfMatch = None,
                            idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.IssueCertificate(
        donor_id=donor_id, actor=actor_for(principal, c.IssueCertificate),
        expected_version=parse_if_match(if_match), **body.to_kwargs())
    return await run_donor_command(request, principal, services, body, idempotency_key, command)


@router.post("/{donor_id}/certificates/{number:path}/extend", **COMMAND_ROUTE,
             summary="Extend certificate", operation_id="extend_certificate")
async def extend_certificate(donor_id: Uuid, number: CertificateNo,
                             body: s.ExtendCertificateRequest, request: Request,
                             principal: CurrentPrincipal, services: ServicesDep,
                             if_match: IfMatch = None,
                             idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.ExtendCertificate(
        donor_id=donor_id, actor=actor_for(principal, c.ExtendCertificate),
        expected_version=parse_if_match(if_match), number=number, **body.to_kwargs())
    return await run_donor_command(request, principal, services, body, idempotency_key, command)


@router.post("/{donor_id}/certificates/{number:path}/amend", **COMMAND_ROUTE,
             summary="Amend certificate", operation_id="amend_certificate")
async def amend_certificate(donor_id: Uuid, number: CertificateNo, body: s.AmendCertificateRequest,
                            request: Request, principal: CurrentPrincipal, services: ServicesDep,
                            if_match: IfMatch = None,
                            idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.AmendCertificate(
        donor_id=donor_id, actor=actor_for(principal, c.AmendCertificate),
        expected_version=parse_if_match(if_match), number=number, **body.to_kwargs())
    return await run_donor_command(request, principal, services, body, idempotency_key, command)


@router.post("/{donor_id}/certificates/{number:path}/suspend", **COMMAND_ROUTE,
             summary="Suspend certificate", operation_id="suspend_certificate")
async def suspend_certificate(donor_id: Uuid, number: CertificateNo,
                              body: s.SuspendCertificateRequest, request: Request,
                              principal: CurrentPrincipal, services: ServicesDep,
                              if_match: IfMatch = None,
                              idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.SuspendCertificate(
        donor_id=donor_id, actor=actor_for(principal, c.SuspendCertificate),
        expected_version=parse_if_match(if_match), number=number, **body.to_kwargs())
    return await run_donor_command(request, principal, services, body, idempotency_key, command)


@router.post("/{donor_id}/certificates/{number:path}/revoke", **COMMAND_ROUTE,
             summary="Revoke certificate", operation_id="revoke_certificate")
async def revoke_certificate(donor_id: Uuid, number: CertificateNo, body: s.EndCertificateRequest,
                             request: Request, principal: CurrentPrincipal, services: ServicesDep,
                             if_match: IfMatch = None,
                             idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.RevokeCertificate(
        donor_id=donor_id, actor=actor_for(principal, c.RevokeCertificate),
        expected_version=parse_if_match(if_match), number=number, **body.to_kwargs())
    return await run_donor_command(request, principal, services, body, idempotency_key, command)


@router.post("/{donor_id}/certificates/{number:path}/terminate", **COMMAND_ROUTE,
             summary="Terminate certificate", operation_id="terminate_certificate")
async def terminate_certificate(donor_id: Uuid, number: CertificateNo,
                                body: s.EndCertificateRequest, request: Request,
                                principal: CurrentPrincipal, services: ServicesDep,
                                if_match: IfMatch = None,
                                idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = c.TerminateCertificate(
        donor_id=donor_id, actor=actor_for(principal, c.TerminateCertificate),
        expected_version=parse_if_match(if_match), number=number, **body.to_kwargs())
    return await run_donor_command(request, principal, services, body, idempotency_key, command)


@router.get("/{donor_id}", operation_id="get_donor",
            response_model=s.DonorStateResponse, responses=COMMAND_ERRORS,
            summary="A donor and its certificates")
def get_donor(donor_id: Uuid, principal: CurrentPrincipal, services: ServicesDep
              ) -> JSONResponse:
    donor = services.get_donor(donor_id)
    return JSONResponse(donor.state(), headers={"ETag": f'"{donor.version}"'})
