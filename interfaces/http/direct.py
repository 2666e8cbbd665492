"""A command route's arguments resolved without the framework's general dependency solver.

For every request FastAPI walks a route's whole dependency tree (the app's query check, the
caller and the bearer scheme beneath it, the services) and asks each node for its path,
query, header and cookie values: about a fifth of a command's server CPU, measured. The
command routes have the same few kinds of parameters everywhere, so ``direct_handler``
resolves them itself, with the framework's own steps (a parameter's aliases and validation,
worked out once per route rather than per request; ``request_body_to_args``: the same
values), and passes every request it does not take as a
plain success (no body, a body that is not JSON, any invalid value, a dependency override)
to the framework's own handler, which answers it exactly as before. A route with any other
kind of parameter gets no direct handler.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.dependencies import utils
from fastapi.dependencies.utils import request_body_to_args

from interfaces.http.auth import authenticate, known_principal
from interfaces.http.deps import get_services
from interfaces.http.params import refuse_control_characters

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
_UNKNOWN = object()  # a dependency's value this module cannot give: the framework's turn

# The framework's own steps for one path or header value (private names: should a release
# rename them, the routes keep the framework's handler, and tests/api/test_direct_handler.py
# says so).
_ALIASES = getattr(utils, "_get_param_aliases", None)
_MODEL = getattr(utils, "_get_param_model", None)
_VALIDATE = getattr(utils, "_validate_value_with_model_field", None)
_SEQUENCE = getattr(utils, "field_annotation_is_sequence", None)
_MISSING = getattr(utils, "Undefined", None)


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


Param = tuple[str, list[str], str, Any]  # name, request keys by preference, where, field


def _params(fields: list[Any]) -> list[Param] | None:
    """What reading each plain path or header value needs, worked out once (as
    ``request_params_to_args`` does for every request); None for a kind not taken here
    (a model of parameters, a list)."""
    if None in (_ALIASES, _MODEL, _VALIDATE, _SEQUENCE, _MISSING):
        return None
    out: list[Param] = []
    for field in fields:
        if _MODEL(field) is not None or _SEQUENCE(field.field_info.annotation):  # type: ignore[misc]
            return None
        keys = [key for _, key in _ALIASES(field)]  # type: ignore[misc]
        out.append((field.name, keys, field.field_info.in_.value, field))
    return out


def _read(params: list[Param], received: Any) -> dict[str, Any] | None:
    """The validated values, or None when one is invalid (the framework then says why)."""
    values: dict[str, Any] = {}
    for name, keys, where, field in params:
        key = next((k for k in keys if k in received), keys[0])
        value = received.get(key)
        value, errors = _VALIDATE(  # type: ignore[misc]
            field=field, value=_MISSING if value is None else value, values=values,
            loc=(where, key))
        if errors:
            return None
        values[name] = value
    return values


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
    path_params, header_params = _params(d.path_params), _params(d.header_params)
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
        path_values = _read(path_params, request.path_params)
        header_values = _read(header_params, request.headers) if header_params else {}
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
