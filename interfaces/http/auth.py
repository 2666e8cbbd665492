"""Authentication (bearer JWT) and authorisation (the role table) as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool

from application.commands.base import Command
from application.errors import (
    ForbiddenError,
    IdentityProviderUnavailableError,
    NotAuthenticatedError,
    ProvincesNotEnoughError,
    TokenRefusedError,
)
from application.roles import COMMAND_ROLES, NOTIFICATION_ROLES, READ_ROLES
from domain.values import Actor
from infrastructure.tokens import KeysUnavailableError, Principal, TokenError, TokenVerifier

_bearer = HTTPBearer(auto_error=False, description="A JWT from `aidtrail token issue`")


def principal_from(request: Request, token: str | None) -> Principal:
    """The verified caller of a bearer token (CPU only: verified tokens are cached)."""
    if not token:
        raise NotAuthenticatedError("a bearer token is required")
    verifier: TokenVerifier = request.app.state.verifier
    try:
        principal = verifier.verify(token)
    except KeysUnavailableError as exc:
        raise IdentityProviderUnavailableError(exc.detail) from None
    except TokenError as exc:
        raise TokenRefusedError(exc.detail, code=exc.code) from None
    if not principal.roles:
        raise ForbiddenError("the token carries no known role")
    return principal


def bearer_token(request: Request) -> str | None:
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    return token if scheme.lower() == "bearer" and token else None


def principal_of_request(request: Request) -> Principal:
    """The caller, read from the Authorization header before anything else of the request."""
    return principal_from(request, bearer_token(request))


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    # async: no I/O, so no trip through the thread pool (credentials: only a Bearer scheme's),
    # unless the identity provider's keys must be fetched to verify a token not seen before
    token = credentials.credentials if credentials else None
    if token and request.app.state.verifier.may_fetch(token):
        return await run_in_threadpool(principal_from, request, token)
    return principal_from(request, token)


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


def actor_for(principal: Principal, command: type[Command]) -> Actor:
    """The actor recorded on the event: the caller, in the first of its roles allowed here."""
    return _actor(principal, command.snake_name(), COMMAND_ROLES[command])


def reader_for(principal: Principal, read: str) -> Actor:
    """The caller, if one of its roles may make this read (history, audit)."""
    return _actor(principal, read, READ_ROLES[read])


def notifier_for(principal: Principal, what: str) -> Actor:
    """The caller, if one of its roles may manage subscriptions or read the outbox."""
    return _actor(principal, what, NOTIFICATION_ROLES[what])


def _actor(principal: Principal, what: str, allowed: tuple[str, ...]) -> Actor:
    for role in allowed:
        if role in principal.roles:
            return Actor(id=principal.sub, role=role)
    raise ForbiddenError(
        f"{what} needs the role {' or '.join(allowed)}", allowed_roles=list(allowed)
    )


def require_every_province(principal: Principal, what: str) -> None:
    """The whole store (every province's events) is for callers whose provinces are ``*``."""
    if principal.provinces is not None:
        raise ProvincesNotEnoughError(f"{what} covers every province; it needs a token whose "
                                      "provinces are '*'")
