"""Compliance on the dashboards: the flags open on ``as_of`` by code, severity and province
(a chart and the tables behind it), and the flags behind each number, each with its case."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from application.projections.queries_compliance import (
    FLAG_STATES,
    count_open_flags,
    query_compliance,
)
from domain.compliance import SEVERITY
from domain.errors import InvalidInputError
from interfaces.http.reader import Reader, positioned
from interfaces.http.routes.views import _many
from interfaces.web import i18n, links, query_fields, reading
from interfaces.web.charts import Series, count_chart
from interfaces.web.i18n import Lang
from interfaces.web.query_fields import Text
from interfaces.web.session import SignedIn, request_language
from interfaces.web.templating import render

router = reading.page_router()
VIEW = ["compliance_flag"]
SEVERITIES = ("critical", "warning")


def flag_counts(read: Reader) -> dict[str, Any]:
    """The flags open on the reader's date in its provinces, counted by code, severity and
    province."""
    counted = read.counted(VIEW[0], count_open_flags, as_of=read.as_of)
    codes: Counter[tuple[str, str]] = Counter()
    severities: Counter[str] = Counter()
    by_province: dict[str, Counter[str]] = {}
    for code, severity, province, n in counted:
        codes[(code, severity)] += n
        severities[severity] += n
        by_province.setdefault(province, Counter())[severity] += n
    return {
        "total": sum(severities.values()),
        "by_code": [(code, severity, codes[(code, severity)]) for code, severity in sorted(codes)],
        "by_severity": {s: severities[s] for s in SEVERITIES},
        "by_province": [(p, by_province[p]) for p in sorted(by_province)],
    }


def code_chart(lang: Lang, counts: dict[str, Any]) -> dict[str, Any]:
    """The chart of the open flags by code (none without a flag), and its title."""
    title = i18n.gettext(lang, "Open compliance flags by code")
    if not counts["total"]:
        return {"title": title, "chart": None}
    return {"title": title, "chart": count_chart(
        title, i18n.gettext(lang, "How many flags of each code are open on the date; the "
                                  "table below holds the same figures."),
        [code for code, _, _ in counts["by_code"]],
        [Series(i18n.gettext(lang, "Open flags"), [n for _, _, n in counts["by_code"]])])}


@router.get("/dashboards/compliance")
def compliance_page(request: Request, user: SignedIn, as_of: Text = None) -> HTMLResponse:
    read = reading.reader(request, user, as_of)
    counts = flag_counts(read)
    return render(request, "compliance.html", {
        **code_chart(request_language(request), counts), "nav": "dashboards", "as_of": read.as_of,
        "counts": counts, "label": reading.labels(request), "severities": SEVERITIES,
        "flags_link": lambda **f: links.link("/dashboards/flags", {**f, "as_of": read.as_of}),
        "cases_link": lambda **f: links.cases_link(read.as_of, **f),
    })


@router.get("/dashboards/flags")
def flags_page(request: Request, user: SignedIn, as_of: Text = None, code: Text = None,
               severity: Text = None, province: Text = None, state: Text = None,
               cursor: Text = None) -> HTMLResponse:
    read = reading.reader(request, user, as_of)
    form = query_fields.fields(code=code, severity=severity, province=province, state=state)
    if form["state"] is not None and form["state"] not in FLAG_STATES:
        raise InvalidInputError(f"state: {form['state']!r} is not one of "
                                f"{', '.join(FLAG_STATES)}", code="invalid_filter",
                                field="state")
    filters = {"state": form["state"], "code": _many(query_fields.listed(code), "code", SEVERITY),
               "severity": _many(query_fields.listed(severity), "severity", SEVERITIES),
               "province": read.asked(_many(query_fields.listed(province), "province"))}
    page = read.read(VIEW, positioned(query_compliance, VIEW[0]), filters=filters,
                     as_of=read.as_of, cursor=query_fields.blank(cursor), limit=reading.PAGE_ROWS,
                     sort="")
    return render(request, "flags.html", {
        "nav": "dashboards", "as_of": read.as_of, "rows": page.items, "form": form,
        "label": reading.labels(request), "codes": sorted(SEVERITY), "severities": SEVERITIES,
        "states": FLAG_STATES,
        "next_link": page.next_cursor and links.link("/dashboards/flags", {
            **form, "as_of": read.as_of, "cursor": page.next_cursor}),
        "first_link": cursor and links.link("/dashboards/flags", {**form, "as_of": read.as_of}),
    })
