"""Command routes check the caller and the body's media type before the body is read.

FastAPI parses and validates a body before it resolves any dependency, so without this a
caller whose role may not give a command would learn the command's schema from a 422. Here
the order is: no or bad token (401), role not allowed (403), a body that is not JSON (415),
then the body itself (422).
"""

from __future__ import annotations

import email.message
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from application.commands.base import Command
from application.commands.catalog import BY_NAME
from interfaces.http.auth import actor_for, bearer_token, notifier_for, principal_of_request


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json"))


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return "transfer-encoding" in request.headers or (length is not None and length != "0")


def check_command_request(request: Request, command: type[Command] | str) -> None:
    """The caller may give the command (or do a ``str`` of ``NOTIFICATION_ROLES``)."""
    caller = principal_of_request(request)
    notifier_for(caller, command) if isinstance(command, str) else actor_for(caller, command)
    if _has_body(request) and not _is_json(request.headers.get("content-type")):
        raise HTTPException(415, "a command's body must be JSON (Content-Type: "
                                 "application/json)")


OTHER_BODIES = {"subscribe_to_notifications": "manage_subscriptions"}  # name: what it needs


class CommandRoute(APIRoute):
    """A route named after its command (`record_disbursement`), or one of ``OTHER_BODIES``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        command = BY_NAME.get(self.name) or OTHER_BODIES.get(self.name)
        if command is None:
            return handler

        async def guarded(request: Request) -> Response:
            token = bearer_token(request)
            if token and request.app.state.verifier.may_fetch(token):  # network: off the loop
                await run_in_threadpool(check_command_request, request, command)
            else:
                check_command_request(request, command)
            return await handler(request)

        return guarded
