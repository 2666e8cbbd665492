"""The workspace's shell in a real browser: the way in, its assets, its language switch and
its keyboard and accessibility basics."""

from __future__ import annotations

from playwright.sync_api import Page, Request

from tests.browser.accessibility import assert_accessible, tabs_to
from tests.browser.people import OWNER, enter_as
from tests.browser.site import Site
from tests.browser.workspace import words


def test_a_visitor_who_is_not_signed_in_is_sent_from_my_work_to_sign_in_and_back_after(
        page: Page, site: Site) -> None:
    answer = page.request.get("/", max_redirects=0)
    assert answer.status == 303
    assert answer.headers["location"] == "/signin?next=/"
    page.goto("/")
    assert page.url == f"{site.url}/signin?next=/"


def test_every_asset_of_a_page_comes_from_the_workspace_itself(page: Page, site: Site) -> None:
    enter_as(page, site, OWNER)
    asked: list[Request] = []
    page.on("request", lambda request: asked.append(request))
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert {r.url for r in asked} >= {f"{site.url}/", f"{site.url}/static/aidtrail.css",
                                      f"{site.url}/static/aidtrail.js",
                                      f"{site.url}/static/aidtrail.svg"}
    assert all(r.url.startswith(site.url + "/") for r in asked), [r.url for r in asked]
    assert all(r.response().status == 200 for r in asked)  # type: ignore[union-attr]
    # the stylesheet is applied, not only fetched
    header = page.locator("header.top")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(11, 83, 148)"


def test_the_assets_are_served_with_their_types(page: Page) -> None:
    css = page.request.get("/static/aidtrail.css")
    script = page.request.get("/static/aidtrail.js")
    assert (css.status, script.status) == (200, 200)
    assert css.headers["content-type"].startswith("text/css")
    assert "javascript" in script.headers["content-type"]
    assert page.request.get("/static/missing.css").status == 404


def test_the_icon_a_browser_asks_for_at_favicon_ico_is_the_pages_icon(page: Page) -> None:
    asked = page.request.get("/favicon.ico")
    assert asked.status == 200
    assert asked.headers["content-type"] == "image/svg+xml"
    assert asked.body() == page.request.get("/static/aidtrail.svg").body()


def test_a_signed_out_visitor_who_chooses_english_keeps_it_and_returns_where_they_were(
        page: Page) -> None:
    answer = page.request.post("/language", form={"lang": "en", "next": "/cases?q=nuoc"},
                               max_redirects=0)
    assert answer.status == 303
    assert answer.headers["location"] == "/cases?q=nuoc"
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["aidtrail_lang"]["value"] == "en"
    assert cookies["aidtrail_lang"]["httpOnly"]


def test_the_language_switch_never_sends_the_visitor_to_another_site(page: Page) -> None:
    for elsewhere in ("https://example.com/", "//example.com/", "/\\example.com"):
        answer = page.request.post("/language", form={"lang": "vi", "next": elsewhere},
                                   max_redirects=0)
        assert answer.headers["location"] == "/"


def test_pages_are_vietnamese_by_default_and_english_after_the_switch(
        page: Page, site: Site) -> None:
    enter_as(page, site, OWNER)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"{site.url}/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Tiếng Việt").click()
    page.wait_for_url(f"{site.url}/")
    assert page.locator("html").get_attribute("lang") == "vi"


def test_my_work_passes_the_accessibility_check_and_tab_reaches_the_navigation(
        page: Page, site: Site) -> None:
    enter_as(page, site, OWNER)
    page.goto("/")
    assert_accessible(page)
    skip = page.get_by_role("link", name=words("Skip to content"))
    assert tabs_to(page, skip) == 1
    tabs_to(page, page.get_by_role("link", name=words("Cases"), exact=True))
    tabs_to(page, page.get_by_role("button", name=words("Sign out")))
