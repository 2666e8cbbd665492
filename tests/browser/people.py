"""The people who use the workspace in the browser tests, and how they get in."""

from __future__ import annotations

from playwright.sync_api import Page
from starlette.responses import Response

from interfaces.web.session import COOKIE, start_session
from tests.browser.site import Site


def enter_as(page: Page, site: Site, username: str, roles: set[str],
             provinces: set[str] | None = None) -> None:
    """Give the browser a session of this person (the server runs in the test's process),
    for the pages that are not about signing in."""
    token = start_session(Response(), username, frozenset(roles),
                          None if provinces is None else frozenset(provinces))
    page.context.add_cookies([{"name": COOKIE, "value": token, "url": site.url}])
