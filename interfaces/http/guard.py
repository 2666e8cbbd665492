"""Command routes check the caller and the body's media type before the body is read.

FastAPI parses and validates a body before it resolves any dependency, so without this a
caller whose role may not give a command would learn the command's schema from a 422. Here
the order is: no or bad token (401), role not allowed (403), a body that is not JSON (415),
then the body itself (422).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import fastapi.routing
from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from application.commands.base import Command
from application.commands.catalog import BY_NAME
from interfaces.http.auth import bearer_token, principal_of_request
from interfaces.http.bodies import has_body, is_json
from interfaces.http.direct import direct_handler
from interfaces.http.permissions import actor_for, notifier_for


def check_command_request(request: Request, command: type[Command] | str) -> None:
    """The caller may give the command (or do a ``str`` of ``NOTIFICATION_ROLES``)."""
    caller = principal_of_request(request)
    notifier_for(caller, command) if isinstance(command, str) else actor_for(caller, command)
    if has_body(request) and not is_json(request.headers.get("content-type")):
        raise HTTPException(415, "a command's body must be JSON (Content-Type: "
                                 "application/json)")


# The framework's route inclusion being built (private: without it the app's dependencies are
# not known, and the routes keep the framework's handler).
_INCLUSION = getattr(fastapi.routing, "_effective_route_context_var", None)

OTHER_BODIES = {"subscribe_to_notifications": "manage_subscriptions"}  # name: what it needs


class CommandRoute(APIRoute):
    """A route named after its command (`record_disbursement`), or one of ``OTHER_BODIES``."""

    direct = False  # its arguments resolved by ``interfaces/http/direct.py``

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        command: type[Command] | str | None = BY_NAME.get(self.name) or OTHER_BODIES.get(
            self.name)
        if command is None:
            return handler
        handler = self._direct(handler)

        async def guarded(request: Request) -> Response:
            token = bearer_token(request)
            if token and request.app.state.verifier.may_fetch(token):  # network: off the loop
                await run_in_threadpool(check_command_request, request, command)
            else:
                check_command_request(request, command)
            return await handler(request)

        return guarded

    def _direct(self, handler: Callable[[Request], Coroutine[Any, Any, Response]]
                ) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        # Built for each inclusion of the route, as the framework builds its own handler:
        # the inclusion's context holds the app's and the routers' dependencies too.
        context = _INCLUSION.get() if _INCLUSION is not None else None
        route = context if context is not None and context.original_route is self else self
        direct = direct_handler(route, handler)
        if direct is None:
            return handler
        self.direct = self.direct or context is not None
        return direct
