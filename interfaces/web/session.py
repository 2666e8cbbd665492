"""Who is signed in to the workspace, and the CSRF check of every form.

The contract the pages rely on: ``SignedIn`` gives the ``WebUser`` (a ``Principal`` whose
roles and provinces mean what a token's claims mean), or sends the browser to the sign-in
page; ``posted_form`` gives a form's fields once its CSRF token is checked."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from infrastructure.tokens import Principal
from interfaces.web.i18n import Lang, language

COOKIE = "aidtrail_session"
CSRF_FIELD = "csrf_token"


@dataclass(frozen=True)
class WebUser:
    username: str
    principal: Principal
    lang: Lang
    csrf: str  # the session's CSRF token, put in every form


class SignInRequired(Exception):
    """No valid session: the browser is sent to the sign-in page (and back after)."""


class CsrfRefused(Exception):
    """A form posted without its session's CSRF token."""


_SESSIONS: dict[str, WebUser] = {}  # replaced by stored sessions with local accounts


def start_session(response: Response, username: str, roles: frozenset[str],
                  provinces: frozenset[str] | None, lang: Lang = "vi") -> str:
    token = secrets.token_urlsafe(32)
    _SESSIONS[token] = WebUser(username, Principal(username, roles, provinces), lang,
                               secrets.token_urlsafe(32))
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax")
    return token


def current_user(request: Request) -> WebUser | None:
    token = request.cookies.get(COOKIE)
    return _SESSIONS.get(token) if token else None


def signed_in(request: Request) -> WebUser:
    user = current_user(request)
    if user is None:
        raise SignInRequired()
    request.state.lang = user.lang
    return user


async def posted_form(request: Request, user: WebUser) -> FormData:
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not secrets.compare_digest(sent, user.csrf):
        raise CsrfRefused()
    return form


def request_language(request: Request) -> Lang:
    """The page's language: the signed-in person's, else the language cookie's."""
    user = current_user(request)
    chosen = request.cookies.get("aidtrail_lang")
    return language(chosen) if chosen or not user else user.lang


SignedIn = Annotated[WebUser, Depends(signed_in)]
