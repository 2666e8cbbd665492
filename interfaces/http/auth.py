"""Authentication (bearer JWT) and authorisation (the role table) as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from application.commands.base import Command
from application.errors import ForbiddenError, NotAuthenticatedError
from application.roles import COMMAND_ROLES, READ_ROLES
from domain.values import Actor
from infrastructure.tokens import Principal, TokenError, TokenVerifier

_bearer = HTTPBearer(auto_error=False, description="A JWT from `aidtrail token issue`")


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticatedError("a bearer token is required")
    # async: CPU only (verified tokens are cached), so no trip through the thread pool
    verifier: TokenVerifier = request.app.state.verifier
    try:
        principal = verifier.verify(credentials.credentials)
    except TokenError as exc:
        raise NotAuthenticatedError(str(exc)) from None
    if not principal.roles:
        raise ForbiddenError("the token carries no known role")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


def actor_for(principal: Principal, command: type[Command]) -> Actor:
    """The actor recorded on the event: the caller, in the first of its roles allowed here."""
    return _actor(principal, command.snake_name(), COMMAND_ROLES[command])


def reader_for(principal: Principal, read: str) -> Actor:
    """The caller, if one of its roles may make this read (history, audit)."""
    return _actor(principal, read, READ_ROLES[read])


def _actor(principal: Principal, what: str, allowed: tuple[str, ...]) -> Actor:
    for role in allowed:
        if role in principal.roles:
            return Actor(id=principal.sub, role=role)
    raise ForbiddenError(
        f"{what} needs the role {' or '.join(allowed)}", allowed_roles=list(allowed)
    )
