"""The route class of every page: what a page raises is answered as a page in the person's
language (a plain message with the API's stable code, never a problem+json body or a 500)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

import structlog
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from interfaces.http.errors import describe
from interfaces.web.csrf import CsrfRefused
from interfaces.web.session import SignInRequired
from interfaces.web.templating import render

log = structlog.stdlib.get_logger("aidtrail.web")


class PageRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)
            except CsrfRefused:
                log.warning("csrf_refused", path=request.url.path)
                return error_page(request, 403, "csrf_refused")
            except RequestValidationError:
                return error_page(request, 422, "validation_error")
            except Exception as exc:  # noqa: BLE001 - every error is answered as a page
                described = describe(exc)
                if described is None:
                    log.exception("unhandled_page_error", error_type=type(exc).__name__)
                    return error_page(request, 500, "internal_error")
                return error_page(request, described.status, described.code, described.detail)

        return answer


def error_page(request: Request, status: int, code: str, detail: str | None = None) -> Response:
    return render(request, "error.html", {"nav": None, "status": status, "code": code,
                                          "detail": detail},
                  status_code=status)
