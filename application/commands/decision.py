"""The approval decision and the donor's notification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from application.commands.base import CaseCommand
from domain.money import Money
from domain.values import Deviation, Document


@dataclass(frozen=True, kw_only=True)
class Approve(CaseCommand):
    decision_no: str
    decision_date: date
    signer: str
    authority_level: str
    approved_amount: Money
    vnd_rate: Decimal | None = None
    conditions: list[str] | None = None
    deviation: Deviation | None = None


@dataclass(frozen=True, kw_only=True)
class Reject(CaseCommand):
    decision_no: str
    reasons: list[str]


@dataclass(frozen=True, kw_only=True)
class NotifyDonor(CaseCommand):
    about: str
    document: Document | None = None


@dataclass(frozen=True, kw_only=True)
class RecordTransitionReview(CaseCommand):
    note: str
    document: Document
