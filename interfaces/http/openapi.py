"""The OpenAPI document, completed in one place: what every route can answer.

Routes declare their own outcomes (``response_model``, ``responses=``). What holds for every
route because of the app's structure is added here, so that a new route is documented
without repeating it: every error is ``application/problem+json`` with the ``Problem``
schema; every authenticated route can answer 401, 403 (a token with no known role), 422
and 503; every route with a body can answer 413 (interfaces/http/limits.py) and 415
(interfaces/http/guard.py).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM = "application/problem+json"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details with a stable machine-readable `code`; other "
                   "members give facts about the refusal (e.g. `errors`, `allowed_commands`)",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code", "request_id"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "code": {"type": "string", "minLength": 1},
        "request_id": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "message", "code"],
            "properties": {"field": {"type": "string"}, "message": {"type": "string"},
                           "code": {"type": ["string", "null"]}}}},
    },
    "additionalProperties": True,
}
_REF = {"$ref": "#/components/schemas/Problem"}
_COMMON = {401: "no or invalid token", 403: "role not allowed",
           422: "invalid input", 503: "database unavailable"}


def _is_authenticated(operation: dict[str, Any]) -> bool:
    return bool(operation.get("security"))


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    """Add the Problem schema and the outcomes every route shares (in place)."""
    spec.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            shared = dict(_COMMON) if _is_authenticated(operation) else {}
            if "requestBody" in operation:
                shared[413] = "request body over the size limit"
                shared[415] = "request body that is not JSON"
            for status, text in shared.items():
                responses.setdefault(str(status), {"description": text})
            for status, response in responses.items():
                if status[0] in "45":
                    # Every error is a problem (interfaces/http/errors.py), whatever a route
                    # declared; a validation error is one too, not FastAPI's default body.
                    response["content"] = {PROBLEM: {"schema": _REF}}
    return spec


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(get_openapi(
                title=app.title, version=app.version, openapi_version=app.openapi_version,
                summary=app.summary, description=app.description, routes=app.routes,
                tags=app.openapi_tags, servers=app.servers))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
