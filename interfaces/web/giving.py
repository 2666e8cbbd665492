"""A page's command built from its checked form and given exactly as the API gives it (roles,
province scope, the version the form was rendered from as If-Match, the form's idempotency
key)."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi import Request
from pydantic import BaseModel

from application.commands.base import CaseCommand, Command
from application.commands.opening import OpenCase, RegisterDonor
from application.services import Services
from infrastructure.tokens import Principal
from interfaces.http.commands import run_command
from interfaces.http.permissions import actor_for
from interfaces.http.routes.cases.opening import open_case_command
from interfaces.web.commands import CommandForm


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
