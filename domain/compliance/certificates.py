"""A donor's certificates as the checks read them, each answer worked out once: on one day,
for one province and fields, and the dates their situation may change on. A donor at one
version has one certificate history, so every case of the donor evaluated against it (a
donor event re-evaluates them all) can share one of these."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.compliance.timeline import DAY
from domain.donor import Donor


@dataclass(frozen=True)
class CertificateChange:
    """One entry of a certificate's history, with the dates it may set."""

    number: str
    index: int
    effective_date: date
    issued_on: date | None
    expires_on: date | None
    until: date | None

    @classmethod
    def of(cls, number: str, index: int, entry: Mapping[str, Any]) -> CertificateChange:
        return cls(number, index, entry["effective_date"], entry.get("issued_on"),
                   entry.get("expires_on"), entry.get("until"))


class DonorCertificates:
    def __init__(self, donor: Donor) -> None:
        self.donor = donor
        self._problems: dict[tuple[date, str, tuple[str, ...]], str | None] = {}
        self._views: dict[tuple[str, date], dict[str, Any] | None] = {}
        self._dates: dict[int, set[date]] = {}
        self._changes: list[CertificateChange] | None = None

    def problem(self, on: date, province: str, sectors: Sequence[str]) -> str | None:
        """``Donor.certificate_problem``, remembered."""
        key = (on, province, tuple(sectors))
        if key not in self._problems:
            self._problems[key] = self.donor.certificate_problem(on, province, list(sectors))
        return self._problems[key]

    def as_of(self, number: str, on: date) -> dict[str, Any] | None:
        """``Donor.certificate_as_of``, remembered (read it, never change it)."""
        key = (number, on)
        if key not in self._views:
            self._views[key] = self.donor.certificate_as_of(number, on)
        return self._views[key]

    def changes(self) -> list[CertificateChange]:
        """Every entry of every certificate's history."""
        if self._changes is None:
            self._changes = [CertificateChange.of(number, i, entry)
                             for number, cert in self.donor.certificates.items()
                             for i, entry in enumerate(cert["history"])]
        return self._changes

    def dates(self, warning_days: int) -> set[date]:
        """Every date on which the certificates' situation (or its warning) may change."""
        if warning_days not in self._dates:
            points: set[date] = set()
            for c in self.changes():
                points.add(c.effective_date)
                if c.issued_on:
                    points.add(c.issued_on)
                if c.expires_on:
                    points |= {c.expires_on + DAY, c.expires_on - timedelta(days=warning_days)}
                if c.until:
                    points.add(c.until + DAY)
            self._dates[warning_days] = points
        return self._dates[warning_days]
