"""The shape our pure ASGI middlewares share: HTTP requests are theirs, anything else (the
server's lifespan messages) goes through untouched."""

from __future__ import annotations

from typing import Any


class HttpMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        raise NotImplementedError
