"""The people who use the workspace in the browser tests, and how they get in."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page
from starlette.responses import Response

from interfaces.web.session import COOKIE, start_session
from tests.browser.site import Site


@dataclass(frozen=True)
class Person:
    username: str
    roles: frozenset[str]
    provinces: frozenset[str] | None  # None: every province


def person(username: str, *roles: str, provinces: tuple[str, ...] | None = ("BN",)) -> Person:
    return Person(username, frozenset(roles),
                  None if provinces is None else frozenset(provinces))


OWNER = person("lan", "aid_owner")
FOCAL = person("minh", "focal_officer")
CHAIR = person("tuan", "approver")
READER = person("thu", "viewer")
OWNER_OF_HANOI = person("hoa", "aid_owner", "focal_officer", provinces=("HN",))


def enter_as(page: Page, site: Site, who: Person) -> None:
    """Give the browser a session of this person (the server runs in the test's process),
    for the pages that are not about signing in."""
    token = start_session(Response(), who.username, who.roles, who.provinces)
    page.context.add_cookies([{"name": COOKIE, "value": token, "url": site.url}])


def take_turn(page: Page, site: Site, who: Person) -> None:
    """The next person at the office's computer: the last one's session is gone, and the
    workspace starts again at My work."""
    page.context.clear_cookies()
    enter_as(page, site, who)
    page.goto("/")
