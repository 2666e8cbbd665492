"""Compliance on the dashboards: the flags open on ``as_of`` by code, severity and province
(a chart and the tables behind it), and the flags behind each number, each with its case."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from application.projections.queries_compliance import FLAG_STATES, query_compliance
from domain.compliance import SEVERITY
from domain.errors import InvalidInputError
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
    every_row,
    labels,
    link,
    listed,
    reader,
)
from interfaces.web.route import PageRoute
from interfaces.web.session import SignedIn, request_language
from interfaces.web.templating import render

router = APIRouter(route_class=PageRoute, dependencies=CHECKED)
VIEW = ["compliance_flag"]
FLAGS = positioned(query_compliance, "compliance_flag")
SEVERITIES = ("critical", "warning")


def flag_counts(read: Reader) -> dict[str, Any]:
    """The flags open on the reader's date in its provinces, counted by code, severity and
    province."""
    flags = every_row(read, VIEW, FLAGS, filters={}, as_of=read.as_of, sort="")
    codes = Counter(f["code"] for f in flags)
    by_province: dict[str, Counter[str]] = {}
    for f in flags:
        by_province.setdefault(f["province"], Counter())[f["severity"]] += 1
    return {
        "total": len(flags),
        "by_code": [(code, SEVERITY.get(code, ""), codes[code]) for code in sorted(codes)],
        "by_severity": {s: sum(1 for f in flags if f["severity"] == s) for s in SEVERITIES},
        "by_province": [(p, by_province[p]) for p in sorted(by_province)],
    }


@router.get("/dashboards/compliance")
def compliance_page(request: Request, user: SignedIn, as_of: Text = None) -> HTMLResponse:
    read = reader(request, user, as_of)
    counts = flag_counts(read)
    lang = request_language(request)
    title = i18n.gettext(lang, "Open compliance flags by code")
    chart = bar_chart(
        title, i18n.gettext(lang, "How many flags of each code are open on the date; the "
                                  "table below holds the same figures."),
        [code for code, _, _ in counts["by_code"]],
        [Series(i18n.gettext(lang, "Open flags"), [n for _, _, n in counts["by_code"]])],
        lambda value: str(int(value)), counts=True) if counts["total"] else None
    return render(request, "compliance.html", {
        "nav": "dashboards", "as_of": read.as_of, "counts": counts, "chart": chart,
        "title": title, "label": labels(request), "severities": SEVERITIES,
        "flags_link": lambda **f: link("/dashboards/flags", {**f, "as_of": read.as_of}),
        "cases_link": lambda **f: cases_link(read.as_of, **f),
    })


@router.get("/dashboards/flags")
def flags_page(request: Request, user: SignedIn, as_of: Text = None, code: Text = None,
               severity: Text = None, province: Text = None, state: Text = None,
               cursor: Text = None) -> HTMLResponse:
    read = reader(request, user, as_of)
    form = {"code": blank(code), "severity": blank(severity), "province": blank(province),
            "state": blank(state)}
    if form["state"] is not None and form["state"] not in FLAG_STATES:
        raise InvalidInputError(f"state: {form['state']!r} is not one of "
                                f"{', '.join(FLAG_STATES)}", code="invalid_filter",
                                field="state")
    filters = {"state": form["state"], "code": _many(listed(code), "code", SEVERITY),
               "severity": _many(listed(severity), "severity", SEVERITIES),
               "province": read.asked(_many(listed(province), "province"))}
    page = read.read(VIEW, FLAGS, filters=filters, as_of=read.as_of, cursor=blank(cursor),
                     limit=PAGE_ROWS, sort="")
    return render(request, "flags.html", {
        "nav": "dashboards", "as_of": read.as_of, "rows": page.items, "form": form,
        "label": labels(request), "codes": sorted(SEVERITY), "severities": SEVERITIES,
        "states": FLAG_STATES,
        "next_link": page.next_cursor and link("/dashboards/flags", {
            **form, "as_of": read.as_of, "cursor": page.next_cursor}),
        "first_link": cursor and link("/dashboards/flags", {**form, "as_of": read.as_of}),
    })
