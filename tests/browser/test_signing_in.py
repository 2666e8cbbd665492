"""Signing in and out of the workspace, and the language each person keeps."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.accessibility import assert_accessible, tabs_to
from tests.browser.people import FOCAL, OWNER, READER, enter_as
from tests.browser.signing import PASSWORD, add_account, fill_sign_in, sign_in, sign_out
from tests.browser.site import Site
from tests.browser.workspace import html_lang, switch_language


@pytest.fixture(scope="module", autouse=True)
def owner(site: Site) -> None:
    add_account(site, OWNER.username, OWNER.roles, OWNER.provinces)


def test_a_person_signs_in_lands_on_my_work_and_signs_out_again(page: Page, site: Site) -> None:
    page.goto("/")
    assert page.url == f"{site.url}/signin?next=/"
    sign_in(page, OWNER.username)
    assert page.url == f"{site.url}/"
    assert page.locator("header .who").inner_text() == OWNER.username
    sign_out(page)
    assert page.url.startswith(f"{site.url}/signin")
    page.goto("/")
    assert page.url.startswith(f"{site.url}/signin")


def test_a_wrong_password_signs_nobody_in(page: Page, site: Site) -> None:
    sign_in(page, OWNER.username, "not the password")
    assert page.url.startswith(f"{site.url}/signin")
    assert page.locator("main [role=alert]").count() == 1
    page.goto("/")
    assert page.url.startswith(f"{site.url}/signin")


def test_sign_in_takes_the_person_back_to_the_page_they_asked_for(
        page: Page, site: Site) -> None:
    page.goto("/cases?q=nuoc")
    assert page.url.startswith(f"{site.url}/signin?next=")
    fill_sign_in(page, OWNER.username, PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(f"{site.url}/cases?q=nuoc")


def test_the_sign_in_page_is_accessible_and_used_from_the_keyboard(
        page: Page, site: Site) -> None:
    page.goto("/signin")
    assert_accessible(page)
    tabs_to(page, page.locator("input[name=username]"))
    page.keyboard.type(OWNER.username)
    tabs_to(page, page.locator("input[name=password]"))
    page.keyboard.type(PASSWORD)
    tabs_to(page, page.locator("form[action='/signin'] button[type=submit]"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site.url}/")


def test_a_signed_out_visitor_reads_vietnamese_then_english_after_the_switch(
        page: Page, site: Site) -> None:
    page.goto("/signin")
    assert html_lang(page) == "vi"
    switch_language(page)
    assert page.url.startswith(f"{site.url}/signin")
    assert html_lang(page) == "en"
    page.reload()
    assert html_lang(page) == "en"


def test_the_language_a_person_chooses_is_remembered_for_them_and_only_them(
        page: Page, site: Site) -> None:
    enter_as(page, site, FOCAL)
    assert html_lang(page) == "vi"
    switch_language(page)
    assert html_lang(page) == "en"
    sign_out(page)
    page.context.clear_cookies()  # another day, another browser: only the account remembers
    sign_in(page, FOCAL.username)
    assert html_lang(page) == "en"
    sign_out(page)
    page.context.clear_cookies()
    enter_as(page, site, READER)
    assert html_lang(page) == "vi"
