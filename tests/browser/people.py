"""The people who use the workspace in the browser tests, and how they get in."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

from tests.browser.signing import add_account, sign_in
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
    """Sign the person in through the sign-in page (their account made the first time)."""
    if site.container.accounts.get(who.username) is None:
        add_account(site, who.username, who.roles, who.provinces)
    sign_in(page, who.username)
    assert page.locator("header .who").inner_text() == who.username


def take_turn(page: Page, site: Site, who: Person) -> None:
    """The next person at the office's computer: the last one's session is gone, and the
    workspace starts again at My work."""
    page.context.clear_cookies()
    enter_as(page, site, who)
    page.goto("/")
