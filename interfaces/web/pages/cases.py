"""Cases: the list (the API's case view: filters, search without diacritics, sort, pages,
spreadsheets) and each case's page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from application.projections.queries import CASE_SORTS
from domain.case_guards import AID_FORMS, IATI_STATUS
from domain.errors import InvalidInputError
from interfaces.http.deps import ServicesDep
from interfaces.http.exports import OutputDep
from interfaces.http.params import Uuid, is_canonical_uuid
from interfaces.http.reader import Reader
from interfaces.http.routes import views
from interfaces.web.case_page import case_page_context
from interfaces.web.commands import may_give
from interfaces.web.route import PageRoute
from interfaces.web.session import SignedIn
from interfaces.web.templating import render

router = APIRouter(route_class=PageRoute)
PAGE_ROWS = 25


@router.get("/cases")
def case_list(
    request: Request, user: SignedIn, out: OutputDep,
    province: views.Many = None, status: views.CaseStatuses = None,
    aid_form: views.AidForms = None, donor_id: Annotated[str | None, Query()] = None,
    sector: views.Sector = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    report_overdue: Annotated[str | None, Query(pattern="^(|true|false)$")] = None,
    as_of: Annotated[date | None, Query()] = None,
    sort: views.Sort = None, cursor: views.Cursor = None,
) -> Response:
    reader = Reader(request, user.principal, as_of)
    overdue = {"true": True, "false": False}.get(report_overdue or "")
    answer = views.cases_view(
        reader, out, province=province, status=status, aid_form=aid_form,
        donor_id=_uuid(donor_id), sector=sector, q=q or None, report_overdue=overdue,
        sort=sort or None, cursor=cursor, limit=PAGE_ROWS)
    if isinstance(answer, Response):  # ?format=csv or xlsx: every page as a spreadsheet
        return answer
    asked = {"province": province or [], "status": status or [], "aid_form": aid_form or [],
             "donor_id": donor_id or "", "sector": sector or "", "q": q or "",
             "report_overdue": report_overdue or "", "as_of": as_of.isoformat() if as_of else "",
             "sort": sort or ""}
    return render(request, "cases.html", {
        "nav": "cases", "page": answer, "asked": asked, "statuses": sorted(IATI_STATUS),
        "aid_forms": sorted(AID_FORMS), "sorts": sorted(CASE_SORTS),
        "asked_cursor": bool(cursor), "can_open": may_give(user.principal, "open_case"),
        "query": _query(asked), "next_query": _query({**asked, "cursor": answer["next_cursor"]})
        if answer["next_cursor"] else None})


def _uuid(value: str | None) -> UUID | None:
    """A donor filter from a form: empty is none; anything else must be a uuid (422)."""
    if not value:
        return None
    if not is_canonical_uuid(value):
        raise InvalidInputError(f"donor_id: {value!r} is not a uuid", code="invalid_filter",
                                field="donor_id")
    return UUID(value)


def _query(asked: dict[str, Any]) -> str:
    """The list's filters as a query string (for the next page and the downloads)."""
    pairs = [(k, v) for k, values in asked.items()
             for v in (values if isinstance(values, list) else [values]) if v]
    return urlencode(pairs)


@router.get("/cases/{case_id}")
def case_page(case_id: Uuid, request: Request, user: SignedIn, services: ServicesDep,
              version: Annotated[int | None, Query(ge=1, le=10**9)] = None,
              as_of: Annotated[datetime | None, Query()] = None,
              done: Annotated[str | None, Query(max_length=64)] = None) -> HTMLResponse:
    context = case_page_context(request, services, user.principal, case_id, version, as_of)
    return render(request, "case.html", {"nav": "cases", "done": done, **context})
