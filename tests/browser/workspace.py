"""What a person does in the workspace, one helper per gesture, so that each test reads as
the story it tells. Fields are found by their names (the API body's, nested with dots)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page

from interfaces.web.i18n import Lang, gettext

FIRST_CHOICE = "<the first choice>"  # a select's first option that is not the empty one


def words(message: str, lang: Lang = "vi") -> str:
    """What the page shows for an English message id, in the page's language (Vietnamese
    unless the person chose English)."""
    return gettext(lang, message)


def html_lang(page: Page) -> str | None:
    return page.locator("html").get_attribute("lang")


def switch_language(page: Page) -> None:
    page.locator("form[action='/language'] button[name=lang]").click()
    page.wait_for_load_state()


def submit_button(scope: Locator) -> Locator:
    return scope.locator("button[type=submit], input[type=submit], button:not([type])").last


def flattened(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"amount": {"amount": "1"}}`` as the form names it: ``{"amount.amount": "1"}``;
    rows of a list by their place (``sectors.0.code``), a list of texts one per line."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            value = "\n".join(value)
        elif isinstance(value, list):
            value = {str(n): item for n, item in enumerate(value)}
        if isinstance(value, dict):
            flat.update(flattened(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def fill_form(form: Locator, values: dict[str, Any]) -> None:
    for name, value in flattened(values).items():
        field = form.locator(f"[name='{name}']")
        kind = field.first.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
        if kind.startswith("select") and value == FIRST_CHOICE:
            field.select_option(index=1 if field.locator("option[value='']").count() else 0)
        elif kind.startswith("select"):
            field.select_option(str(value))
        elif kind.endswith(":checkbox"):
            field.set_checked(bool(value))
        else:
            field.fill(str(value))


def the_form(page: Page) -> Locator:
    """The form of the page that records something."""
    return page.locator("main form[method=post]").last


def command_form(page: Page, case_id: str, command: str) -> Locator:
    """The form of one command, reached from the case page as a person reaches it."""
    if urlsplit(page.url).path != f"/cases/{case_id}":  # not there already
        page.goto(f"/cases/{case_id}")
    target = f"/cases/{case_id}/do/{command}"
    page.locator(f"main a[href='{target}']").click()
    page.wait_for_url(f"**{target}")
    return the_form(page)


def send(form: Locator) -> None:
    submit_button(form).click()
    form.page.wait_for_load_state()


def give(page: Page, case_id: str, command: str, values: dict[str, Any]) -> None:
    """Give a command through its form; it is recorded (the case page says so)."""
    form = command_form(page, case_id, command)
    fill_form(form, values)
    send(form)
    page.wait_for_url(f"**/cases/{case_id}?done={command}")
    assert_no_refusal(page)


def open_case(page: Page, values: dict[str, Any]) -> str:
    """Open a case from the case list's link; the new case's id is returned."""
    page.goto("/cases")
    page.locator("main a[href='/cases/new']").click()
    form = the_form(page)
    fill_form(form, values)
    send(form)
    page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}\?done=open_case$"))
    assert_no_refusal(page)
    return page.url.split("?")[0].rsplit("/", 1)[1]


def assert_no_refusal(page: Page) -> None:
    refusals = page.locator("main [role=alert]")
    assert refusals.count() == 0, refusals.all_inner_texts()


def alert_text(page: Page) -> str:
    return page.locator("main [role=alert]").first.inner_text()


def refusal_code(page: Page) -> str:
    """The stable code an error page shows."""
    return page.locator(".notice.error code").first.inner_text().strip()


def search_cases(page: Page, words: str) -> None:
    """Type words in the case list's search box and send them, as a person does."""
    page.goto("/cases")
    page.locator("input[name=q]").fill(words)
    page.locator("input[name=q]").press("Enter")
    page.wait_for_url("**/cases?*q=*")
    assert_no_refusal(page)
