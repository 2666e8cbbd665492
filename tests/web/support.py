"""Signing in to the workspace in tests."""

from __future__ import annotations

from fastapi.testclient import TestClient
from starlette.responses import Response

from interfaces.web.session import _SESSIONS, COOKIE, start_session


def sign_in(client: TestClient, username: str, roles: set[str],
            provinces: set[str] | None = None, lang: str = "vi") -> str:
    """Sign ``client`` in as a person with these roles and provinces (None: every one);
    the session's CSRF token is returned."""
    response = Response()
    token = start_session(response, username, frozenset(roles),
                          None if provinces is None else frozenset(provinces),
                          "en" if lang == "en" else "vi")
    client.cookies.set(COOKIE, token)
    return _SESSIONS[token].csrf
