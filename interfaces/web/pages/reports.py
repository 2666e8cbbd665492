"""The reporting calendar on the dashboards: the reports still owed on ``as_of`` (overdue,
due, upcoming) by the month they fall due, and the reports behind each number."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from application.projections.queries_compliance import (
    OBLIGATION_STATUSES,
    count_obligations_by_month,
    query_obligations,
)
from domain.errors import InvalidInputError
from domain.policy import REPORT_KINDS
from interfaces.http.reader import Reader, positioned
from interfaces.http.routes.views import _many
from interfaces.web import i18n, links, query_fields, reading
from interfaces.web.charts import Series, count_chart
from interfaces.web.i18n import Lang
from interfaces.web.query_fields import Text
from interfaces.web.session import SignedIn, request_language
from interfaces.web.templating import render
from interfaces.web.words import N_

router = reading.page_router()
VIEW = ["reporting_obligation"]
OWED = ("overdue", "due", "upcoming")
OWED_NAMES = {"overdue": N_("Overdue"), "due": N_("Due"), "upcoming": N_("Upcoming")}


def obligation_months(read: Reader) -> list[dict[str, Any]]:
    """The reports owed on the reader's date in its provinces, counted by status for each
    month they fall due, the earliest month first."""
    months: dict[str, dict[str, Any]] = {}
    for month, status, n in read.counted(VIEW[0], count_obligations_by_month,
                                         as_of=read.as_of, statuses=OWED):
        if month not in months:
            first = date.fromisoformat(month + "-01")
            last = first.replace(day=monthrange(first.year, first.month)[1])
            months[month] = {"month": month, "first": first, "last": last,
                             **dict.fromkeys(OWED, 0)}
        months[month][status] += n
    return [months[m] for m in sorted(months)]


def month_chart(lang: Lang, months: list[dict[str, Any]]) -> dict[str, Any]:
    """The chart of the reports owed by month (none without a report), and its title."""
    title = i18n.gettext(lang, "Reports owed by the month they fall due")
    if not months:
        return {"title": title, "chart": None}
    return {"title": title, "chart": count_chart(
        title, i18n.gettext(lang, "Overdue, due and upcoming reports in each month; the "
                                  "table below holds the same figures."),
        [m["month"] for m in months],
        [Series(i18n.gettext(lang, OWED_NAMES[s]), [m[s] for m in months]) for s in OWED],
        stacked=True, colors=("#a4262c", "#8a5a00", "#0b5394"))}


@router.get("/dashboards/reports")
def calendar_page(request: Request, user: SignedIn, as_of: Text = None) -> HTMLResponse:
    read = reading.reader(request, user, as_of)
    months = obligation_months(read)
    return render(request, "reports.html", {
        **month_chart(request_language(request), months), "nav": "dashboards", "as_of": read.as_of,
        "months": months, "owed": OWED, "label": reading.labels(request),
        "totals": {s: sum(m[s] for m in months) for s in OWED},
        "overdue_cases_link": links.cases_link(read.as_of, report_overdue=True),
        "reports_link": lambda **f: links.link("/dashboards/obligations", {
            **f, "as_of": read.as_of}),
    })


@router.get("/dashboards/obligations")
def obligations_page(request: Request, user: SignedIn, as_of: Text = None,
                     status: Text = None, kind: Text = None, province: Text = None,
                     due_from: Text = None, due_to: Text = None,
                     cursor: Text = None) -> HTMLResponse:
    read = reading.reader(request, user, as_of)
    form = query_fields.fields(status=status, kind=kind, province=province, due_from=due_from,
                               due_to=due_to)
    first, last = query_fields.day_of(due_from, "due_from"), query_fields.day_of(due_to, "due_to")
    if first and last and first > last:
        raise InvalidInputError("due_from is after due_to", code="date_order", field="due_to")
    filters = {"status": _many(query_fields.listed(status), "status", OBLIGATION_STATUSES),
               "kind": _many(query_fields.listed(kind), "kind", REPORT_KINDS),
               "province": read.asked(_many(query_fields.listed(province), "province")),
               "due_from": first, "due_to": last}
    page = read.read(VIEW, positioned(query_obligations, VIEW[0]), filters=filters,
                     as_of=read.as_of, cursor=query_fields.blank(cursor), limit=reading.PAGE_ROWS,
                     sort="due_on")
    return render(request, "obligations.html", {
        "nav": "dashboards", "as_of": read.as_of, "rows": page.items, "form": form,
        "label": reading.labels(request), "statuses": OBLIGATION_STATUSES, "kinds": REPORT_KINDS,
        "next_link": page.next_cursor and links.link("/dashboards/obligations", {
            **form, "as_of": read.as_of, "cursor": page.next_cursor}),
        "first_link": cursor and links.link("/dashboards/obligations", {
            **form, "as_of": read.as_of}),
    })
