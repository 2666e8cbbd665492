"""The read models under /api/v1/views: lists with filters, sorts and cursors (SPEC §3, §6).

Any role may read; every list is limited to the caller's provinces. ``min_position`` waits
(bounded by settings) until the views have applied that log position: read-your-writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from application.projections.portfolio import GROUP
from application.projections.queries import (
    MAX_LIMIT,
    query_cases,
    query_donors,
    query_portfolio,
)
from application.projections.queries_compliance import (
    FLAG_STATES,
    OBLIGATION_STATUSES,
    query_compliance,
    query_obligations,
)
from domain.case_guards import AID_FORMS, IATI_STATUS
from domain.compliance import SEVERITY
from domain.donor import CERTIFICATE_KINDS, DONOR_KINDS
from domain.errors import InvalidInputError
from domain.policy import REPORT_KINDS
from infrastructure.clock import today_in_vietnam
from interfaces.http.exports import SPREADSHEETS, OutputDep
from interfaces.http.params import UUID_PATTERN, Uuid, is_canonical_uuid, matching, one_of
from interfaces.http.reader import (
    VIEW_ERRORS,
    ReaderDep,
    positioned,
    respond,
    with_province_now,
)
from interfaces.http.schemas import views as s

router = APIRouter(prefix="/views", tags=["views"])

VIEW_RESPONSES = {**VIEW_ERRORS, **SPREADSHEETS}
_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_SECTOR = re.compile(r"^[0-9]{1,5}$")
CERTIFICATE_STATUSES = ("active", "suspended", "revoked", "terminated")

_REPEAT = "Repeat, or separate with commas"
Many = Annotated[list[str] | None, Query(description=_REPEAT)]
CaseStatuses = Annotated[list[Annotated[str, one_of(IATI_STATUS)]] | None,
                         Query(description=_REPEAT)]
AidForms = Annotated[list[Annotated[str, one_of(AID_FORMS)]] | None, Query(description=_REPEAT)]
DonorIds = Annotated[list[Annotated[str, matching(UUID_PATTERN)]] | None,
                     Query(description=_REPEAT)]
Sector = Annotated[Annotated[str, matching(_SECTOR.pattern, 1)] | None,
                   Query(description="DAC code or prefix (12 = health)")]
Cursor = Annotated[str | None, Query(max_length=2000, description="`next_cursor` of the "
                                     "previous page")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page (a spreadsheet "
                                 "holds every page, read this many rows at a time)")]
Sort = Annotated[str | None, Query(max_length=64, description="A column, or -column for "
                                   "descending")]


def _many(values: list[str] | None, field: str, allowed: Iterable[str] | None = None,
          pattern: re.Pattern[str] = _CODE) -> list[str] | None:
    if values is None:
        return None
    out = sorted({v.strip() for value in values for v in value.split(",") if v.strip()})
    choices = set(allowed) if allowed is not None else None
    for v in out:
        if (choices is not None and v not in choices) or not pattern.fullmatch(v):
            hint = f"; one of {', '.join(sorted(choices))}" if choices else ""
            raise InvalidInputError(f"{field}: {v!r} is not a valid value{hint}",
                                    code="invalid_filter", field=field)
    return out or None


def _one(value: str | None, field: str, pattern: re.Pattern[str] = _CODE) -> str | None:
    if value is not None and not pattern.fullmatch(value):
        raise InvalidInputError(f"{field}: {value!r} is not a valid value",
                                code="invalid_filter", field=field)
    return value


@router.get("/cases", operation_id="list_cases",
            response_model=s.CaseSummaryPage, responses=VIEW_RESPONSES,
            summary="Cases: filter, search, sort and page (case_summary)")
def cases_view(
    reader: ReaderDep, out: OutputDep,
    province: Many = None, status: CaseStatuses = None, aid_form: AidForms = None,
    donor_id: Uuid | None = None, sector: Sector = None,
    q: Annotated[str | None, Query(max_length=200, description="In reference or title; any "
                                   "case, diacritics optional")] = None,
    report_overdue: bool | None = None,
    sort: Sort = None, cursor: Cursor = None, limit: Limit = 50,
) -> dict[str, Any] | Response:
    filters = {"province": reader.asked(_many(province, "province")),
               "status": _many(status, "status", IATI_STATUS),
               "aid_form": _many(aid_form, "aid_form", AID_FORMS),
               "donor_id": donor_id, "sector": _one(sector, "sector", _SECTOR), "q": q,
               "report_overdue": report_overdue}
    return respond(reader, out, "cases", s.CaseSummaryItem,
                   ["case_summary", "compliance_flag"], with_province_now(query_cases, reader),
                   cursor, limit,
                   filters=filters, as_of=reader.as_of, sort=sort)


@router.get("/portfolio", operation_id="get_portfolio",
            response_model=s.PortfolioPage, responses=VIEW_RESPONSES,
            summary="Portfolio: case counts and VND sums by the dimensions chosen")
def portfolio_view(
    reader: ReaderDep, out: OutputDep,
    group_by: Annotated[list[Annotated[str, one_of(GROUP)]] | None, Query(
        description="province, donor_id, sector, status, year (repeat or comma-separate); "
                    "all five when omitted")] = None,
    province: Many = None, status: CaseStatuses = None, donor_id: DonorIds = None,
    sector: Sector = None,
    year_from: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    year_to: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    map_as_of: Annotated[date | None, Query(
        description="Group and filter provinces by the map of this date (today's when "
                    "omitted): the 63 provinces before 1 July 2025, the 34 after")] = None,
    sort: Sort = None, cursor: Cursor = None, limit: Limit = 50,
) -> dict[str, Any] | Response:
    dims = _many(group_by, "group_by") or ["province", "donor_id", "sector", "status", "year"]
    donors = _many(donor_id, "donor_id")
    for d in donors or ():
        if not is_canonical_uuid(d):
            raise InvalidInputError(f"donor_id: {d!r} is not a uuid", code="invalid_filter",
                                    field="donor_id")
    donors = None if donors is None else sorted({str(UUID(d)) for d in donors})
    day = map_as_of or today_in_vietnam()
    filters = {"province": reader.asked(_many(province, "province"), day),
               "status": _many(status, "status", IATI_STATUS), "donor_id": donors,
               "sector": _one(sector, "sector", _SECTOR), "year_from": year_from,
               "year_to": year_to}
    in_order = [d for d in ("province", "donor_id", "sector", "status", "year") if d in dims]
    return respond(reader, out, "portfolio", s.PortfolioRow, ["portfolio"], query_portfolio,
                   cursor, limit, lambda page: {
                       "items": page.items, "totals": page.totals,
                       "next_cursor": page.next_cursor, "group_by": in_order,
                       "position": page.position, "map_as_of": day},
                   filters=filters, group_by=dims, sort=sort,
                   province_map=reader.container.register.renames(day))


@router.get("/donors", operation_id="list_donors",
            response_model=s.DonorStatusPage, responses=VIEW_RESPONSES,
            summary="Donor register: certificates, expiry as of a date, active cases")
def donors_view(
    reader: ReaderDep, out: OutputDep,
    status: Annotated[list[Annotated[str, one_of(CERTIFICATE_STATUSES)]] | None,
                      Query(description=_REPEAT)] = None,
    kind: Annotated[list[Annotated[str, one_of(DONOR_KINDS)]] | None,
                    Query(description=_REPEAT)] = None,
    certificate_kind: Annotated[list[Annotated[str, one_of(CERTIFICATE_KINDS)]] | None,
                                Query(description=_REPEAT)] = None,
    province: Annotated[Annotated[str, matching(_CODE.pattern, 1)] | None,
                        Query(description="A certificate covers it")] = None,
    q: Annotated[str | None, Query(max_length=200, description="In code or name")] = None,
    expired: bool | None = None,
    expiring_within: Annotated[int | None, Query(ge=0, le=3660, description="Days after "
                                                 "as_of")] = None,
    sort: Sort = None, cursor: Cursor = None, limit: Limit = 50,
) -> dict[str, Any] | Response:
    filters = {"status": _many(status, "status", CERTIFICATE_STATUSES),
               "kind": _many(kind, "kind", DONOR_KINDS),
               "certificate_kind": _many(certificate_kind, "certificate_kind",
                                         CERTIFICATE_KINDS),
               "province": _one(province, "province"), "q": q, "expired": expired,
               "expiring_within": expiring_within}
    return respond(reader, out, "donors", s.DonorStatusItem, ["donor_status"],
                   query_donors, cursor, limit, filters=filters, as_of=reader.as_of,
                   sort=sort)


@router.get("/compliance", operation_id="list_compliance_flags",
            response_model=s.CompliancePage, responses=VIEW_RESPONSES,
            summary="Compliance flags open (or resolved) on as_of")
def compliance_view(
    reader: ReaderDep, out: OutputDep,
    state: Annotated[Annotated[str, one_of(FLAG_STATES)] | None,
                     Query(description="open (default), resolved or all")] = None,
    code: Annotated[list[Annotated[str, one_of(SEVERITY)]] | None,
                    Query(description=_REPEAT)] = None,
    severity: Annotated[list[Annotated[str, one_of(("critical", "warning"))]] | None,
                        Query(description=_REPEAT)] = None,
    province: Many = None, donor_id: Uuid | None = None, case_id: Uuid | None = None,
    sort: Sort = None, cursor: Cursor = None, limit: Limit = 50,
) -> dict[str, Any] | Response:
    filters = {"state": state, "code": _many(code, "code"),
               "severity": _many(severity, "severity"),
               "province": reader.asked(_many(province, "province")),
               "donor_id": str(donor_id) if donor_id else None,
               "case_id": str(case_id) if case_id else None}
    return respond(reader, out, "compliance", s.ComplianceFlagItem, ["compliance_flag"],
                   positioned(query_compliance, "compliance_flag"), cursor, limit,
                   filters=filters, as_of=reader.as_of, sort=sort or "")


@router.get("/obligations", operation_id="list_reporting_obligations",
            response_model=s.ObligationsPage, responses=VIEW_RESPONSES,
            summary="The reporting calendar, each report's status on as_of")
def obligations_view(
    reader: ReaderDep, out: OutputDep,
    status: Annotated[list[Annotated[str, one_of(OBLIGATION_STATUSES)]] | None,
                      Query(description=_REPEAT)] = None,
    kind: Annotated[list[Annotated[str, one_of(REPORT_KINDS)]] | None,
                    Query(description=_REPEAT)] = None,
    province: Many = None, donor_id: Uuid | None = None, case_id: Uuid | None = None,
    due_from: date | None = None, due_to: date | None = None,
    sort: Sort = None, cursor: Cursor = None, limit: Limit = 50,
) -> dict[str, Any] | Response:
    filters = {"status": _many(status, "status"), "kind": _many(kind, "kind"),
               "province": reader.asked(_many(province, "province")),
               "donor_id": str(donor_id) if donor_id else None,
               "case_id": str(case_id) if case_id else None,
               "due_from": due_from, "due_to": due_to}
    return respond(reader, out, "obligations", s.ObligationItem,
                   ["reporting_obligation"],
                   positioned(query_obligations, "reporting_obligation"), cursor, limit,
                   filters=filters, as_of=reader.as_of, sort=sort or "")
