"""The language switch: Vietnamese by default, English on request, remembered (on the
signed-in person's account, and in a cookie for the sign-in page and after signing out)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from infrastructure.accounts import AccountStore
from infrastructure.clock import now_utc
from interfaces.web.csrf import posted_form
from interfaces.web.i18n import language
from interfaces.web.route import PageRoute
from interfaces.web.session import LANG_COOKIE, WebUser, current_user, set_cookie

router = APIRouter(route_class=PageRoute)
YEAR = 365 * 24 * 3600


def local_path(target: str | None) -> str:
    """Where to go next: a path of this site only (never another site's address; browsers
    drop tabs and line breaks, so a slash, a tab and ``/evil.example`` lead to another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target \
            or any(ch < " " or ch == "\x7f" for ch in target):
        return "/"
    return target


@router.post("/language")
async def switch_language(
    request: Request, user: Annotated[WebUser | None, Depends(current_user)],
) -> RedirectResponse:
    form = await posted_form(request, user) if user else await request.form()
    lang, target = form.get("lang"), form.get("next")
    chosen = language(lang if isinstance(lang, str) else None)
    if user is not None:
        accounts: AccountStore = request.app.state.container.accounts
        await run_in_threadpool(accounts.set_language, user.username, chosen, now_utc())
    response = RedirectResponse(local_path(target if isinstance(target, str) else None),
                                status_code=303)
    set_cookie(request, response, LANG_COOKIE, chosen, max_age=YEAR)
    return response
