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

from interfaces.http.schemas.examples import EXAMPLES
from interfaces.http.schemas.glossary import describe

PROBLEM = "application/problem+json"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details with a stable machine-readable `code`; other "
                   "members give facts about the refusal (e.g. `errors`, `allowed_commands`)",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code", "request_id"],
    "properties": {
        "type": {"type": "string", "description": "`/problems/<code>`: the server's page "
                                                  "explaining the code"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "What was refused, in English; with "
                   "`Accept-Language: vi` preferred, the code's explanation in Vietnamese "
                   "(the response's `Content-Language` says which)"},
        "detail_en": {"type": "string", "description": "Only when `detail` is in Vietnamese: "
                      "the English detail, with the refusal's specifics"},
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
_COMMAND_REF = "#/components/schemas/CommandResponse"
_STRING = {"type": "string"}
# Response headers, declared where the code sends them (interfaces/http/commands.py,
# middleware.py, errors.py, and the reads that answer an ETag).
REQUEST_ID = {"description": "The request's id (the caller's `X-Request-ID` when it is safe, "
                             "made otherwise), also in every problem body and log line",
              "required": True, "schema": _STRING}
RETRY_AFTER = {"description": "Seconds to wait before retrying", "schema": _STRING}
ETAG = {"description": 'The aggregate\'s version after the command or read, `"<version>"`; '
                       "send it back in `If-Match` to make a command conditional",
        "required": True, "schema": _STRING}
REPLAYED = {"description": "`true` when this is the stored first answer to a retry with the "
                           "same `Idempotency-Key` (nothing was recorded)",
            "schema": {"type": "string", "enum": ["true"]}}
LOCATION = {"description": "The path of the case or donor the command created",
            "required": True, "schema": _STRING}
ETAG_OPERATIONS = frozenset({"get_case", "get_donor"})
_COMMON = {401: "no or invalid token", 403: "role not allowed",
           422: "invalid input", 503: "database unavailable"}


def _is_authenticated(operation: dict[str, Any]) -> bool:
    return bool(operation.get("security"))


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    """Add the Problem schema and the outcomes every route shares (in place)."""
    spec.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    _document(spec["components"]["schemas"])
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
                _declare_headers(operation, status, response)
                if status[0] in "45":
                    # Every error is a problem (interfaces/http/errors.py), whatever a route
                    # declared; a validation error is one too, not FastAPI's default body.
                    response["content"] = {PROBLEM: {"schema": _REF}}
    return spec


def _document(schemas: dict[str, Any]) -> None:
    """Every property its description (its own, else the glossary's) and every command body
    its example (interfaces/http/schemas/glossary.py, examples.py)."""
    for name, schema in schemas.items():
        for field, prop in schema.get("properties", {}).items():
            text = describe(name, field)
            if "description" not in prop and text:
                prop["description"] = text
        if name in EXAMPLES:
            schema.setdefault("examples", [EXAMPLES[name]])


def _declare_headers(operation: dict[str, Any], status: str, response: dict[str, Any]) -> None:
    headers = response.setdefault("headers", {})
    headers["X-Request-ID"] = REQUEST_ID
    if status == "503":
        headers["Retry-After"] = RETRY_AFTER
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    if status[0] == "2" and schema.get("$ref") == _COMMAND_REF:
        headers.update({"ETag": ETAG, "Idempotent-Replayed": REPLAYED})
        if status == "201":
            headers["Location"] = LOCATION
    if status == "200" and operation.get("operationId") in ETAG_OPERATIONS:
        headers["ETag"] = ETAG


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(get_openapi(
                title=app.title, version=app.version, openapi_version=app.openapi_version,
                summary=app.summary, description=app.description, routes=app.routes,
                tags=app.openapi_tags, servers=app.servers))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
