"""Compliance flags and the reporting calendar on the dashboards: the API's flags and
reports for the person's provinces on as_of, counted, and the flags and reports behind each
number, each linked to its case."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from tests.web.html import filters, href, page, rows, text, whole
from tests.web.seeded import Demo, demo, module_store
from tests.web.support import sign_in

__all__ = ["demo", "module_store"]
OWED = ("overdue", "due", "upcoming")


def every(demo: Demo, path: str, provinces: list[str] | None, **params: Any) -> list[Any]:
    items, cursor = [], None
    while True:
        answer = demo.api(path, provinces, limit=200, **params, **(
            {"cursor": cursor} if cursor else {}))
        items += answer["items"]
        cursor = answer["next_cursor"]
        if not cursor:
            return items


def flags_by_code(demo: Demo, as_of: str) -> dict[str, int]:
    tree = page(demo.client.get("/dashboards/compliance", params={"as_of": as_of}))
    return {text(r[0]): whole(text(r[2])) for r in rows(tree, "Open compliance flags")
            if len(r) == 3}


def test_flags_by_code_are_the_apis_open_flags_in_the_persons_provinces(demo: Demo) -> None:
    sign_in(demo.client, "viewer-hn", {"viewer"}, {"HN"}, "en")
    today = demo.container.services.clock().isoformat()
    mine = Counter(f["code"] for f in every(demo, "/views/compliance", ["HN"], as_of=today))
    everyone = every(demo, "/views/compliance", None, as_of=today)

    assert flags_by_code(demo, today) == dict(mine)
    assert len(everyone) > sum(mine.values()) > 0
    tree = page(demo.client.get("/dashboards/compliance", params={"as_of": today}))
    assert [text(r[0]) for r in rows(tree, "by province")] == ["HN"]


def test_as_of_changes_the_flags_counted(demo: Demo) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    today = demo.container.services.clock()
    earlier = (today - timedelta(days=400)).isoformat()
    then = Counter(f["code"] for f in every(demo, "/views/compliance", None, as_of=earlier))

    assert flags_by_code(demo, earlier) == dict(then)
    assert flags_by_code(demo, earlier) != flags_by_code(demo, today.isoformat())


def test_a_count_of_flags_opens_those_flags_each_linked_to_its_case(demo: Demo) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    today = demo.container.services.clock().isoformat()
    tree = page(demo.client.get("/dashboards/compliance", params={"as_of": today}))
    row = rows(tree, "Open compliance flags")[0]
    path, query = filters(href(row[2]))
    assert (path, query["code"], query["as_of"]) == ("/dashboards/flags", text(row[0]), today)

    listed = rows(page(demo.client.get(path, params=query)), "Flags on")
    api = every(demo, "/views/compliance", None, as_of=today, code=query["code"])
    assert len(listed) == whole(text(row[2])) == len(api)
    assert {href(r[0]) for r in listed} == {f"/cases/{f['case_id']}" for f in api}


def test_a_province_of_flags_links_to_that_provinces_cases(demo: Demo) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    province = rows(page(demo.client.get("/dashboards/compliance", params={
        "as_of": "2026-06-30"})), "by province")[0]
    path, query = filters(href(province[-1]))
    assert (path, query) == ("/cases", {"province": text(province[0]), "as_of": "2026-06-30"})


def calendar(demo: Demo, as_of: str) -> dict[str, list[int]]:
    tree = page(demo.client.get("/dashboards/reports", params={"as_of": as_of}))
    return {text(r[0]): [whole(text(c)) for c in r[1:]] for r in rows(tree, "Reports owed")
            if len(r) == 4}


def api_calendar(demo: Demo, as_of: str, provinces: list[str] | None) -> dict[str, list[int]]:
    owed = every(demo, "/views/obligations", provinces, as_of=as_of, status=",".join(OWED))
    months = Counter((o["due_on"][:7], o["status"]) for o in owed)
    return {m: [months[(m, s)] for s in OWED] for m in sorted({m for m, _ in months})}


@pytest.mark.parametrize("provinces", [["TH"], None])
def test_the_calendar_counts_the_reports_owed_by_month_in_the_persons_provinces(
        demo: Demo, provinces: list[str] | None) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None if provinces is None else set(provinces),
            "en")
    today = demo.container.services.clock().isoformat()
    assert calendar(demo, today) == api_calendar(demo, today, provinces)


def test_as_of_changes_the_calendar(demo: Demo) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    today = demo.container.services.clock()
    earlier = (today - timedelta(days=300)).isoformat()
    assert calendar(demo, earlier) == api_calendar(demo, earlier, None)
    assert calendar(demo, earlier) != calendar(demo, today.isoformat())


def test_a_months_count_opens_those_reports_each_linked_to_its_case(demo: Demo) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    today = demo.container.services.clock().isoformat()
    tree = page(demo.client.get("/dashboards/reports", params={"as_of": today}))
    month = next(r for r in rows(tree, "Reports owed") if whole(text(r[3])))
    path, query = filters(href(month[3]))
    assert path == "/dashboards/obligations"
    assert (query["status"], query["due_from"][:7], query["due_to"][:7]) == (
        "upcoming", text(month[0]), text(month[0]))

    listed = rows(page(demo.client.get(path, params=query)), "Reports for periods")
    assert len(listed) == whole(text(month[3]))
    assert all(href(r[0]).startswith("/cases/") for r in listed)
    overdue = filters(tree.xpath("//a[text()='Cases with a report overdue']/@href")[0])
    assert overdue == ("/cases", {"report_overdue": "true", "as_of": today})


@pytest.mark.parametrize(("path", "code"), [
    ("/dashboards/compliance?as_of=yesterday", "invalid_date"),
    ("/dashboards/flags?code=C99", "invalid_filter"),
    ("/dashboards/flags?severity=high", "invalid_filter"),
    ("/dashboards/flags?state=closed", "invalid_filter"),
    ("/dashboards/reports?as_of=2200-12-32", "invalid_date"),
    ("/dashboards/obligations?status=late", "invalid_filter"),
    ("/dashboards/obligations?kind=monthly", "invalid_filter"),
    ("/dashboards/obligations?due_from=2026-05-01&due_to=2026-04-01", "date_order"),
    ("/dashboards/obligations?due_to=soon", "invalid_date"),
    ("/dashboards/obligations?cursor=abc", "invalid_cursor"),
])
def test_bad_input_is_answered_by_a_plain_page_with_422(demo: Demo, path: str,
                                                      code: str) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    tree = page(demo.client.get(path), 422)
    assert tree.xpath("//p[@class='code']/code/text()") == [code]
