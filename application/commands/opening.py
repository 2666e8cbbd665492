"""The two commands that create an aggregate: open a case, register a donor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.commands.base import Command
from domain.money import Money
from domain.values import Place


@dataclass(frozen=True, kw_only=True)
class OpenCase(Command):
    reference: str
    title: str
    aid_form: str
    donor_id: UUID
    province: str
    managing_agency: str
    aid_owner: str
    sectors: list[dict[str, Any]]
    planned_start: date
    planned_end: date
    requested: Money
    description: str = ""
    requested_vnd_rate: Decimal | None = None
    state_budget_revenue: bool = False
    sensitive_flags: list[str] = field(default_factory=list)
    moha_licensed: bool = False
    place: Place | None = None  # commune, former district, aid owner's kind (all optional)
    # Overrides the rule profile in force (legacy imports only).
    legal_basis: str | None = None


@dataclass(frozen=True, kw_only=True)
class RegisterDonor(Command):
    code: str
    name: str
    country: str
    kind: str
    iati_ref: str | None = None
