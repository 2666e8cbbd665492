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

from application.errors import IdempotencyKeyReusedError
from application.idempotency import CommandKey, KeyAlreadyRecorded
from application.on_loop import blocking, pause
from application.results import CommandResult
from domain.errors import CodedError, ConflictError, InvalidInputError
from infrastructure.idempotency import IdempotencyStore
from infrastructure.tokens import Principal
from interfaces.http.params import matching

# A version number, quoted or not, weak or not, or `*` (any version).
_VERSION = re.compile(r'^[ \t]*(?:\*|(?:W/)?"?([0-9]{1,18})"?)[ \t]*$')
# A twin's recorded answer is read this often, this far apart, before 409 in progress.
_IN_PROGRESS_READS = 20
_IN_PROGRESS_PAUSE = 0.05


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
    command: Callable[[CommandKey | None], CommandResult],
    *,
    created: bool = False,
    location: Callable[[CommandResult], str] | None = None,
) -> JSONResponse:
    """Run ``command`` and answer its result. With an Idempotency-Key the command is given
    the key, which its save records in the transaction of its events; a retry whose key is
    recorded gets the first answer, whatever happened in between."""
    once = (CommandKey(principal.sub, idempotency_key, _fingerprint(request, body))
            if idempotency_key else None)
    try:
        result = command(once)
    except KeyAlreadyRecorded:
        assert once is not None
        return _answer(_recorded(request, once), created, location, replayed=True)
    except CodedError as refused:
        # A retry of a command that was recorded may be refused by the state it made
        # (e.g. a second approval): the recorded answer is the one to give.
        first = _recorded_after_refusal(request, once, refused)
        if first is None:
            raise
        return _answer(first, created, location, replayed=True)
    return _answer(result, created, location)


def _answer(result: CommandResult, created: bool,
            location: Callable[[CommandResult], str] | None, *,
            replayed: bool = False) -> JSONResponse:
    # CommandResponse's JSON, written out: the result's fields are already of its types
    content: dict[str, Any] = {"id": str(result.id), "version": result.version,
                               "status": result.status, "position": result.position}
    headers = {"ETag": f'"{result.version}"'}
    if created and location:
        headers["Location"] = location(result)
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(content, status_code=201 if created else 200, headers=headers)


def _store(request: Request) -> IdempotencyStore:
    return request.app.state.container.idempotency  # type: ignore[no-any-return]


def _recorded(request: Request, once: CommandKey) -> CommandResult:
    """The twin's result. Its key was seen committed, so it is there at once; the bounded
    wait covers only a read that races the twin's commit becoming visible."""
    for _ in range(_IN_PROGRESS_READS):
        first = blocking(lambda: _store(request).find(once))
        if first is not None:
            return first
        pause(_IN_PROGRESS_PAUSE)
    raise ConflictError("a request with this Idempotency-Key is still in progress",
                        code="idempotency_key_in_progress")


def _recorded_after_refusal(request: Request, once: CommandKey | None,
                            refused: CodedError) -> CommandResult | None:
    if once is None:
        return None
    try:
        return blocking(lambda: _store(request).find(once))
    except IdempotencyKeyReusedError:
        raise
    except Exception:  # noqa: BLE001 - the database cannot say: the refusal is the answer
        raise refused from None
