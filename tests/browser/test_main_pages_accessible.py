"""The main pages pass axe-core's serious and critical rules, and Tab reaches their controls."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.accessibility import assert_accessible, tabs_to
from tests.browser.givens import given_a_case
from tests.browser.people import person, take_turn
from tests.browser.site import Site

EVERY_ROLE = person("an", "aid_owner", "focal_officer", "approver", "auditor", "viewer",
                    "registry_officer", provinces=None)


@pytest.mark.parametrize("path", ["/", "/cases", "/donors", "/dashboards", "/audit"])
def test_a_main_page_is_accessible_and_tab_reaches_its_navigation(
        page: Page, site: Site, path: str) -> None:
    take_turn(page, site, EVERY_ROLE)
    page.goto(path)
    assert_accessible(page)
    tabs_to(page, page.locator(f"header nav a[href='{path}']"))


def test_a_case_page_and_a_command_form_are_accessible_and_reached_with_tab(
        page: Page, site: Site) -> None:
    case = given_a_case(site, "draft")
    take_turn(page, site, EVERY_ROLE)
    page.goto(f"/cases/{case['id']}")
    assert_accessible(page)
    command = page.locator(f"main a[href='/cases/{case['id']}/do/submit']")
    tabs_to(page, command)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/cases/{case['id']}/do/submit")
    assert_accessible(page)
    tabs_to(page, page.locator("main form[method=post] button[type=submit]"))


@pytest.mark.parametrize("path", ["/dashboards/portfolio", "/dashboards/compliance",
                                  "/dashboards/reports"])
def test_each_dashboard_with_its_chart_and_table_is_accessible(
        page: Page, site: Site, path: str) -> None:
    given_a_case(site, "in_implementation")
    take_turn(page, site, EVERY_ROLE)
    page.goto(path)
    assert_accessible(page)
    tabs_to(page, page.locator("main form button[type=submit]").first)
