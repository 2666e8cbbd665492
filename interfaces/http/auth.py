"""Authentication: the caller of a bearer JWT, as a FastAPI dependency (the role checks are in
``interfaces/http/permissions.py``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool

from application.errors import (
    ForbiddenError,
    IdentityProviderUnavailableError,
    NotAuthenticatedError,
    TokenRefusedError,
)
from domain.provinces import ProvinceRegister
from infrastructure.clock import today_in_vietnam
from infrastructure.tokens import KeysUnavailableError, Principal, TokenError, TokenVerifier

_bearer = HTTPBearer(auto_error=False, description="A JWT from `aidtrail token issue`")
_PRINCIPAL = "aidtrail.principal"  # the request scope's key of its verified caller


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
    return in_jurisdiction(principal, request.app.state.container.register)


def in_jurisdiction(principal: Principal, register: ProvinceRegister) -> Principal:
    """The caller with the provinces its token names resolved through the province register
    as of today (the one place a caller's scope is resolved; every route and view reads it):
    after 1 July 2025 a token naming BN, or the former BG, covers the cases of both codes."""
    if principal.provinces is None:
        return principal
    return replace(principal, provinces=register.scope(principal.provinces, today_in_vietnam()))


def bearer_token(request: Request) -> str | None:
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    return token if scheme.lower() == "bearer" and token else None


def principal_of_request(request: Request) -> Principal:
    """The caller, read from the Authorization header before anything else of the request."""
    return _kept(request, principal_from(request, bearer_token(request)))


def known_principal(request: Request) -> Principal | None:
    """The caller already verified for this request, if any."""
    return request.scope.get(_PRINCIPAL)


def _kept(request: Request, principal: Principal) -> Principal:
    # Verified once per request: a command route's guard and its dependency share it.
    request.scope[_PRINCIPAL] = principal
    return principal


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    # async: no I/O, so no trip through the thread pool (credentials: only a Bearer scheme's),
    # unless the identity provider's keys must be fetched to verify a token not seen before
    known = known_principal(request)
    if known is not None:
        return known
    token = credentials.credentials if credentials else None
    if token and request.app.state.verifier.may_fetch(token):
        return _kept(request, await run_in_threadpool(principal_from, request, token))
    return _kept(request, principal_from(request, token))


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]
