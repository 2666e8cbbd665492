"""The donor register: every donor's certificates with their validity, provinces and fields,
and warnings of certificates that expire soon (the rule profile's warning period)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from application.projections.case_summary import FINAL_STATES
from application.projections.queries import query_donors
from domain.case_guards import IATI_STATUS
from domain.donor import CERTIFICATE_KINDS, DONOR_KINDS
from domain.errors import InvalidInputError
from interfaces.http.params import Uuid
from interfaces.http.reader import Reader
from interfaces.http.routes.views import _CODE, CERTIFICATE_STATUSES, _many, _one
from interfaces.web import links, query_fields, reading
from interfaces.web.query_fields import Text
from interfaces.web.session import SignedIn
from interfaces.web.templating import render

router = reading.page_router()
VIEW = ["donor_status"]
SORTS = ("name", "-name", "code", "valid_to", "-valid_to", "active_cases", "-active_cases")
# Cases a donor's active count counts: every state but the final ones (``donor_status``).
ACTIVE_STATES = sorted(s for s in IATI_STATUS if s not in FINAL_STATES)


def warning_days(request: Request, on: date) -> int:
    """The certificate expiry warning of the rules in force on ``on`` (compliance check C04)."""
    profile = request.app.state.container.rulebook.in_force(on)
    return int(profile.value("certificate_expiry_warning_days"))


def days_within(value: str | None) -> int | None:
    text = query_fields.blank(value)
    if text is None:
        return None
    if not text.isdigit() or int(text) > 3660:
        raise InvalidInputError(f"expiring_within: {text!r} is not a number of days from 0 "
                                "to 3660", code="invalid_filter", field="expiring_within")
    return int(text)


@router.get("/donors")
def donor_register(request: Request, user: SignedIn, q: Text = None, status: Text = None,
                   kind: Text = None, certificate_kind: Text = None, province: Text = None,
                   expired: Text = None, expiring_within: Text = None, as_of: Text = None,
                   sort: Text = None, cursor: Text = None) -> HTMLResponse:
    read = reading.reader(request, user, as_of)
    form = query_fields.fields(q=q, status=status, kind=kind, certificate_kind=certificate_kind,
                               province=province, expired=expired, expiring_within=expiring_within,
                               sort=sort)
    filters = {"status": _many(query_fields.listed(status), "status", CERTIFICATE_STATUSES),
               "kind": _many(query_fields.listed(kind), "kind", DONOR_KINDS),
               "certificate_kind": _many(query_fields.listed(certificate_kind), "certificate_kind",
                                         CERTIFICATE_KINDS),
               "province": _one(query_fields.blank(province), "province", _CODE),
               "q": query_fields.blank(q),
               "expired": query_fields.yes_no(expired, "expired"),
               "expiring_within": days_within(expiring_within)}
    page = read.read(VIEW, query_donors, filters=filters, as_of=read.as_of,
                     cursor=query_fields.blank(cursor), limit=reading.PAGE_ROWS, sort=form["sort"])
    warn = warning_days(request, read.as_of)
    expiring = reading.every_row(read, VIEW, query_donors, as_of=read.as_of, sort=None,
                         filters={"status": ["active"], "expiring_within": warn})
    return render(request, "donors.html", {
        "nav": "donors", "rows": page.items, "form": form, "as_of": read.as_of,
        "warn": warn, "expiring": len(expiring), "label": reading.labels(request),
        "kinds": DONOR_KINDS, "certificate_kinds": CERTIFICATE_KINDS,
        "statuses": CERTIFICATE_STATUSES, "sorts": SORTS,
        "expiring_link": links.link("/donors", {"status": "active", "expiring_within": warn,
                                        "as_of": read.as_of}),
        "next_link": page.next_cursor and links.link("/donors", {
            **form, "as_of": read.as_of, "cursor": page.next_cursor}),
        "first_link": cursor and links.link("/donors", {**form, "as_of": read.as_of}),
        "cases_of": lambda donor_id: links.cases_link(read.as_of, donor_id=donor_id,
                                                status=ACTIVE_STATES),
    })


@router.get("/donors/{donor_id}")
def donor_page(request: Request, user: SignedIn, donor_id: Uuid,
               as_of: Text = None) -> HTMLResponse:
    read = reading.reader(request, user, as_of)
    donor = request.app.state.container.services.get_donor(donor_id)
    warn = warning_days(request, read.as_of)
    certificates = [certificate(donor, number, read.as_of, warn)
                    for number in sorted(donor.certificates)]
    return render(request, "donor.html", {
        "nav": "donors", "donor": donor.state(), "certificates": certificates,
        "as_of": read.as_of, "warn": warn, "label": reading.labels(request),
        "active_cases": active_cases(read, donor.code, str(donor_id)),
        "cases_link": links.cases_link(read.as_of, donor_id=str(donor_id),
                                       status=ACTIVE_STATES),
        "all_cases_link": links.cases_link(read.as_of, donor_id=str(donor_id)),
        "portfolio_link": links.link("/dashboards/portfolio", {
            "by": "province", "donor_id": str(donor_id), "as_of": read.as_of}),
    })


def certificate(donor: Any, number: str, on: date, warn: int) -> dict[str, Any]:
    """A certificate as recorded, and as it stood on ``on`` (None before it was issued)."""
    recorded = donor.certificates[number]
    then = donor.certificate_as_of(number, on)
    days = None if then is None else (then["expires_on"] - on).days
    return {"number": number, "recorded": recorded, "then": then, "days_to_expiry": days,
            "expired": days is not None and days < 0,
            "expiring": (then is not None and then["status"] == "active"
                         and days is not None and 0 <= days <= warn)}


def active_cases(read: Reader, code: str, donor_id: str) -> int:
    """The donor's active cases in the person's provinces, as the register counts them."""
    rows = reading.every_row(read, VIEW, query_donors, as_of=read.as_of, sort=None,
                     filters={"q": code})
    counts = [r["active_cases"] for r in rows if r["donor_id"] == donor_id]
    return max(counts, default=0)
