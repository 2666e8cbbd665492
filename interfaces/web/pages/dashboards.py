"""Dashboards: the portfolio in VND by province, donor, sector, status and year (a chart and
the table behind it), each number linked to the cases behind it; and an overview."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.responses import HTMLResponse

from application.projections.base import ViewTransaction
from application.projections.portfolio import GROUP
from application.projections.queries import (
    MAX_LIMIT,
    PORTFOLIO_SUMS,
    query_donors,
    query_portfolio,
)
from domain.case_guards import IATI_STATUS
from domain.errors import InvalidInputError
from infrastructure.clock import today_in_vietnam
from interfaces.http.params import is_canonical_uuid
from interfaces.http.reader import Reader
from interfaces.http.routes.views import _SECTOR, _many, _one
from interfaces.web import i18n, links, query_fields, reading
from interfaces.web.charts import Series, bar_chart
from interfaces.web.pages.board import flag_counts
from interfaces.web.pages.reports import obligation_months
from interfaces.web.query_fields import Text
from interfaces.web.session import SignedIn, request_language
from interfaces.web.templating import render
from interfaces.web.words import N_, state_label

router = reading.page_router()
VIEW = ["portfolio"]
CHART_ROWS = 15  # bars drawn per series; more are unreadable (the table shows every row)
SUM_NAMES = {"approved_vnd": N_("Approved"), "received_vnd": N_("Received"),
             "disbursed_vnd": N_("Disbursed"), "spent_vnd": N_("Spent")}


@router.get("/dashboards")
def overview(request: Request, user: SignedIn, as_of: Text = None) -> HTMLResponse:
    read = reading.reader(request, user, as_of)
    totals = portfolio(read, request, ["status"], {})[1]
    flags = flag_counts(read)
    months = obligation_months(read)
    return render(request, "dashboards.html", {
        "nav": "dashboards", "as_of": read.as_of, "totals": totals, "flags": flags,
        "overdue": sum(m["overdue"] for m in months), "due": sum(m["due"] for m in months),
        "dimensions": GROUP, "label": reading.labels(request),
        "cases_link": links.cases_link(read.as_of),
        "overdue_cases_link": links.cases_link(read.as_of, report_overdue=True),
    })


def portfolio_filters(read: Reader, province: str | None, status: str | None,
                      donor_id: str | None, sector: str | None,
                      year: str | None) -> dict[str, Any]:
    """The portfolio view's filters from a form, checked as the API checks them."""
    donors = _many(query_fields.listed(donor_id), "donor_id")
    for d in donors or ():
        if not is_canonical_uuid(d):
            raise InvalidInputError(f"donor_id: {d!r} is not a uuid", code="invalid_filter",
                                    field="donor_id")
    text = query_fields.blank(year)
    if text is not None and not (text.isdigit() and 1990 <= int(text) <= 2100):
        raise InvalidInputError(f"year: {text!r} is not a year from 1990 to 2100",
                                code="invalid_filter", field="year")
    return {"province": read.asked(_many(query_fields.listed(province), "province"),
                                   today_in_vietnam()),
            "status": _many(query_fields.listed(status), "status", IATI_STATUS),
            "donor_id": None if donors is None else sorted({str(UUID(d)) for d in donors}),
            "sector": _one(query_fields.blank(sector), "sector", _SECTOR),
            "year_from": int(text) if text else None, "year_to": int(text) if text else None}


def portfolio(read: Reader, request: Request, dims: list[str],
              filters: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every row of the portfolio grouped by ``dims``, and the totals, on today's map of
    provinces (as the API's portfolio view without ``map_as_of``); counted again only when
    the view has changed."""
    register = request.app.state.container.register
    rows, totals = read.counted(VIEW[0], _whole_portfolio, filters=filters, group_by=dims,
                                province_map=register.renames(today_in_vietnam()))
    return [dict(r) for r in rows], dict(totals)


def _whole_portfolio(tx: ViewTransaction, *, provinces: list[str] | None,
                     **asked: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    totals: dict[str, Any] = {}
    cursor = None
    while True:
        page = query_portfolio(tx, provinces=provinces, cursor=cursor, limit=MAX_LIMIT,
                               sort="-approved_vnd", **asked)
        rows.extend(page.items)
        totals = page.totals or totals
        if not page.next_cursor:
            return rows, totals
        cursor = page.next_cursor


@router.get("/dashboards/portfolio")
def portfolio_page(request: Request, user: SignedIn, by: Text = None, as_of: Text = None,
                   province: Text = None, status: Text = None, donor_id: Text = None,
                   sector: Text = None, year: Text = None) -> HTMLResponse:
    read = reading.reader(request, user, as_of)
    dim = query_fields.blank(by) or "province"
    if dim not in GROUP:
        raise InvalidInputError(f"by: {dim!r} is not one of {', '.join(GROUP)}",
                                code="invalid_group_by", field="by")
    form = query_fields.fields(province=province, status=status, donor_id=donor_id, sector=sector,
                               year=year)
    rows, totals = portfolio(read, request, [dim],
                             portfolio_filters(read, **form))
    names = row_names(request, read, dim, rows)
    lang = request_language(request)
    label = reading.labels(request)
    title = i18n.gettext(lang, "Portfolio by %(dimension)s in VND") % {
        "dimension": label("dimension", dim).lower()}
    drawn = rows[:CHART_ROWS]  # the largest by approved sum: the rows come in that order
    described = i18n.gettext(lang, "Approved, received, disbursed and spent, in dong; the "
                                   "table below holds the same figures.")
    if len(rows) > len(drawn):
        described = i18n.gettext(
            lang, "Approved, received, disbursed and spent, in dong, of the %(shown)d largest "
                  "of %(all)d; the table below holds every one.") % {
            "shown": len(drawn), "all": len(rows)}
    chart = bar_chart(
        title, described, [names[str(r[dim])] for r in drawn],
        [Series(i18n.gettext(lang, SUM_NAMES[s]), [r[s] for r in drawn])
         for s in PORTFOLIO_SUMS], money_in=lang) if rows else None
    return render(request, "portfolio.html", {
        "nav": "dashboards", "as_of": read.as_of, "dim": dim, "dimensions": GROUP,
        "rows": rows, "totals": totals, "names": names, "chart": chart, "title": title,
        "drawn": len(drawn),
        "form": form, "label": label, "sums": PORTFOLIO_SUMS, "statuses": list(IATI_STATUS),
        "tab": lambda d: links.link("/dashboards/portfolio", {
            **form, "by": d, "as_of": read.as_of}),
        "cases_of": lambda row: row_cases(read.as_of, form, dim, row),
        "year_link": lambda y: links.link("/dashboards/portfolio", {
            **form, "by": "province", "year": y, "as_of": read.as_of}),
    })


def row_cases(as_of: date, form: dict[str, Any], dim: str, row: dict[str, Any] | None) -> str:
    """The case list behind a row (or the totals): the page's filters and the row's value,
    in the case list's own filters (it has none for the year)."""
    chosen = {k: form[k] for k in ("province", "status", "donor_id", "sector")}
    if row is not None and dim != "year":
        chosen[dim] = row[dim]
    return links.cases_link(as_of, **chosen)


def row_names(request: Request, read: Reader, dim: str,
              rows: list[dict[str, Any]]) -> dict[str, str]:
    """What each row's value is called: a province's or donor's name, a state's label."""
    values = [str(r[dim]) for r in rows]
    if dim == "donor_id":
        donors = {str(d["donor_id"]): str(d["name"]) for d in reading.every_row(
            read, ["donor_status"], query_donors, filters={}, as_of=read.as_of, sort=None)}
        return {v: donors.get(v, v) for v in values}
    if dim == "province":
        lang = request_language(request)
        provinces = request.app.state.container.register.provinces
        return {v: (getattr(provinces[v], f"name_{lang}") if v in provinces else v)
                for v in values}
    if dim == "status":
        lang = request_language(request)
        return {v: i18n.gettext(lang, state_label(v)) for v in values}
    return {v: v for v in values}
