"""The reporting calendar on the dashboards: the reports still owed on ``as_of`` (overdue,
due, upcoming) by the month they fall due, and the reports behind each number."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from application.projections.queries_compliance import OBLIGATION_STATUSES, query_obligations
from domain.errors import InvalidInputError
from domain.policy import REPORT_KINDS
from interfaces.http.reader import Reader, positioned
from interfaces.http.routes.views import _many
from interfaces.web import i18n
from interfaces.web.charts import Series, bar_chart
from interfaces.web.pages.reading import (
    CHECKED,
    PAGE_ROWS,
    Text,
    blank,
    cases_link,
    day_of,
    every_row,
    labels,
    link,
    listed,
    reader,
)
from interfaces.web.route import PageRoute
from interfaces.web.session import SignedIn, request_language
from interfaces.web.templating import render
from interfaces.web.words import N_

router = APIRouter(route_class=PageRoute, dependencies=CHECKED)
VIEW = ["reporting_obligation"]
OBLIGATIONS = positioned(query_obligations, "reporting_obligation")
OWED = ("overdue", "due", "upcoming")
OWED_NAMES = {"overdue": N_("Overdue"), "due": N_("Due"), "upcoming": N_("Upcoming")}


def obligation_months(read: Reader) -> list[dict[str, Any]]:
    """The reports owed on the reader's date in its provinces, counted by status for each
    month they fall due, the earliest month first."""
    rows = every_row(read, VIEW, OBLIGATIONS, filters={"status": list(OWED)},
                     as_of=read.as_of, sort="due_on")
    months: dict[str, dict[str, Any]] = {}
    for row in rows:
        month = str(row["due_on"])[:7]
        if month not in months:
            first = date.fromisoformat(month + "-01")
            last = first.replace(day=monthrange(first.year, first.month)[1])
            months[month] = {"month": month, "first": first, "last": last,
                             **dict.fromkeys(OWED, 0)}
        months[month][row["status"]] += 1
    return [months[m] for m in sorted(months)]


@router.get("/dashboards/reports")
def calendar_page(request: Request, user: SignedIn, as_of: Text = None) -> HTMLResponse:
    read = reader(request, user, as_of)
    months = obligation_months(read)
    lang = request_language(request)
    title = i18n.gettext(lang, "Reports owed by the month they fall due")
    chart = bar_chart(
        title, i18n.gettext(lang, "Overdue, due and upcoming reports in each month; the "
                                  "table below holds the same figures."),
        [m["month"] for m in months],
        [Series(i18n.gettext(lang, OWED_NAMES[s]), [m[s] for m in months]) for s in OWED],
        lambda value: str(int(value)), stacked=True, counts=True,
        colors=("#a4262c", "#8a5a00", "#0b5394")) if months else None
    return render(request, "reports.html", {
        "nav": "dashboards", "as_of": read.as_of, "months": months, "chart": chart,
        "title": title, "owed": OWED, "label": labels(request),
        "totals": {s: sum(m[s] for m in months) for s in OWED},
        "overdue_cases_link": cases_link(read.as_of, report_overdue=True),
        "reports_link": lambda **f: link("/dashboards/obligations", {**f, "as_of": read.as_of}),
    })


@router.get("/dashboards/obligations")
def obligations_page(request: Request, user: SignedIn, as_of: Text = None,
                     status: Text = None, kind: Text = None, province: Text = None,
                     due_from: Text = None, due_to: Text = None,
                     cursor: Text = None) -> HTMLResponse:
    read = reader(request, user, as_of)
    form = {"status": blank(status), "kind": blank(kind), "province": blank(province),
            "due_from": blank(due_from), "due_to": blank(due_to)}
    first, last = day_of(due_from, "due_from"), day_of(due_to, "due_to")
    if first and last and first > last:
        raise InvalidInputError("due_from is after due_to", code="date_order", field="due_to")
    filters = {"status": _many(listed(status), "status", OBLIGATION_STATUSES),
               "kind": _many(listed(kind), "kind", REPORT_KINDS),
               "province": read.asked(_many(listed(province), "province")),
               "due_from": first, "due_to": last}
    page = read.read(VIEW, OBLIGATIONS, filters=filters, as_of=read.as_of,
                     cursor=blank(cursor), limit=PAGE_ROWS, sort="due_on")
    return render(request, "obligations.html", {
        "nav": "dashboards", "as_of": read.as_of, "rows": page.items, "form": form,
        "label": labels(request), "statuses": OBLIGATION_STATUSES, "kinds": REPORT_KINDS,
        "next_link": page.next_cursor and link("/dashboards/obligations", {
            **form, "as_of": read.as_of, "cursor": page.next_cursor}),
        "first_link": cursor and link("/dashboards/obligations", {
            **form, "as_of": read.as_of}),
    })
