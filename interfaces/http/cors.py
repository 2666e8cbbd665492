"""CORS for the origins of ``AIDTRAIL_CORS_ORIGINS`` (none by default: no CORS at all)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware

# Every method the API serves: PATCH updates a draft, DELETE removes a subscription.
ALLOWED_METHODS = ["GET", "POST", "PATCH", "DELETE", "OPTIONS"]
ALLOWED_HEADERS = ["Authorization", "Content-Type", "If-Match", "Idempotency-Key",
                   "X-Request-ID"]
EXPOSED_HEADERS = ["ETag", "Location", "Retry-After", "Idempotent-Replayed", "X-Request-ID",
                   "Allow", "WWW-Authenticate"]


class AllowedOriginsCORS(CORSMiddleware):
    """Starlette's CORS, except that a preflight from another origin is not answered as a
    preflight: it goes on to the app (an ``OPTIONS`` answered with ``Allow`` and no CORS
    header), so the browser refuses the request and no plain-text 400 is sent."""

    def __init__(self, app: Any, origins: list[str]) -> None:
        super().__init__(app, allow_origins=origins, allow_methods=ALLOWED_METHODS,
                         allow_headers=ALLOWED_HEADERS, expose_headers=EXPOSED_HEADERS,
                         max_age=600)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and "access-control-request-method" in headers \
                    and not self.is_allowed_origin(origin):
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)
