"""A command route's arguments resolved without the framework's general dependency solver.

For every request FastAPI walks a route's whole dependency tree (the app's query check, the
caller and the bearer scheme beneath it, the services) and asks each node for its path,
query, header and cookie values (bench/RESULTS.md, "Write path after the direct command
arguments"). The command routes have the same few kinds of parameters everywhere, so
``direct_handler`` resolves them itself, with the framework's own steps (a parameter's
aliases and validation, worked out once per route rather than per request, in
``direct_params.py``; ``request_body_to_args``: the same values), and passes every request
it does not take as a plain success (no body, a body that is not JSON, any invalid value, a
dependency override) to the framework's own handler, which answers it exactly as before. A
route with any other kind of parameter gets no direct handler.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.dependencies.utils import request_body_to_args

from interfaces.http.auth import authenticate, known_principal
from interfaces.http.deps import get_services
from interfaces.http.direct_params import params_of, read
from interfaces.http.params import refuse_control_characters

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
_UNKNOWN = object()  # a dependency's value this module cannot give: the framework's turn


async def _principal(request: Request) -> Any:
    # The command guard verified the caller before the handler: its principal is kept.
    principal = known_principal(request)
    return _UNKNOWN if principal is None else principal


async def _check_query(request: Request) -> None:
    await refuse_control_characters(request)


# The dependencies the command routes use, and how each is resolved here.
_RESOLVERS: dict[Any, Callable[[Request], Awaitable[Any]]] = {
    authenticate: _principal,
    get_services: get_services,
    refuse_control_characters: _check_query,
}


def _is_json(request: Request) -> bool:
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media == "application/json"


def direct_handler(route: Any, fallback: Handler) -> Handler | None:
    """The handler of ``route`` (an ``APIRoute`` or the framework's included-route context,
    which adds the app's dependencies), or None when it has a kind of parameter not taken
    here."""
    d = route.dependant
    resolvers = [(sub.name, _RESOLVERS.get(sub.call)) for sub in d.dependencies]
    if (d.query_params or d.cookie_params or len(d.body_params) > 1 or d.response_param_name
            or d.background_tasks_param_name or d.security_scopes_param_name
            or d.http_connection_param_name or d.websocket_param_name
            or not inspect.iscoroutinefunction(d.call)
            or any(resolve is None for _, resolve in resolvers)):
        return None
    path_params, header_params = params_of(d.path_params), params_of(d.header_params)
    if path_params is None or header_params is None:
        return None
    endpoint = d.call
    overrides = route.dependency_overrides_provider
    embed = bool(route._embed_body_fields)

    async def handler(request: Request) -> Response:
        if getattr(overrides, "dependency_overrides", None):
            return await fallback(request)
        received: Any = None
        if d.body_params:  # read first, as the framework does
            raw = await request.body()
            if not raw or not _is_json(request):
                return await fallback(request)
            try:
                received = json.loads(raw)
            except (ValueError, RecursionError):  # not JSON, or nested too deep for it
                return await fallback(request)
        values: dict[str, Any] = {}
        for name, resolve in resolvers:
            value = await resolve(request)  # type: ignore[misc]
            if value is _UNKNOWN:
                return await fallback(request)
            if name is not None:
                values[name] = value
        path_values = read(path_params, request.path_params)
        header_values = read(header_params, request.headers) if header_params else {}
        if path_values is None or header_values is None:
            return await fallback(request)
        values.update(path_values)
        values.update(header_values)
        if d.body_params:
            body_values, body_errors = await request_body_to_args(
                body_fields=d.body_params, received_body=received, embed_body_fields=embed)
            if body_errors:
                return await fallback(request)
            values.update(body_values)
        if d.request_param_name:
            values[d.request_param_name] = request
        response = await endpoint(**values)
        if not isinstance(response, Response):  # a command route answers a JSONResponse
            raise TypeError(f"{d.name or endpoint!r} must return a Response")
        return response

    return handler
