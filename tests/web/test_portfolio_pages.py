"""The portfolio dashboard: the API's portfolio for the person's provinces, by each
dimension, as an accessible chart over the table behind it, every number linked to the
case list with the matching filters."""

from __future__ import annotations

import pytest

from interfaces.web.pages import dashboards
from tests.web.html import filters, href, page, rows, text, whole
from tests.web.seeded import Demo
from tests.web.support import sign_in

SUMS = ("case_count", "approved_vnd", "received_vnd", "disbursed_vnd", "spent_vnd")
FILTER = {"province": "province", "donor_id": "donor_id", "sector": "sector",
          "status": "status"}


def figures(cells: list[object]) -> list[int]:
    return [whole(text(c)) for c in cells[1:6]]


def test_the_overview_shows_the_portfolio_of_the_persons_provinces_only(demo: Demo) -> None:
    sign_in(demo.client, "viewer-hn", {"viewer"}, {"HN", "TH"}, "en")
    tree = page(demo.client.get("/dashboards"))
    cards = [whole(text(c)) for c in tree.xpath("//div[@class='figure']")][:5]
    mine = demo.api("/views/portfolio", ["HN", "TH"], group_by="status")["totals"]
    everyone = demo.api("/views/portfolio", group_by="status")["totals"]

    assert cards == [int(mine[s]) for s in SUMS]
    assert int(everyone["case_count"]) > int(mine["case_count"])


@pytest.mark.parametrize("dim", ["province", "donor_id", "sector", "status", "year"])
def test_each_dimension_is_the_apis_rows_in_vnd(demo: Demo, dim: str) -> None:
    sign_in(demo.client, "viewer-hn", {"viewer"}, {"HN", "TH"}, "en")
    tree = page(demo.client.get("/dashboards/portfolio", params={"by": dim}))
    api = demo.api("/views/portfolio", ["HN", "TH"], group_by=dim, sort="-approved_vnd",
                   limit=200)

    shown = rows(tree, "Portfolio by")
    assert [figures(r) for r in shown] == [[int(i[s]) for s in SUMS] for i in api["items"]]
    total = tree.xpath("//table/tfoot/tr")[0].xpath("./th|./td")
    assert figures(total) == [int(api["totals"][s]) for s in SUMS]


def test_province_rows_name_only_the_persons_provinces(demo: Demo) -> None:
    sign_in(demo.client, "viewer-hn", {"viewer"}, {"HN"}, "en")
    shown = rows(page(demo.client.get("/dashboards/portfolio")), "Portfolio by")
    assert [text(r[0]) for r in shown] == ["Hanoi HN"]


@pytest.mark.parametrize("dim", ["province", "donor_id", "sector", "status"])
def test_every_number_links_to_the_cases_behind_it(demo: Demo, dim: str) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    tree = page(demo.client.get("/dashboards/portfolio", params={
        "by": dim, "as_of": "2026-01-15", "status": "in_implementation"}))
    api = demo.api("/views/portfolio", group_by=dim, status="in_implementation",
                   sort="-approved_vnd", limit=200)["items"]

    for row, item in zip(rows(tree, "Portfolio by"), api, strict=True):
        links = {href(cell) for cell in row[1:6]}
        assert len(links) == 1
        path, query = filters(links.pop())
        assert path == "/cases"
        assert query[FILTER[dim]] == str(item[dim])
        assert query["as_of"] == "2026-01-15"
        assert query["status"] == (item[dim] if dim == "status" else "in_implementation")


def test_a_year_opens_that_years_portfolio_by_province(demo: Demo) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    shown = rows(page(demo.client.get("/dashboards/portfolio", params={"by": "year"})),
                 "Portfolio by")
    year = text(shown[0][0])
    path, query = filters(href(shown[0][0]))
    by_year = demo.api("/views/portfolio", group_by="year", year_from=year, year_to=year)

    assert (path, query["by"], query["year"]) == ("/dashboards/portfolio", "province", year)
    drilled = page(demo.client.get(path, params=query))
    total = drilled.xpath("//table/tfoot/tr")[0].xpath("./th|./td")
    assert figures(total) == [int(by_year["totals"][s]) for s in SUMS]


def test_the_chart_is_inline_svg_named_for_screen_readers_over_its_table(
        demo: Demo) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    response = demo.client.get("/dashboards/portfolio", params={"by": "donor_id"})
    tree = page(response)

    svg = tree.xpath("//figure[@class='chart']/*[local-name()='svg']")[0]
    assert svg.get("role") == "img"
    title, desc = svg.get("aria-labelledby").split()
    assert text(tree.xpath(f"//*[@id='{title}']")[0]) == "Portfolio by donor in VND"
    assert "table below" in text(tree.xpath(f"//*[@id='{desc}']")[0])
    assert "<script" not in response.text.split("<main", 1)[1]
    assert "https://" not in response.text and "//kozea" not in response.text
    headers = tree.xpath("//table//thead//th")
    assert headers and all(th.get("scope") == "col" for th in headers)
    assert all(th.get("scope") == "row" for th in tree.xpath("//table/tbody/tr/th"))


def test_the_portfolio_is_in_vietnamese_dong_for_a_vietnamese_reader(demo: Demo) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "vi")
    tree = page(demo.client.get("/dashboards/portfolio"))
    total = tree.xpath("//table/tfoot/tr/td")[1]
    approved = int(demo.api("/views/portfolio", group_by="province")["totals"]["approved_vnd"])
    assert text(total) == f"{approved:,} ₫".replace(",", ".")
    assert text(tree.xpath("//h1")[0]) == "Danh mục viện trợ theo tỉnh/thành phố, tính bằng VND"


@pytest.mark.parametrize(("query", "code"), [
    ("by=country", "invalid_group_by"),
    ("as_of=2026-02-30", "invalid_date"),
    ("year=twenty", "invalid_filter"),
    ("year=1900", "invalid_filter"),
    ("donor_id=123", "invalid_filter"),
    ("sector=health", "invalid_filter"),
    ("status=open", "invalid_filter"),
])
def test_bad_input_is_answered_by_a_plain_page_with_422(demo: Demo, query: str,
                                                      code: str) -> None:
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    tree = page(demo.client.get(f"/dashboards/portfolio?{query}"), 422)
    assert tree.xpath("//p[@class='code']/code/text()") == [code]


def test_a_chart_of_many_rows_draws_the_largest_and_says_the_table_holds_every_one(
        demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dashboards, "CHART_ROWS", 2)
    sign_in(demo.client, "viewer", {"viewer"}, None, "en")
    tree = page(demo.client.get("/dashboards/portfolio", params={"by": "donor_id"}))

    names = [text(r[0]) for r in rows(tree, "Portfolio by donor")]
    svg = tree.xpath("//figure[@class='chart']/*[local-name()='svg']")[0]
    drawn = " ".join(svg.itertext())
    assert len(names) > 2
    assert names[0] in drawn and names[1] in drawn and names[2] not in drawn
    assert f"the 2 largest of {len(names)}" in drawn
    caption = text(tree.xpath("//figure[@class='chart']/figcaption")[0])
    assert caption == (f"The chart shows the 2 largest by approved sum; the table below holds "
                       f"all {len(names)}.")
