"""Fixtures of the browser tests: one Chromium per test process (each pytest-xdist worker),
the workspace served once per module, a fresh browser context per test, and a screenshot of
each test's last page, kept whether the test passed or not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.browser.chromium import ARGS, require_chromium
from tests.browser.givens import close_api
from tests.browser.site import Site, served_site

SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
WAIT_MS = 10_000  # how long an action or a wait for an element may take before it fails


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    # launch() gives the browser a fresh, temporary profile of its own (removed on close).
    chromium = playwright.chromium.launch(executable_path=require_chromium(), headless=True,
                                          args=ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The workspace every test of a module shares (a module whose tests interfere
    overrides it with a function-scoped one)."""
    with served_site(tmp_path_factory.mktemp("site")) as served:
        try:
            yield served
        finally:
            close_api(served)


@pytest.fixture
def page(browser: Browser, site: Site, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(base_url=site.url, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(WAIT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        try:  # the page the test opened last (a second tab, if it opened one)
            save_screenshot(context.pages[-1] if context.pages else tab, request.node.name)
        finally:
            context.close()


def save_screenshot(tab: Page, test_name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^\w.-]+", "_", test_name) + ".png")
    tab.screenshot(path=path, full_page=True)
    return path
