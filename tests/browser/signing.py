"""Local accounts and signing in through the sign-in page, as the people of the office do."""

from __future__ import annotations

import os
import subprocess
import sys
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


def add_account_as_an_operator(site: Site, username: str, roles: list[str],
                               provinces: list[str], password: str = PASSWORD) -> None:
    """The account made as an operator makes one: ``aidtrail user add`` on the site's
    store, the password on its standard input."""
    args = [sys.executable, "-m", "interfaces.cli.main", "user", "add", "--username", username]
    args += [a for role in roles for a in ("--role", role)]
    args += [a for province in provinces for a in ("--province", province)]
    done = subprocess.run(args, input=f"{password}\n", capture_output=True, text=True,
                          env={**os.environ, "AIDTRAIL_DATABASE_URL": site.settings.database_url},
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr


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
