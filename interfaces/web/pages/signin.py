"""Signing in and out of the workspace: local accounts, throttled guessing, every outcome
logged (the username of a known account, never a password)."""

from __future__ import annotations

import secrets
from typing import Annotated

import structlog
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from infrastructure.accounts import AccountStore
from interfaces.web.csrf import CsrfRefused, csrf_matches, posted_form
from interfaces.web.pages.language import local_path
from interfaces.web.route import PageRoute
from interfaces.web.session import SignedIn, end_session, sessions_of, set_cookie, start_session
from interfaces.web.templating import render
from interfaces.web.words import N_

router = APIRouter(route_class=PageRoute)
log = structlog.stdlib.get_logger("aidtrail.web")
# The sign-in form's own CSRF token, before there is a session (a double-submitted cookie):
# no other site can sign a browser in to an account of its choosing.
SIGNIN_COOKIE = "aidtrail_signin"
WRONG = N_("The username or password is wrong, or the account is disabled.")
THROTTLED = N_("Too many failed sign-ins. Wait a few minutes, then try again.")
UNAVAILABLE = N_("Signing in is not configured on this server (AIDTRAIL_SESSION_SECRET).")


def _form_token(request: Request) -> str:
    return sessions_of(request).unsign(request.cookies.get(SIGNIN_COOKIE)) or \
        secrets.token_urlsafe(32)


def _page(request: Request, token: str, next_path: str, username: str = "",
          error: str | None = None, status: int = 200) -> HTMLResponse:
    response = render(request, "signin.html", {
        "nav": None, "form_token": token, "next": next_path, "username": username, "error": error,
        "available": sessions_of(request).enabled}, status_code=status)
    if sessions_of(request).enabled:
        set_cookie(request, response, SIGNIN_COOKIE, sessions_of(request).sign(token))
    return response


@router.get("/signin")
def signin_page(request: Request, next: str | None = None) -> HTMLResponse:  # noqa: A002
    return _page(request, _form_token(request), local_path(next))


@router.post("/signin")
def sign_in(request: Request, username: Annotated[str, Form()] = "",
            password: Annotated[str, Form()] = "",
            csrf_token: Annotated[str, Form()] = "",
            next: Annotated[str, Form()] = "/") -> Response:  # noqa: A002
    sessions = sessions_of(request)
    target = local_path(next)
    if not sessions.enabled:
        return _page(request, "", target, username, UNAVAILABLE, 503)
    expected = sessions.unsign(request.cookies.get(SIGNIN_COOKIE))
    if expected is None or not csrf_matches(csrf_token, expected):
        raise CsrfRefused()
    name = username.strip().lower()
    address = request.client.host if request.client else "unknown"
    accounts: AccountStore = request.app.state.container.accounts
    known = accounts.get(name) if name else None
    who = {"username": known.username} if known else {"account_known": False}
    limited = sessions.throttled(f"account:{name}", f"address:{address}")
    if limited is not None:
        log.warning("signin_throttled", by=limited.partition(":")[0], **who)
        return _page(request, expected, target, username, THROTTLED, 429)
    account = accounts.check_password(name, password)
    if account is None or account.disabled:
        sessions.failed(f"account:{name}", f"address:{address}")
        reason = "disabled" if account else "wrong_password" if known else "unknown_account"
        log.warning("signin_failed", reason=reason, **who)
        return _page(request, expected, target, username, WRONG, 401)
    sessions.succeeded(f"account:{name}")
    response = RedirectResponse(target, status_code=303)
    start_session(request, response, account)
    log.info("signed_in", username=account.username)
    return response


@router.post("/signout")
async def sign_out(request: Request, user: SignedIn) -> Response:
    await posted_form(request, user)
    response = RedirectResponse("/signin", status_code=303)
    await run_in_threadpool(end_session, request, response)
    log.info("signed_out", username=user.username)
    return response
