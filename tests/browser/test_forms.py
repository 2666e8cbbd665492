"""A command's form in the browser: refused without its CSRF token, and a stale form that
says the case changed instead of losing an update."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.givens import given_a_case, version_of
from tests.browser.people import OWNER, enter_as
from tests.browser.site import Site
from tests.browser.workspace import (
    alert_text,
    command_form,
    fill_form,
    refusal_code,
    send,
    the_form,
    words,
)

DOCUMENT = {"document": {"kind": "other", "title": "Site survey",
                         "uri": "https://files.example/survey.pdf"}}


def test_a_form_sent_without_its_csrf_token_is_refused_and_records_nothing(
        page: Page, site: Site) -> None:
    case = given_a_case(site, "draft")
    enter_as(page, site, OWNER)
    form = command_form(page, case["id"], "attach_document")
    fill_form(form, DOCUMENT)
    form.locator("input[name=csrf_token]").evaluate("el => el.remove()")
    send(form)
    assert refusal_code(page) == "csrf_refused"
    assert version_of(site, case) == case["version"]


def test_a_form_opened_before_the_case_changed_says_so_and_records_nothing(
        page: Page, site: Site) -> None:
    case = given_a_case(site, "draft")
    enter_as(page, site, OWNER)
    first = command_form(page, case["id"], "attach_document")
    later = page.context.new_page()  # the same form, opened in a second tab
    second = command_form(later, case["id"], "attach_document")
    fill_form(first, DOCUMENT)
    send(first)
    page.wait_for_url(f"**/cases/{case['id']}?done=attach_document")
    fill_form(second, {"document": {**DOCUMENT["document"], "title": "Site survey, again"}})
    send(second)
    assert words("The case has changed since this form was opened.") in alert_text(later)
    assert version_of(site, case) == case["version"] + 1
    # the form now answers the latest version: sent again, it is recorded
    send(the_form(later))
    later.wait_for_url(f"**/cases/{case['id']}?done=attach_document")
    assert version_of(site, case) == case["version"] + 2
