"""The appraisal focal agency and the managing agency of a province, by date (SPEC §1.1).

The Departments of Planning and Investment merged into the Departments of Finance in 2025, and
some provinces merged their Department of Foreign Affairs into the People's Committee Office:
which agency is the focal one is province data with effective dates, not a constant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class AgencyEntry:
    """One dated entry: names may hold {en} (the province's English name) and {unit}."""

    focal: str
    source: str
    verified: bool
    effective_from: date | None = None  # None: since before the register's first date
    managing: str | None = None  # None: the managing agency of the entry before


@dataclass(frozen=True)
class FocalAgency:
    """The agencies in force for one province on one date, with where that comes from."""

    province: str
    name: str
    managing_agency: str
    effective_from: date | None
    source: str
    verified: bool

    def record(self) -> dict[str, Any]:
        """The JSON-friendly form an event stores."""
        return {"province": self.province, "name": self.name,
                "managing_agency": self.managing_agency,
                "effective_from": self.effective_from.isoformat() if self.effective_from
                else None, "source": self.source, "verified": self.verified}


def _since(entry: AgencyEntry) -> date:
    return entry.effective_from or date.min


def agency_in_force(national: Sequence[AgencyEntry], own: Sequence[AgencyEntry], code: str,
                    name_en: str, unit: str, on: date) -> FocalAgency | None:
    """The latest entry in force on ``on``; on the same date the province's own entry wins."""
    ranked = sorted([(_since(e), 0, e) for e in national if _since(e) <= on]
                    + [(_since(e), 1, e) for e in own if _since(e) <= on],
                    key=lambda t: (t[0], t[1]))
    if not ranked:
        return None
    chosen = ranked[-1][2]
    managing = next((e.managing for _, _, e in reversed(ranked) if e.managing), "")
    return FocalAgency(province=code, name=chosen.focal.format(en=name_en, unit=unit),
                       managing_agency=managing.format(en=name_en, unit=unit),
                       effective_from=chosen.effective_from, source=chosen.source,
                       verified=chosen.verified)
