"""The province register: provinces by date, as plain values (SPEC §1.1).

Resolution 202/2025/QH15 merged 63 provinces into 34 from 1 July 2025. A case keeps the code it
was opened under; readers ask the register which province holds that code's territory on a
date. Infrastructure loads the data (``rules/register/``); the domain only reads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.agencies import AgencyEntry, FocalAgency, agency_in_force


@dataclass(frozen=True)
class Province:
    """One provincial-level unit; a merged one names its successor and the day it took over."""

    code: str
    name_vi: str
    name_en: str
    kind: str  # "province" or "city"
    source: str
    verified: bool
    successor: str | None = None
    merged_on: date | None = None

    def exists_on(self, day: date) -> bool:
        return self.merged_on is None or day < self.merged_on


@dataclass(frozen=True)
class ProvinceRegister:
    """Every province known, and the focal and managing agencies of each by date."""

    provinces: Mapping[str, Province] = field(default_factory=dict)
    national_agencies: Sequence[AgencyEntry] = ()
    agencies: Mapping[str, Sequence[AgencyEntry]] = field(default_factory=dict)
    version: int = 0

    def entry(self, code: str) -> Province | None:
        return self.provinces.get(code)

    def resolve(self, code: str, on: date) -> str:
        """The code of the province that holds ``code``'s territory on ``on`` (itself when it
        was not merged by then, or is not in the register)."""
        seen = {code}
        province = self.provinces.get(code)
        while province and province.successor and not province.exists_on(on):
            code = province.successor
            if code in seen:
                break
            seen.add(code)
            province = self.provinces.get(code)
        return code

    def covering(self, code: str, on: date) -> frozenset[str]:
        """Every code whose territory is, on ``on``, part of the province ``code`` names
        (after 1 July 2025, BN covers BN and BG; so does BG)."""
        target = self.resolve(code, on)
        return frozenset({target, *(c for c in self.provinces if self.resolve(c, on) == target)})

    def scope(self, codes: Iterable[str], on: date) -> frozenset[str]:
        """The stored codes that a list of codes (old or new) covers on ``on``."""
        return frozenset(c for code in codes for c in self.covering(code, on))

    def renames(self, on: date) -> dict[str, str]:
        """The codes that no longer exist on ``on``, each with the code that holds it then."""
        return {c: self.resolve(c, on) for c in sorted(self.provinces)
                if self.resolve(c, on) != c}

    def focal_agency(self, code: str, on: date) -> FocalAgency | None:
        """The focal and managing agency in force on ``on`` for the province that holds
        ``code``'s territory then (None when the register has no agency data)."""
        holder = self.resolve(code, on)
        province = self.provinces.get(holder)
        return agency_in_force(self.national_agencies, self.agencies.get(holder, ()), holder,
                               province.name_en if province else holder,
                               "City" if province and province.kind == "city" else "Provincial",
                               on)
