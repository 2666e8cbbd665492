"""Local accounts and signing in through the sign-in page, as the people of the office do."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Page

from tests.browser.site import Site
from tests.browser.workspace import submit_button

PASSWORD = "a long and unguessable passphrase 42"


def add_account(site: Site, username: str, roles: frozenset[str],
                provinces: frozenset[str] | None, password: str = PASSWORD) -> None:
    """The account straight into the site's store, as ``aidtrail user add`` keeps it."""
    c = site.container
    c.accounts.add(username, roles, ["*"] if provinces is None else provinces,
                   password=password, lang="vi", register=c.register, now=datetime.now(UTC))


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/signin")
    fill_sign_in(page, username, password)
    submit_button(page.locator("form[action='/signin']")).click()
    page.wait_for_load_state()


def fill_sign_in(page: Page, username: str, password: str) -> None:
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)


def sign_out(page: Page) -> None:
    page.locator("form[action='/signout'] button").click()
    page.wait_for_load_state()
