"""Responses of the read-model views under /api/v1/views (SPEC §3, §6)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

_CURSOR = "Pass as `cursor` to get the next page; absent on the last page"
_POSITION = "The log position the view had applied when it was read"


class SectorShare(BaseModel):
    code: str = Field(examples=["12220"])
    percentage: Decimal = Field(examples=["100"])


class CaseSummaryItem(BaseModel):
    id: str
    reference: str = Field(examples=["BN-2026-0042"])
    title: str
    province: str
    province_now: str = Field(description="The province that holds the case's territory today: "
                              "`province` (kept as opened) unless it has merged since",
                              examples=["BN"])
    donor_id: str
    donor_name: str | None
    aid_form: str
    sectors: list[SectorShare]
    status: str
    iati_status: int
    currency: str
    approved: Decimal | None = Field(description="In the case currency; null before approval")
    received: Decimal
    disbursed: Decimal
    spent: Decimal
    approved_vnd: Decimal | None = Field(description="VND equivalent, whole dong")
    received_vnd: Decimal
    disbursed_vnd: Decimal
    spent_vnd: Decimal
    opened_on: date
    approved_on: date | None = Field(description="Date of the approval decision")
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None
    next_report_due: date | None = Field(
        description="Earliest due date of a report owed and not submitted")
    report_overdue: bool = Field(description="next_report_due is before as_of")
    open_flag_count: int = Field(description="Unresolved compliance flags of the case")
    version: int
    last_event_at: datetime
    last_position: int


class CaseSummaryPage(BaseModel):
    items: list[CaseSummaryItem]
    next_cursor: str | None = Field(description=_CURSOR)
    as_of: date
    position: int = Field(description=_POSITION)


class PortfolioRow(BaseModel):
    """One group; only the dimensions in ``group_by`` are present."""

    province: str | None = None
    donor_id: str | None = None
    sector: str | None = None
    status: str | None = None
    year: int | None = Field(None, description="Year of approval, else of opening")
    case_count: int
    approved_vnd: Decimal
    received_vnd: Decimal
    disbursed_vnd: Decimal
    spent_vnd: Decimal


class PortfolioTotals(BaseModel):
    case_count: int
    approved_vnd: Decimal
    received_vnd: Decimal
    disbursed_vnd: Decimal
    spent_vnd: Decimal


class PortfolioPage(BaseModel):
    items: list[PortfolioRow]
    totals: PortfolioTotals = Field(description="Over every group matching the filters")
    group_by: list[str]
    next_cursor: str | None = Field(description=_CURSOR)
    position: int = Field(description=_POSITION)
    map_as_of: date = Field(description="The date whose province map groups the rows: a "
                                        "province merged by then is counted in its successor")


class DonorStatusItem(BaseModel):
    donor_id: str
    code: str
    name: str
    country: str
    kind: str
    certificate_no: str | None = Field(description="Null for a donor without a certificate")
    certificate_kind: str | None
    valid_from: date | None
    valid_to: date | None
    provinces: list[str]
    fields: list[str]
    status: str | None = Field(description="As the register recorded it")
    suspended_until: date | None
    days_to_expiry: int | None = Field(description="valid_to − as_of; negative once expired")
    expired: bool | None
    active_cases: int = Field(description="Cases not rejected, revoked or closed, in the "
                              "caller's provinces")
    version: int
    last_position: int


class DonorStatusPage(BaseModel):
    items: list[DonorStatusItem]
    next_cursor: str | None = Field(description=_CURSOR)
    as_of: date
    position: int = Field(description=_POSITION)


class ComplianceFlagItem(BaseModel):
    case_id: str
    reference: str
    code: str = Field(examples=["C08"])
    severity: str = Field(examples=["warning"])
    message: str
    rule_ref: str = Field(description="The instrument and article the rule comes from")
    basis_verified: bool = Field(description="Whether every rule and parameter the flag rests "
                                 "on is stated by a named source that was read; false: a "
                                 "working default, not established law")
    province: str
    donor_id: str
    active_from: date = Field(description="The business date the condition began")
    active_until: date | None = Field(description="The date it stopped holding, if it has")
    open: bool = Field(description="Open on as_of")
    resolved_on: date | None = Field(description="active_until, when on or before as_of")
    evidence: list[int] = Field(description="Log positions of the events behind the flag")
    first_seen_position: int
    updated_position: int


class CompliancePage(BaseModel):
    items: list[ComplianceFlagItem]
    next_cursor: str | None = Field(description=_CURSOR)
    as_of: date
    position: int = Field(description=_POSITION)


class ObligationItem(BaseModel):
    case_id: str
    reference: str
    province: str
    donor_id: str
    kind: str = Field(examples=["half_year"])
    period_start: date
    period_end: date
    due_on: date
    report_id: str | None
    first_submitted_on: date | None
    submitted_on: date | None
    accepted_on: date | None
    returned_on: date | None
    status: str = Field(description="On as_of: upcoming, due, overdue, submitted, accepted "
                        "or returned")
    overdue: bool


class ObligationsPage(BaseModel):
    items: list[ObligationItem]
    next_cursor: str | None = Field(description=_CURSOR)
    as_of: date
    position: int = Field(description=_POSITION)
