"""Request body size limit (pure ASGI): 413 problem+json ``payload_too_large``.

A declared ``Content-Length`` over the limit is refused before anything is read; a body
sent without one (chunked) is counted as it streams and refused once it passes the limit.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from interfaces.http.asgi import HttpMiddleware
from interfaces.http.problems import problem

MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: the largest command body is a few kilobytes


def _too_large(limit: int) -> str:
    return f"the request body is larger than {limit} bytes"


class BodySizeLimitMiddleware(HttpMiddleware):
    def __init__(self, app: Any, max_bytes: int = MAX_BODY_BYTES) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        limit = self.max_bytes
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            response = problem(413, "payload_too_large", "Payload too large", _too_large(limit))
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> MutableMapping[str, Any]:
            nonlocal received
            message: MutableMapping[str, Any] = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised inside the app while it reads the body: the error handlers
                    # answer it as a 413 problem (codes in interfaces/http/errors.py).
                    raise HTTPException(413, _too_large(limit))
            return message

        await self.app(scope, counting_receive, send)
