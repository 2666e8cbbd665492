"""Periodic reports and their review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from application.commands.base import CaseCommand
from domain.values import Document


@dataclass(frozen=True, kw_only=True)
class SubmitReport(CaseCommand):
    kind: str
    period_start: date
    period_end: date
    document: Document
    report_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReviewReport(CaseCommand):
    report_id: str
    accepted: bool
    reasons: list[str] | None = None
