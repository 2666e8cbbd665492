"""Request parameters as the server checks them, declared so that the OpenAPI document shows
the same rules: canonical uuids, enumerations, and no control character in a query."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any
from uuid import UUID

from fastapi import Request
from pydantic import BeforeValidator, WithJsonSchema

from domain.errors import InvalidInputError

UUID_PATTERN = ("^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
                "[0-9A-Fa-f]{12}$")
_UUID = re.compile(UUID_PATTERN)
_QUERY_CONTROL = re.compile("[\x00-\x1f\x7f]")


def is_canonical_uuid(value: str) -> bool:
    """The 8-4-4-4-12 hex form only (not braces, ``urn:uuid:`` or 32 bare digits)."""
    return _UUID.fullmatch(value) is not None


def _canonical(value: Any) -> Any:
    if isinstance(value, str) and not is_canonical_uuid(value):
        raise ValueError("must be a uuid in the 8-4-4-4-12 hex form")
    return value


Uuid = Annotated[UUID, BeforeValidator(_canonical),
                 WithJsonSchema({"type": "string", "format": "uuid", "pattern": UUID_PATTERN})]


def one_of(values: Iterable[str]) -> WithJsonSchema:
    """The schema of a string that is one of ``values`` (the server checks it itself)."""
    return WithJsonSchema({"type": "string", "enum": sorted(values)})


def matching(pattern: str, min_length: int = 0) -> WithJsonSchema:
    schema: dict[str, Any] = {"type": "string", "pattern": pattern}
    if min_length:
        schema["minLength"] = min_length
    return WithJsonSchema(schema)


async def refuse_control_characters(request: Request) -> None:
    """No query parameter may hold a control character (NUL, a newline…): no filter, search
    or cursor needs one, and PostgreSQL cannot even compare text holding NUL."""
    # async: it runs for every request, and a plain `def` would be a trip to a worker thread
    for name, value in request.query_params.multi_items():
        if _QUERY_CONTROL.search(name) or _QUERY_CONTROL.search(value):
            raise InvalidInputError(f"{name!r}: control characters are not allowed in a query",
                                    code="control_character_in_query", field=name)
