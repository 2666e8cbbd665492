"""The commands a page may give: each one's body model (the API's own), what it needs beyond
the body, and which roles may give it (the API's role table)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pydantic import BaseModel

from application.commands.base import CaseCommand, Command, DonorCommand
from application.commands.opening import OpenCase
from application.roles import COMMAND_ROLES
from domain.errors import NotFoundError
from infrastructure.tokens import Principal
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
