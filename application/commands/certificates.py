"""A donor's registration certificates (Decree 58/2022)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from application.commands.base import DonorCommand


@dataclass(frozen=True, kw_only=True)
class IssueCertificate(DonorCommand):
    number: str
    kind: str
    issued_on: date
    expires_on: date
    provinces: list[str]
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class ExtendCertificate(DonorCommand):
    number: str
    expires_on: date


@dataclass(frozen=True, kw_only=True)
class AmendCertificate(DonorCommand):
    number: str
    provinces: list[str]
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class SuspendCertificate(DonorCommand):
    number: str
    reason: str
    until: date | None = None


@dataclass(frozen=True, kw_only=True)
class RevokeCertificate(DonorCommand):
    number: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class TerminateCertificate(DonorCommand):
    number: str
    reason: str
