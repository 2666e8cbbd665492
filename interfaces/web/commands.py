"""The commands a page may give: each one's body model (the API's own), the command it
builds, and running it exactly as the API does (roles, province scope, the version the form
was rendered from as If-Match, the form's idempotency key)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import Request
from pydantic import BaseModel

from application.commands.base import CaseCommand, Command, DonorCommand
from application.commands.opening import OpenCase, RegisterDonor
from application.roles import COMMAND_ROLES
from application.services import Services
from domain.errors import NotFoundError
from infrastructure.tokens import Principal
from interfaces.http.commands import run_command
from interfaces.http.permissions import actor_for
from interfaces.http.routes.cases.opening import open_case_command
from interfaces.http.schemas import case_funds, cases, donors

_BODIES = (cases, case_funds, donors)
# The two bodies named otherwise than their command.
_BODY_NAMES = {"RecordJustifiedDelay": "JustifyDelayRequest",
               "RevokeCertificate": "EndCertificateRequest",
               "TerminateCertificate": "EndCertificateRequest"}
_GIVEN = {"actor", "effective_date", "case_id", "donor_id", "expected_version"}


@dataclass(frozen=True)
class CommandForm:
    """``extra``: what the command needs beyond its body (the API takes it from the path:
    a consulted agency, an amendment, a report, a certificate)."""

    name: str
    kind: type[Command]
    body: type[BaseModel]
    extra: tuple[str, ...]

    @property
    def on_case(self) -> bool:
        return issubclass(self.kind, CaseCommand)

    @property
    def on_donor(self) -> bool:
        return issubclass(self.kind, DonorCommand)


def _form(kind: type[Command]) -> CommandForm:
    body_name = _BODY_NAMES.get(kind.__name__, kind.__name__ + "Request")
    body = next(getattr(m, body_name) for m in _BODIES if hasattr(m, body_name))
    own = {f.name for f in dataclasses.fields(kind)} - _GIVEN - set(body.model_fields)
    extra = () if kind is OpenCase else tuple(sorted(own))
    return CommandForm(kind.snake_name(), kind, body, extra)


FORMS: dict[str, CommandForm] = {kind.snake_name(): _form(kind) for kind in COMMAND_ROLES}


def form_named(name: str) -> CommandForm:
    if name not in FORMS:
        raise NotFoundError(f"there is no command {name!r}", code="command_not_found")
    return FORMS[name]


def may_give(principal: Principal, name: str) -> bool:
    """Whether one of the person's roles may give the command (the API's role table)."""
    return any(role in principal.roles for role in COMMAND_ROLES[FORMS[name].kind])


def build(form: CommandForm, body: BaseModel, principal: Principal, target: UUID | None,
          version: int | None, extra: dict[str, str]) -> Command:
    """The command the checked body stands for, as the API's route builds it."""
    if form.kind is OpenCase:
        return open_case_command(body, principal)  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {**body.to_kwargs(), **extra}  # type: ignore[attr-defined]
    actor = actor_for(principal, form.kind)
    if form.kind is RegisterDonor:
        return RegisterDonor(actor=actor, **kwargs)
    key = "case_id" if form.on_case else "donor_id"
    kind: Any = form.kind  # a case or donor command: both take the target and the version
    return kind(actor=actor, expected_version=version, **{key: target}, **kwargs)  # type: ignore[no-any-return]


def give(request: Request, services: Services, principal: Principal, body: BaseModel,
         command: Command, key: str) -> tuple[dict[str, Any], bool]:
    """Run ``command`` with the form's idempotency key: the API's answer (id, version,
    status, position) and whether it is the first answer again (a second send)."""
    def run(once: Any) -> Any:
        if isinstance(command, OpenCase):
            return services.open_case(command, once)
        if isinstance(command, RegisterDonor):
            return services.register_donor(command, once)
        if isinstance(command, CaseCommand):
            return services.handle_case(command, once=once,
                                        visible=lambda case: principal.sees(case.province))
        return services.handle_donor(command, once)  # type: ignore[arg-type]

    response = run_command(request, principal, body, key, run)
    return json.loads(bytes(response.body)), "Idempotent-Replayed" in response.headers
