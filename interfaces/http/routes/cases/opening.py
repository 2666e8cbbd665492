"""Opening a case: the one command that creates it."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from application.commands.opening import OpenCase
from domain.errors import InvalidInputError, NotFoundError
from domain.values import Place
from infrastructure.tokens import Principal
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.command_threads import run_command_async
from interfaces.http.commands import CommandResponse, IdempotencyKey
from interfaces.http.deps import ServicesDep
from interfaces.http.guard import CommandRoute
from interfaces.http.permissions import actor_for
from interfaces.http.routes.cases.common import COMMAND_ERRORS
from interfaces.http.schemas import cases as s

router = APIRouter(route_class=CommandRoute)
PLACE_FIELDS = ("commune_code", "commune_name", "former_district", "aid_owner_kind")


@router.post("", operation_id="open_case",
             status_code=201, response_model=CommandResponse, responses=COMMAND_ERRORS,
             summary="Open a case (draft)")
async def open_case(body: s.OpenCaseRequest, request: Request, principal: CurrentPrincipal,
                    services: ServicesDep, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    command = open_case_command(body, principal)
    return await run_command_async(request, principal, body, idempotency_key,
                                   lambda once: services.open_case(command, once), created=True,
                                   location=lambda r: f"{request.url.path}/{r.id}")


def open_case_command(body: s.OpenCaseRequest, principal: Principal) -> OpenCase:
    """The command a body stands for, given by ``principal`` (in one of its provinces)."""
    actor = actor_for(principal, OpenCase)
    if not principal.sees(body.province):
        raise NotFoundError(f"province {body.province} is outside your jurisdiction",
                            code="province_not_found")
    kwargs = body.to_kwargs()
    try:
        kwargs["donor_id"] = UUID(str(kwargs["donor_id"]))
    except ValueError:
        raise InvalidInputError("donor_id must be a uuid", code="invalid_donor_id",
                                field="donor_id") from None
    kwargs["sectors"] = [dict(x) for x in kwargs["sectors"]]
    place = Place(**{k: kwargs.pop(k) for k in PLACE_FIELDS})
    return OpenCase(actor=actor, place=place if place.record() else None, **kwargs)
