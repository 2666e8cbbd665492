"""The donors' steps: registration, certificates, and the suspension or revocation of one."""

from __future__ import annotations

from datetime import date, timedelta

from domain import policy
from domain.donor import Donor
from interfaces.demo.dataset import Cert, Dataset
from interfaces.demo.schedule import Schedule


def plan_donors(demo: Schedule, data: Dataset) -> None:
    registry = data.registry
    for donor in data.donors:
        donor_id = Donor.create_id(donor.code)
        issued = [issue_date(demo, c) for c in donor.certs]
        registered = (min(issued) if issued else demo.ago(1500)) - timedelta(days=30)
        demo.add(registered, "register", None, "register_donor", registry, code=donor.code,
                 name=donor.name, country=donor.country, kind=donor.kind, iati_ref=None)
        for cert, on in zip(donor.certs, issued, strict=True):
            demo.add(on, "donor", donor_id, "issue_certificate", registry,
                     number=cert.number, kind=cert.kind, issued_on=on,
                     expires_on=expiry(demo, cert, on), provinces=list(cert.provinces),
                     fields=list(cert.fields))
        last = donor.certs[-1].number if donor.certs else ""
        if donor.suspended_days_ago is not None:
            on = demo.ago(donor.suspended_days_ago)
            demo.cutoff[donor.code] = on
            demo.add(on, "donor", donor_id, "suspend_certificate", registry, number=last,
                     reason="Inspection found activities outside the certified fields; "
                            "suspended pending clarification by the Ministry of Foreign "
                            "Affairs")
        if donor.revoked_days_ago is not None:
            on = demo.ago(donor.revoked_days_ago)
            demo.cutoff[donor.code] = on
            demo.add(on, "donor", donor_id, "revoke_certificate", registry, number=last,
                     reason="Repeated failure to report and funds used outside the "
                            "certified provinces")


def issue_date(demo: Schedule, cert: Cert) -> date:
    if cert.expires_in_days is not None:  # the longest validity, ending on that day
        months = 36 if cert.kind == "operation" else 60
        return policy.add_months(demo.today + timedelta(days=cert.expires_in_days),
                                 -months)
    return policy.add_months(demo.today, -cert.issued_months_ago)


def expiry(demo: Schedule, cert: Cert, issued: date) -> date:
    if cert.expires_in_days is not None:
        return demo.today + timedelta(days=cert.expires_in_days)
    months = 36 if cert.kind == "operation" else 60
    return policy.add_months(issued, months) - timedelta(days=1)
