"""Amendments to an approved case and their decisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from application.commands.base import CaseCommand
from domain.values import Deviation


@dataclass(frozen=True, kw_only=True)
class RequestAmendment(CaseCommand):
    changes: dict[str, Any]
    reason: str
    amendment_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class DecideAmendment(CaseCommand):
    amendment_id: str
    approved: bool
    decision_no: str
    signer: str
    authority_level: str
    reasons: list[str] | None = None
    deviation: Deviation | None = None
