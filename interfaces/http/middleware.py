"""Binds a request id to each request and logs one summary line when it ends (pure ASGI)."""

from __future__ import annotations

import random
import re
import time
from collections.abc import MutableMapping
from typing import Any

import structlog

from interfaces.http.asgi import HttpMiddleware
from interfaces.http.context import reset_request_id, set_request_id
from interfaces.http.errors import problem_for
from interfaces.http.languages import preferred, reset_language, set_language

log = structlog.stdlib.get_logger("aidtrail.http")
_SAFE_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")


def _new_request_id() -> str:
    """32 hex digits, like a UUID's. Not ``uuid4``: ``os.urandom`` lets go of the interpreter
    lock for its system call, and with the command threads waiting for it the request then
    waits its turn to get it back. A request id is a label, not a secret."""
    return f"{random.getrandbits(128):032x}"


class RequestContextMiddleware(HttpMiddleware):
    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"")
        request_id = given.decode() if _SAFE_ID.match(given) else _new_request_id()
        token = set_request_id(request_id)
        accepted = next((v for k, v in scope["headers"] if k == b"accept-language"), b"")
        language = set_language(preferred(accepted.decode("latin-1")))
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500
        header = (b"x-request-id", request_id.encode())

        started_response = False

        async def send_with_id(message: MutableMapping[str, Any]) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                status, started_response = message["status"], True
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            # Anything not in the error table: a 500 problem, answered here so that it
            # still carries the request id; the traceback goes to the log only.
            if started_response:
                raise
            response = problem_for(exc)
            await response(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                method=scope["method"],
                scheme=scope.get("scheme", "http"),  # https behind a trusted TLS proxy
                path=scope["path"],
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.unbind_contextvars("request_id")
            reset_request_id(token)
            reset_language(language)
