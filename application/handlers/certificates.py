"""Handlers: a donor's registration certificates (Decree 58/2022)."""

from __future__ import annotations

from application.commands import certificates as c
from application.handlers.needs import Needs
from domain.donor import Donor


def issue_certificate(donor: Donor, command: c.IssueCertificate, needs: Needs) -> None:
    donor.issue_certificate(number=command.number, kind=command.kind, issued_on=command.issued_on,
                            expires_on=command.expires_on, provinces=command.provinces,
                            fields=command.fields, profile=needs.profile(), actor=command.actor,
                            effective_date=needs.on)


def extend_certificate(donor: Donor, command: c.ExtendCertificate, needs: Needs) -> None:
    donor.extend_certificate(number=command.number, expires_on=command.expires_on,
                             profile=needs.profile(), actor=command.actor, effective_date=needs.on)


def amend_certificate(donor: Donor, command: c.AmendCertificate, needs: Needs) -> None:
    donor.amend_certificate(number=command.number, provinces=command.provinces,
                            fields=command.fields, actor=command.actor, effective_date=needs.on)


def suspend_certificate(donor: Donor, command: c.SuspendCertificate, needs: Needs) -> None:
    donor.suspend_certificate(number=command.number, reason=command.reason, until=command.until,
                              actor=command.actor, effective_date=needs.on)


def revoke_certificate(donor: Donor, command: c.RevokeCertificate, needs: Needs) -> None:
    donor.revoke_certificate(number=command.number, reason=command.reason, actor=command.actor,
                             effective_date=needs.on)


def terminate_certificate(donor: Donor, command: c.TerminateCertificate, needs: Needs) -> None:
    donor.terminate_certificate(number=command.number, reason=command.reason, actor=command.actor,
                                effective_date=needs.on)
