"""A rule guard's refusal in the browser, the fact then recorded with a deviation, and the
compliance flag it raises, on the case and on the dashboard."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.givens import caught_up, given_a_case
from tests.browser.people import FOCAL, OWNER, READER, take_turn
from tests.browser.site import Site
from tests.browser.workspace import alert_text, command_form, fill_form, send, the_form, words

RECEIPT = {"amount": {"amount": "5000", "currency": "USD"}, "vnd_rate": "25000",
           "aid_account": "VCB-0011-AID"}
DEVIATION = {"deviation": {"reason": "Emergency funds arrived before the decision",
                           "document": "Letter 3/2025"}}


def test_money_before_approval_is_refused_by_its_rule_then_recorded_with_a_deviation_and_flagged(
        page: Page, site: Site) -> None:
    case = given_a_case(site, "submitted")
    take_turn(page, site, OWNER)
    form = command_form(page, case["id"], "record_receipt")
    fill_form(form, RECEIPT)
    send(form)
    assert words("A rule refuses this.") in alert_text(page)
    assert "C01" in alert_text(page)
    fill_form(the_form(page), DEVIATION)  # the rest of the form is kept as it was typed
    send(the_form(page))
    page.wait_for_url(f"**/cases/{case['id']}?done=record_receipt")
    caught_up(site)
    take_turn(page, site, FOCAL)
    page.goto(f"/cases/{case['id']}")
    flags = page.locator("main table", has=page.locator("td", has_text="C01"))
    assert flags.count() == 1
    assert page.get_by_text("Emergency funds arrived before the decision").count() >= 1
    take_turn(page, site, READER)
    page.goto("/dashboards")
    page.locator("main a[href^='/dashboards/compliance']").first.click()
    page.wait_for_url("**/dashboards/compliance*")
    row = page.locator("main tr", has=page.locator("th", has_text="C01"))
    row.get_by_role("link").click()  # the cases behind the number
    page.wait_for_url("**/dashboards/flags?*code=C01*")
    assert page.locator(f"main a[href='/cases/{case['id']}']").count() >= 1
