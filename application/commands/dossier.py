"""Drafting and checking the dossier (Decree 80/2020 Art. 8-9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from application.commands.base import CaseCommand
from domain.money import Money
from domain.values import Deviation, Document


@dataclass(frozen=True, kw_only=True)
class UpdateDraft(CaseCommand):
    title: str | None = None
    description: str | None = None
    aid_form: str | None = None
    province: str | None = None
    managing_agency: str | None = None
    aid_owner: str | None = None
    sectors: list[dict[str, Any]] | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    requested: Money | None = None
    requested_vnd_rate: Decimal | None = None
    state_budget_revenue: bool | None = None
    sensitive_flags: list[str] | None = None
    moha_licensed: bool | None = None


# The facts of a case's draft: given when it is opened, changed by UpdateDraft.
DRAFT_FACTS = ("title", "description", "aid_form", "province", "managing_agency", "aid_owner",
               "sectors", "planned_start", "planned_end", "requested", "requested_vnd_rate",
               "state_budget_revenue", "sensitive_flags", "moha_licensed")


def draft_facts(command: Any) -> dict[str, Any]:
    """The draft's facts a command gives (OpenCase or UpdateDraft), by name."""
    return {name: getattr(command, name) for name in DRAFT_FACTS}


@dataclass(frozen=True, kw_only=True)
class AttachDocument(CaseCommand):
    document: Document


@dataclass(frozen=True, kw_only=True)
class Submit(CaseCommand):
    deviation: Deviation | None = None


@dataclass(frozen=True, kw_only=True)
class ReturnDossier(CaseCommand):
    reasons: list[str]


@dataclass(frozen=True, kw_only=True)
class AcceptDossier(CaseCommand):
    pass
