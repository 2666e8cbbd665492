"""What a handler may ask for besides its command: the date, the rules, the donor."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from domain.agencies import FocalAgency
from domain.case import AidCase
from domain.donor import Donor
from domain.rules import RuleProfile


class Needs(Protocol):
    on: date  # the command's effective date

    def today(self) -> date: ...

    def profile(self) -> RuleProfile:
        """The rules in force on the effective date (for donors)."""
        ...

    def case_profile(self, case: AidCase) -> RuleProfile:
        """The case's own rules: its legal basis once submitted, else those in force."""
        ...

    def donor_of(self, case: AidCase) -> Donor: ...

    def focal_agency(self, case: AidCase) -> FocalAgency | None:
        """The focal agency in force on the effective date for the case's province."""
        ...
