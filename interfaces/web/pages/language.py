"""The language switch: Vietnamese by default, English on request, remembered."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from interfaces.web.i18n import language
from interfaces.web.route import PageRoute

router = APIRouter(route_class=PageRoute)
YEAR = 365 * 24 * 3600


def local_path(target: str | None) -> str:
    """Where to go next: a path of this site only (never another site's address)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.post("/language")
def switch_language(lang: Annotated[str, Form()],
                    next: Annotated[str | None, Form()] = None) -> RedirectResponse:  # noqa: A002
    response = RedirectResponse(local_path(next), status_code=303)
    response.set_cookie("aidtrail_lang", language(lang), max_age=YEAR, httponly=True,
                        samesite="lax")
    return response
