"""Signing in to the workspace in tests: a real account, signed in through the real form."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from httpx import Response

from interfaces.container import Container
from interfaces.web.session import COOKIE

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def container_of(client: TestClient) -> Container:
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    return container


def add_account(client: TestClient, username: str, roles: set[str],
                provinces: set[str] | None = None, lang: str = "vi",
                password: str = PASSWORD) -> None:
    """An account as ``aidtrail user add`` makes it (provinces None: '*', every one)."""
    c = container_of(client)
    c.accounts.add(username, roles, ["*"] if provinces is None else provinces,
                   password=password, lang="en" if lang == "en" else "vi",
                   register=c.register, now=datetime.now(UTC))


def form_token(html: str, action: str = "/signin") -> str:
    """The CSRF token of a page's form that posts to ``action``."""
    found = _TOKEN.search(html, html.index(f'action="{action}"'))
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def post_signin(client: TestClient, username: str, password: str = PASSWORD,
                next_path: str = "/") -> Response:
    page = client.get("/signin")
    return client.post("/signin", data={"username": username, "password": password,
                                        "csrf_token": form_token(page.text),
                                        "next": next_path}, follow_redirects=False)


def sign_in(client: TestClient, username: str, roles: set[str],
            provinces: set[str] | None = None, lang: str | None = None) -> str:
    """Sign ``client`` in as a person with these roles and provinces (None: every one) and
    language (None: the account's, Vietnamese for a new one); the session's CSRF token is
    returned."""
    username = _account_for(client, username, roles, provinces, lang)
    response = post_signin(client, username)
    assert response.status_code == 303, response.text
    session = container_of(client).web_sessions.find(client.cookies.get(COOKIE))
    assert session is not None
    return session.csrf


def _account_for(client: TestClient, username: str, roles: set[str],
                 provinces: set[str] | None, lang: str | None) -> str:
    """The name of an account with exactly these roles, provinces and language: ``username``
    if it is free or already so, else a name of its own for them."""
    wanted = (frozenset(roles), None if provinces is None else frozenset(provinces))
    accounts = container_of(client).accounts
    for n in range(100):
        name = username if n == 0 else f"{username}-{n}"
        found = accounts.get(name)
        if found is None:
            add_account(client, name, roles, provinces, lang or "vi")
            return name
        if (found.roles, found.provinces) == wanted and lang in (None, found.lang):
            return name
    raise AssertionError(f"no free account name like {username!r}")
