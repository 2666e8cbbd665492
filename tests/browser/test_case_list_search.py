"""The case list's search box, used from the keyboard, finds titles typed without diacritics."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.accessibility import tabs_to
from tests.browser.givens import given_a_case
from tests.browser.people import OWNER, take_turn
from tests.browser.site import Site
from tests.browser.workspace import assert_no_refusal


def test_a_title_with_diacritics_is_found_by_words_typed_without_them_from_the_keyboard(
        page: Page, site: Site) -> None:
    case = given_a_case(site, "draft", title="Cung cấp nước sạch cho xã Gia Bình")
    other = given_a_case(site, "draft", title="Trường học cho Thuận Thành")
    take_turn(page, site, OWNER)
    page.goto("/cases")
    tabs_to(page, page.locator("input[name=q]"))
    page.keyboard.type("nuoc sach")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases?*q=nuoc+sach*")
    assert_no_refusal(page)
    assert page.locator(f"main a[href='/cases/{case['id']}']").count() == 1
    assert page.locator(f"main a[href='/cases/{other['id']}']").count() == 0
