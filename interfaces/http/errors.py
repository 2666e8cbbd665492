"""The one table from exception types to HTTP status and problem+json bodies."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import psycopg
import structlog
from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from application import errors as app_errors
from domain import errors as dom
from infrastructure.database import DatabaseBusyError, DatabaseUnavailableError
from interfaces.http.allow import allowed_methods
from interfaces.http.problems import ProblemResponse, problem

log = structlog.stdlib.get_logger("aidtrail.http")

# exception type → status, title, and (for exceptions of libraries) a fixed code and detail.
# The first matching row wins, so subclasses come before their bases.
Row = tuple[type[Exception], int, str, str | None, str | None]
_DB_DOWN = "the database is unavailable; retry later"
STATUS_TABLE: list[Row] = [
    (app_errors.TokenRefusedError, 401, "Not authenticated", None, None),
    (app_errors.NotAuthenticatedError, 401, "Not authenticated", None, None),
    (app_errors.ProvincesNotEnoughError, 403, "Outside your provinces", None, None),
    (app_errors.ForbiddenError, 403, "Role not allowed", None, None),
    (dom.NotFoundError, 404, "Not found", None, None),
    (dom.RuleViolationError, 409, "Refused by a rule", None, None),
    (dom.ProcessGuardError, 409, "Not allowed in this state", None, None),
    (dom.ConflictError, 409, "Conflict", None, None),
    (app_errors.ConcurrentWriteError, 409, "Concurrent write", None, None),
    (IntegrityError, 409, "Conflict", "conflict",
     "the record already exists or was changed concurrently"),
    (app_errors.StaleVersionError, 412, "Stale version", None, None),
    (dom.InvalidInputError, 422, "Invalid input", None, None),
    (app_errors.IdempotencyKeyReusedError, 422, "Idempotency key reused", None, None),
    (dom.DomainError, 422, "Refused", None, None),
    (app_errors.IdentityProviderUnavailableError, 503, "Identity provider unavailable", None,
     None),
    (app_errors.ViewNotCaughtUpError, 503, "View not caught up", None, None),
    (DatabaseBusyError, 503, "Database busy", "database_busy", None),
    (app_errors.ProjectionFailedError, 503, "Projection failed", None, None),
    (DatabaseUnavailableError, 503, "Database unavailable", "database_unavailable", None),
    (OperationalError, 503, "Database unavailable", "database_unavailable", _DB_DOWN),
    (psycopg.OperationalError, 503, "Database unavailable", "database_unavailable", _DB_DOWN),
    # A connection lost or closed under us (the server restarted): the library's and psycopg's.
    (InterfaceError, 503, "Database unavailable", "database_unavailable", _DB_DOWN),
    (psycopg.InterfaceError, 503, "Database unavailable", "database_unavailable", _DB_DOWN),
    (sqlite3.OperationalError, 503, "Database unavailable", "database_unavailable", _DB_DOWN),
]


def _extra(exc: BaseException) -> dict[str, Any]:
    extra: dict[str, Any] = dict(getattr(exc, "extra", {}) or {})
    if isinstance(exc, dom.RuleViolationError):
        extra.update(flag=exc.flag, rule=exc.rule_ref, basis_verified=exc.basis_verified,
                     deviation_allowed=True)
        extra["hint"] = "repeat the command with a `deviation` (reason and document) to record it"
    if isinstance(exc, dom.ProcessGuardError):
        extra.update(state=exc.state, allowed_commands=exc.allowed_commands)
    if isinstance(exc, dom.InvalidInputError) and exc.field:
        extra["errors"] = [{"field": exc.field, "message": exc.detail, "code": exc.code}]
    return extra


def _headers(exc: BaseException, status: int) -> dict[str, str] | None:
    if status == 401:  # RFC 6750 §3: the scheme, and the error when a token was given
        bad = isinstance(exc, app_errors.TokenRefusedError)
        return {"WWW-Authenticate": 'Bearer error="invalid_token"' if bad else "Bearer"}
    return {"Retry-After": "1"} if status == 503 else None


@dataclass(frozen=True)
class Described:
    """What an exception means to a client: its status, title, stable code and sentence."""

    status: int
    title: str
    code: str
    detail: str


def describe(exc: BaseException) -> Described | None:
    """The table's row for ``exc`` (None: an unexpected error)."""
    for kind, status, title, fixed_code, fixed_detail in STATUS_TABLE:
        if isinstance(exc, kind):
            code = str(fixed_code or getattr(exc, "code", None) or "error")
            detail = fixed_detail or getattr(exc, "detail", None) or str(exc) or title
            return Described(status, title, code, str(detail))
    return None


def problem_for(exc: BaseException) -> ProblemResponse:
    described = describe(exc)
    if described is None:
        log.exception("unhandled_error", error_type=type(exc).__name__)
        return problem(500, "internal_error", "Internal error", "an unexpected error occurred")
    if described.status == 503:
        log.warning("service_unavailable", error_type=type(exc).__name__)
    return problem(described.status, described.code, described.title, described.detail,
                   headers=_headers(exc, described.status), **_extra(exc))


# The schemas' own error types: a body whose every error is one of them gets it as its code.
OWN_VALIDATION_CODES = frozenset({"number_not_allowed"})


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        out.append({"field": ".".join(loc), "message": err.get("msg", ""), "code": err.get("type")})
    return out


def _method_not_allowed(request: Request) -> Response:
    """405 naming every method of the path in ``Allow`` (Starlette names only those of the
    first route that matches the path); OPTIONS is answered with the same list."""
    allow = ", ".join(allowed_methods(request.app.router.routes, request.url.path))
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": allow})
    return problem(405, "method_not_allowed", "Method not allowed",
                   f"{request.method} is not allowed here; allowed: {allow}",
                   headers={"Allow": allow})


def install_error_handlers(app: FastAPI) -> None:
    # async, as none waits on anything: Starlette runs a plain `def` handler in a worker thread
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> ProblemResponse:
        errors = _validation_errors(exc)
        detail = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors[:5])
        codes = {e["code"] for e in errors}
        code = codes.pop() if len(codes) == 1 and codes <= OWN_VALIDATION_CODES \
            else "validation_error"
        return problem(422, code, "Invalid input", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405:
            return _method_not_allowed(request)
        if exc.status_code == 400:  # a body that is not JSON at all is invalid input too
            return problem(422, "malformed_body", "Invalid input", str(exc.detail),
                           errors=[{"field": "body", "message": str(exc.detail),
                                    "code": "malformed_body"}])
        code = {404: "not_found", 413: "payload_too_large",
                415: "unsupported_media_type"}.get(exc.status_code, "http_error")
        title = "Unsupported media type" if exc.status_code == 415 else str(exc.detail)
        return problem(exc.status_code, code, title, str(exc.detail),
                       headers=getattr(exc, "headers", None))

    async def _known(_: Request, exc: Exception) -> ProblemResponse:
        return problem_for(exc)

    # Known errors are answered inside the middleware stack (so the request log shows the
    # real status); anything else reaches the server-error handler as a 500 problem.
    for kind, *_ in STATUS_TABLE:
        app.add_exception_handler(kind, _known)
    app.add_exception_handler(Exception, _known)
