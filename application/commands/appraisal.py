"""Appraisal and the consultees' opinions."""

from __future__ import annotations

from dataclasses import dataclass

from application.commands.base import CaseCommand
from domain.values import Document


@dataclass(frozen=True, kw_only=True)
class RequestConsultation(CaseCommand):
    agency: str


@dataclass(frozen=True, kw_only=True)
class RecordOpinion(CaseCommand):
    agency: str
    stance: str
    document: Document | None = None
    summary: str = ''


@dataclass(frozen=True, kw_only=True)
class CompleteAppraisal(CaseCommand):
    recommendation: str
    note: str = ''
