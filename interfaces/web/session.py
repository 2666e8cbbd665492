"""Who is signed in to the workspace: the session in its cookie, started and ended.

The contract the pages rely on: ``SignedIn`` gives the ``WebUser`` (a ``Principal`` whose
roles and provinces mean what a token's claims mean), or sends the browser to the sign-in
page (``csrf.py`` checks the forms the person posts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from application.roles import ALL_ROLES
from infrastructure.accounts import Account
from infrastructure.tokens import Principal
from infrastructure.web_sessions import WebSessions
from interfaces.http.auth import in_jurisdiction
from interfaces.web.i18n import Lang, language

COOKIE = "aidtrail_session"
LANG_COOKIE = "aidtrail_lang"


@dataclass(frozen=True)
class WebUser:
    username: str
    principal: Principal
    lang: Lang
    csrf: str  # the session's CSRF token, put in every form


class SignInRequired(Exception):
    """No valid session: the browser is sent to the sign-in page (and back after)."""


def sessions_of(request: Request) -> WebSessions:
    sessions: WebSessions = request.app.state.container.web_sessions
    return sessions


def web_user(request: Request, account: Account, csrf: str) -> WebUser:
    """The person of an account, their roles and provinces read as a token's claims are."""
    principal = Principal(account.username, account.roles & ALL_ROLES, account.provinces)
    return WebUser(account.username,
                   in_jurisdiction(principal, request.app.state.container.register),
                   language(account.lang), csrf)


def current_user(request: Request) -> WebUser | None:
    """The person whose live session the request's cookie names (looked up once a request)."""
    if hasattr(request.state, "web_user"):
        found: WebUser | None = request.state.web_user
        return found
    session = sessions_of(request).find(request.cookies.get(COOKIE))
    user = None if session is None else web_user(request, session.account, session.csrf)
    request.state.web_user = user
    return user


def start_session(request: Request, response: Response, account: Account) -> WebUser:
    """Sign ``account`` in: a new session (never the one the browser had) in the cookie."""
    sessions = sessions_of(request)
    sessions.end(request.cookies.get(COOKIE))
    cookie, csrf = sessions.start(account.username)
    set_cookie(request, response, COOKIE, cookie)
    user = web_user(request, account, csrf)
    request.state.web_user = user
    return user


def end_session(request: Request, response: Response) -> None:
    sessions_of(request).end(request.cookies.get(COOKIE))
    response.delete_cookie(COOKIE, httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")


def set_cookie(request: Request, response: Response, name: str, value: str,
               max_age: int | None = None) -> None:
    """HttpOnly, SameSite=Lax, and Secure when the request came over https (as the trusted
    proxy said, when AIDTRAIL_FORWARDED_ALLOW_IPS believes it)."""
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")


def signed_in(request: Request) -> WebUser:
    user = current_user(request)
    if user is None:
        raise SignInRequired()
    request.state.lang = user.lang
    return user


def request_language(request: Request) -> Lang:
    """The page's language: the signed-in person's, else the language cookie's."""
    user = current_user(request)
    return user.lang if user else language(request.cookies.get(LANG_COOKIE))


SignedIn = Annotated[WebUser, Depends(signed_in)]
