"""Suspension, resumption, revocation, termination and justified delays."""

from __future__ import annotations

from dataclasses import dataclass

from application.commands.base import CaseCommand
from domain.values import Document


@dataclass(frozen=True, kw_only=True)
class Suspend(CaseCommand):
    reason: str
    decision: str


@dataclass(frozen=True, kw_only=True)
class Resume(CaseCommand):
    decision: str


@dataclass(frozen=True, kw_only=True)
class Revoke(CaseCommand):
    reason: str
    decision: str


@dataclass(frozen=True, kw_only=True)
class Terminate(CaseCommand):
    reason: str
    decision: str


@dataclass(frozen=True, kw_only=True)
class RecordJustifiedDelay(CaseCommand):
    reason: str
    document: Document
