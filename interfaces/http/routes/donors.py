"""The donor register under /api/v1/donors (SPEC §2.2, §6)."""

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from application.services import Services
from infrastructure.tokens import Principal
from interfaces.http.auth import CurrentPrincipal, actor_for
from interfaces.http.commands import (
    CommandResponse,
    IdempotencyKey,
    IfMatch,
    parse_if_match,
    run_command,
)
from interfaces.http.deps import ServicesDep
from interfaces.http.guard import CommandRoute
from interfaces.http.routes.cases import COMMAND_ERRORS
from interfaces.http.schemas import donors as s
from interfaces.http.schemas.common import CommandRequest

router = APIRouter(prefix="/donors", tags=["donors"], route_class=CommandRoute)
CertificateNo = Annotated[str, Path(max_length=64, description="The certificate number")]


@router.post("", status_code=201, response_model=CommandResponse, responses=COMMAND_ERRORS,
             summary="Register a donor")
def register_donor(body: s.RegisterDonorRequest, request: Request, principal: CurrentPrincipal,
                   services: ServicesDep, idempotency_key: IdempotencyKey = None
                   ) -> JSONResponse:
    actor = actor_for(principal, "register_donor")
    return run_command(request, principal, body, idempotency_key,
                       lambda: services.register_donor(actor=actor, **body.to_kwargs()),
                       created=True, location=lambda r: f"{request.url.path}/{r.id}")


def _certificate_route(command: str, model: type[CommandRequest], with_number: bool
                       ) -> Callable[..., JSONResponse]:
    def handle(donor_id: UUID, body: CommandRequest, request: Request, principal: Principal,
               services: Services, number: str | None, if_match: str | None,
               idempotency_key: str | None) -> JSONResponse:
        actor = actor_for(principal, command)
        expected = parse_if_match(if_match)
        kwargs = body.to_kwargs()
        if number is not None:
            kwargs["number"] = number
        return run_command(request, principal, body, idempotency_key,
                           lambda: services.run_donor(donor_id, command, actor=actor,
                                                      expected_version=expected, **kwargs))

    def endpoint(donor_id: UUID, body: Any, request: Request, principal: CurrentPrincipal,
                 services: ServicesDep, if_match: IfMatch = None,
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
        return handle(donor_id, body, request, principal, services, None, if_match,
                      idempotency_key)

    def numbered(donor_id: UUID, number: CertificateNo, body: Any, request: Request,
                 principal: CurrentPrincipal, services: ServicesDep, if_match: IfMatch = None,
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
        return handle(donor_id, body, request, principal, services, number, if_match,
                      idempotency_key)

    chosen = numbered if with_number else endpoint
    chosen.__annotations__["body"] = model
    chosen.__name__ = command
    return chosen


CERTIFICATE_COMMANDS: list[tuple[str, str, type[CommandRequest], bool]] = [
    ("/{donor_id}/certificates", "issue_certificate", s.IssueCertificateRequest, False),
    ("/{donor_id}/certificates/{number:path}/extend", "extend_certificate",
     s.ExtendCertificateRequest, True),
    ("/{donor_id}/certificates/{number:path}/amend", "amend_certificate",
     s.AmendCertificateRequest, True),
    ("/{donor_id}/certificates/{number:path}/suspend", "suspend_certificate",
     s.SuspendCertificateRequest, True),
    ("/{donor_id}/certificates/{number:path}/revoke", "revoke_certificate",
     s.EndCertificateRequest, True),
    ("/{donor_id}/certificates/{number:path}/terminate", "terminate_certificate",
     s.EndCertificateRequest, True),
]

for _path, _command, _model, _numbered in CERTIFICATE_COMMANDS:
    router.add_api_route(_path, _certificate_route(_command, _model, _numbered),
                         methods=["POST"], response_model=CommandResponse,
                         responses=COMMAND_ERRORS, operation_id=_command,
                         summary=_command.replace("_", " ").capitalize())


@router.get("/{donor_id}", response_model=s.DonorStateResponse, responses=COMMAND_ERRORS,
            summary="A donor and its certificates")
def get_donor(donor_id: UUID, principal: CurrentPrincipal, services: ServicesDep
              ) -> JSONResponse:
    donor = services.get_donor(donor_id)
    return JSONResponse(donor.state(), headers={"ETag": f'"{donor.version}"'})
