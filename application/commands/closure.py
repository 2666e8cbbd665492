"""Completion, handover, audit and closure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from application.commands.base import CaseCommand
from domain.values import Document


@dataclass(frozen=True, kw_only=True)
class CompleteActivities(CaseCommand):
    actual_end: date


@dataclass(frozen=True, kw_only=True)
class RecordHandover(CaseCommand):
    document: Document
    note: str = ''


@dataclass(frozen=True, kw_only=True)
class RecordAudit(CaseCommand):
    auditor: str
    summary: str
    document: Document


@dataclass(frozen=True, kw_only=True)
class Close(CaseCommand):
    pass
