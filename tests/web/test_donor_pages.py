"""The donor register in the workspace: what the API's donors view holds, active cases
counted in the person's provinces only, expiry warnings judged on as_of, and bad input
answered by a plain page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.web.html import filters, href, page, rows, text, whole
from tests.web.seeded import Demo, demo, module_store
from tests.web.support import sign_in

__all__ = ["demo", "module_store"]
CAPTION = "One row per certificate"


def test_the_register_shows_each_certificate_the_api_lists(demo: Demo) -> None:
    sign_in(demo.client, "viewer-hn", {"viewer"}, {"HN"}, "en")
    shown = rows(page(demo.client.get("/donors", params={"sort": "code"})), CAPTION)
    listed = demo.api("/views/donors", ["HN"], sort="code", limit=50)["items"]

    assert [text(r[0]) for r in shown] == [
        f"{d['name']} {d['code']} · {d['country']}" for d in listed]
    assert [text(r[2]).split(" ")[0] for r in shown] == [
        d["certificate_no"] or "No" for d in listed]
    assert [text(r[4]) for r in shown] == [", ".join(d["provinces"]) for d in listed]


def test_active_cases_are_counted_in_the_persons_provinces_and_link_to_those_cases(
        demo: Demo) -> None:
    sign_in(demo.client, "viewer-hn", {"viewer"}, {"HN"}, "en")
    shown = rows(page(demo.client.get("/donors", params={"sort": "code"})), CAPTION)
    in_hn = demo.api("/views/donors", ["HN"], sort="code", limit=50)["items"]
    everywhere = demo.api("/views/donors", sort="code", limit=50)["items"]

    assert [whole(text(r[7])) for r in shown] == [d["active_cases"] for d in in_hn]
    assert sum(d["active_cases"] for d in everywhere) > sum(d["active_cases"] for d in in_hn)
    path, query = filters(href(shown[0][7]))
    assert path == "/cases"
    assert query["donor_id"] == in_hn[0]["donor_id"]
    assert query["as_of"] == demo.container.services.clock().isoformat()
    assert "closed" not in query["status"] and "in_implementation" in query["status"]


def test_certificates_expiring_within_the_warning_period_are_counted_and_badged(
        demo: Demo) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    tree = page(demo.client.get("/donors"))
    expiring = demo.api("/views/donors", status="active", expiring_within=90, limit=200)

    notice = text(tree.xpath("//div[contains(@class, 'notice')]")[0])
    assert notice.startswith(f"{len(expiring['items'])} active certificate")
    assert "within 90 days" in notice
    assert filters(href(tree.xpath("//div[contains(@class, 'notice')]")[0]))[1][
        "expiring_within"] == "90"
    badged = [r for r in rows(tree, CAPTION) if "Expires in" in text(r[3])]
    assert len(badged) == len(expiring["items"]) > 0


@pytest.mark.parametrize("later", [400, 3000])
def test_as_of_judges_which_certificates_have_expired(demo: Demo, later: int) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    today = demo.container.services.clock()
    on = today + timedelta(days=later)

    def expired(day: date) -> int:
        shown = rows(page(demo.client.get("/donors", params={"as_of": day.isoformat()})),
                     CAPTION)
        return sum("Expired" in text(r[3]) for r in shown)

    api = demo.api("/views/donors", as_of=on.isoformat(), expired="true", limit=200)
    assert expired(on) == len(api["items"])
    assert expired(on) > expired(today)


def test_a_donors_page_shows_its_certificates_as_they_stood_on_as_of(demo: Demo) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    donor = next(d for d in demo.api("/views/donors", limit=200)["items"]
                 if d["status"] == "revoked")
    today = demo.container.services.clock()
    before = date.fromisoformat(donor["valid_from"]) + timedelta(days=1)

    now = text(page(demo.client.get(f"/donors/{donor['donor_id']}")))
    then = text(page(demo.client.get(f"/donors/{donor['donor_id']}",
                                     params={"as_of": before.isoformat()})))

    assert donor["name"] in now and donor["certificate_no"] in now
    assert f"Status on {today.isoformat()} Revoked" in now
    assert f"Status on {before.isoformat()} Active" in then


@pytest.mark.parametrize(("path", "code"), [
    ("/donors?as_of=02/12/2026", "invalid_date"),
    ("/donors?as_of=1800-01-01", "date_out_of_range"),
    ("/donors?status=lapsed", "invalid_filter"),
    ("/donors?kind=ngo", "invalid_filter"),
    ("/donors?expiring_within=-3", "invalid_filter"),
    ("/donors?expired=maybe", "invalid_filter"),
    ("/donors?province=H%20N", "invalid_filter"),
    ("/donors?sort=country", "invalid_sort"),
    ("/donors?cursor=not-a-cursor", "invalid_cursor"),
    ("/donors?q=a%00b", "control_character_in_query"),
    ("/donors/not-a-uuid", "validation_error"),
])
def test_bad_input_is_answered_by_a_plain_page_with_422(demo: Demo, path: str,
                                                      code: str) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    tree = page(demo.client.get(path), 422)
    assert tree.xpath("//p[@class='code']/code/text()") == [code]


def test_an_unknown_donor_is_a_404_page(demo: Demo) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    tree = page(demo.client.get("/donors/00000000-0000-4000-8000-000000000000"), 404)
    assert tree.xpath("//p[@class='code']/code/text()") == ["donor_not_found"]


def test_the_register_needs_a_signed_in_person(demo: Demo) -> None:
    demo.client.cookies.clear()
    response = demo.client.get("/donors?sort=code")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/donors%3Fsort%3Dcode"


def test_a_vietnamese_reader_sees_the_register_and_its_form_in_vietnamese(demo: Demo) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "vi")
    tree = page(demo.client.get("/donors", params={"as_of": "2026-03-05"}))
    assert text(tree.xpath("//h1")[0]) == "Sổ đăng ký nhà tài trợ"
    assert text(tree.xpath("//label[@for='as_of']")[0]) == "Tính đến ngày"
    assert text(tree.xpath("//select[@id='kind']/option")[0]) == "Tất cả"
    assert "theo sổ đăng ký ngày 05/03/2026" in text(tree.xpath("//caption")[0])
