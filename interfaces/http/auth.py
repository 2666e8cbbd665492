"""Authentication (bearer JWT) and authorisation (the role table) as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from application.errors import ForbiddenError, NotAuthenticatedError
from application.roles import COMMAND_ROLES
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


def actor_for(principal: Principal, command: str) -> Actor:
    """The actor recorded on the event: the caller, in the first of its roles allowed here."""
    allowed = COMMAND_ROLES[command]
    for role in allowed:
        if role in principal.roles:
            return Actor(id=principal.sub, role=role)
    raise ForbiddenError(
        f"{command} needs the role {' or '.join(allowed)}", allowed_roles=list(allowed)
    )
