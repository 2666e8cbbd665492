"""One shape for every error: RFC 9457 problem+json with a stable ``code``."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from interfaces.http.context import current_request_id
from interfaces.http.languages import current_language, localised

# A relative reference (RFC 9457 §3.1.1): it resolves against the request's URL to the page
# this server serves for the code (interfaces/http/routes/problems.py).
PROBLEM_TYPE_BASE = "/problems/"


class ProblemResponse(JSONResponse):
    media_type = "application/problem+json"


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> ProblemResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        **localised(code, detail),
        "code": code,
        "request_id": current_request_id(),
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    # The detail's language follows Accept-Language, so caches keep one answer per language.
    languages = {"Content-Language": current_language(), "Vary": "Accept-Language"}
    return ProblemResponse(body, status_code=status, headers={**languages, **(headers or {})})
