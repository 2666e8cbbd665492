"""What every command carries: whom it is about, who gives it, when, and the version expected."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.values import Actor


@dataclass(frozen=True, kw_only=True)
class Command:
    actor: Actor
    # The business date the fact happened on; the clock's today when not given.
    effective_date: date | None = None

    @classmethod
    def snake_name(cls) -> str:
        """The command's name in snake case, as its route, handler and domain method say it."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


@dataclass(frozen=True, kw_only=True)
class CaseCommand(Command):
    case_id: UUID
    # If-Match: refuse with 412 unless the case is at this version (None: retry on conflict).
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class DonorCommand(Command):
    donor_id: UUID
    expected_version: int | None = None
