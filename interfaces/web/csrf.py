"""The CSRF check of every form: ``posted_form`` gives a form's fields once the token of the
person's session has come back with them."""

from __future__ import annotations

import secrets

from fastapi import Request
from starlette.datastructures import FormData

from interfaces.web.session import WebUser

CSRF_FIELD = "csrf_token"


class CsrfRefused(Exception):
    """A form posted without its session's CSRF token."""


def csrf_matches(sent: object, expected: str) -> bool:
    return isinstance(sent, str) and secrets.compare_digest(sent.encode(), expected.encode())


async def posted_form(request: Request, user: WebUser) -> FormData:
    form = await request.form()
    if not csrf_matches(form.get(CSRF_FIELD), user.csrf):
        raise CsrfRefused()
    return form
