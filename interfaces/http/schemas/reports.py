"""The report on aid received and used, as JSON (amounts as decimal strings)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field


class ReportPeriod(BaseModel):
    label: str = Field(description="As asked: a year, a half-year or a month",
                       examples=["2026-H1"])
    start: date = Field(description="Its first day")
    end: date = Field(description="Its last day")


class ReportColumns(BaseModel):
    names: list[str] = Field(description="The columns of the rule data in force on the "
                                         "period's last day")
    citation: str = Field(description="The legal basis of the column set")
    verified: bool = Field(description="false: the column set is read in a secondary source")
    effective_from: date = Field(description="Since when this column set applies")


class AidReceivedReport(BaseModel):
    province: str = Field(description="The managing agency's province", examples=["BN"])
    period: ReportPeriod = Field(description="The period reported on")
    made_on: date = Field(description="The day it was made (Vietnam)")
    position: int = Field(description="The log position it was made at; pass it back as "
                                      "`position` to make the same report again")
    rule_profile: str = Field(description="The rule profile in force on the period's last day")
    columns: ReportColumns = Field(description="The column set and its basis")
    rows: list[dict[str, Any]] = Field(description="One per case and section (cash, in_kind, "
                                       "state_budget): the columns' values, amounts as strings")
    totals: dict[str, Any] = Field(description="VND sums of every money column, and `sections`")
