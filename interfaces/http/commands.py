"""Runs one command for a route: If-Match, Idempotency-Key, and the common response."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from application.results import CommandResult
from domain.errors import InvalidInputError
from infrastructure.idempotency import Claim, IdempotencyStore, StoredResponse
from infrastructure.tokens import Principal
from interfaces.http.params import matching

# A version number, quoted or not, weak or not, or `*` (any version).
_VERSION = re.compile(r'^[ \t]*(?:\*|(?:W/)?"?([0-9]{1,18})"?)[ \t]*$')


class CommandResponse(BaseModel):
    id: UUID
    version: int
    status: str
    position: int


IfMatch = Annotated[Annotated[str, matching(_VERSION.pattern)] | None, Header(
    alias="If-Match", description="The version the command expects, e.g. \"3\"")]
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", max_length=200,
    description="A retry with the same key and body returns the first response")]


def parse_if_match(value: str | None) -> int | None:
    if value is None:
        return None
    match = _VERSION.fullmatch(value)
    if not match:
        raise InvalidInputError("If-Match must be a version number, e.g. \"3\"",
                                code="invalid_if_match", field="If-Match")
    return None if match.group(1) is None else int(match.group(1))


def _fingerprint(request: Request, body: BaseModel | None) -> str:
    payload = body.model_dump(mode="json") if body is not None else None
    raw = json.dumps([request.method, request.url.path, payload], sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def run_command(
    request: Request,
    principal: Principal,
    body: BaseModel | None,
    idempotency_key: str | None,
    command: Callable[[], CommandResult],
    *,
    created: bool = False,
    location: Callable[[CommandResult], str] | None = None,
) -> JSONResponse:
    store: IdempotencyStore = request.app.state.container.idempotency
    claim: Claim | None = None
    if idempotency_key:
        first = store.claim(principal.sub, idempotency_key, _fingerprint(request, body))
        if isinstance(first, StoredResponse):
            return JSONResponse(first.body, status_code=first.status,
                                headers={**first.headers, "Idempotent-Replayed": "true"})
        claim = first
    try:
        result = command()
    except BaseException:
        if claim is not None:
            store.release(claim)  # never raises: the command's own error is answered
        raise
    content: dict[str, Any] = CommandResponse(**result.__dict__).model_dump(mode="json")
    headers = {"ETag": f'"{result.version}"'}
    if created and location:
        headers["Location"] = location(result)
    status = 201 if created else 200
    if idempotency_key:
        store.complete(principal.sub, idempotency_key, StoredResponse(status, content, headers))
    return JSONResponse(content, status_code=status, headers=headers)
