"""A case outside a person's provinces does not exist for them, in the list or by its address."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Page

from tests.browser.givens import given_a_case
from tests.browser.people import OWNER, OWNER_OF_HANOI, take_turn
from tests.browser.site import Site
from tests.browser.workspace import assert_no_refusal, refusal_code


def listed(page: Page, words: str) -> None:
    """The case list searched for these words (as a link to a search opens it)."""
    page.goto("/cases?" + urlencode({"q": words}))
    assert_no_refusal(page)


def test_a_person_of_another_province_can_neither_find_nor_open_the_case(
        page: Page, site: Site) -> None:
    case = given_a_case(site, "submitted", title="Nước sạch cho xã Gia Bình")  # in Bac Ninh
    take_turn(page, site, OWNER)
    listed(page, "nuoc sach")
    assert page.locator(f"main a[href='/cases/{case['id']}']").count() == 1
    take_turn(page, site, OWNER_OF_HANOI)
    listed(page, "nuoc sach")
    assert page.locator(f"main a[href='/cases/{case['id']}']").count() == 0
    answer = page.goto(f"/cases/{case['id']}")
    assert answer is not None and answer.status == 404
    assert refusal_code(page) == "case_not_found"
    assert page.get_by_text("Gia Bình").count() == 0
