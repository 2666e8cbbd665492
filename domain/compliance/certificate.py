"""Checks on the donor's registration certificate: C03 invalid, C04 expiring soon."""

from __future__ import annotations

from datetime import date, timedelta

from domain import case_guards as g
from domain.compliance.certificates import DonorCertificates
from domain.compliance.context import Context
from domain.compliance.timeline import DAY, active_interval, intervals


# C03 [critical] Decree 58/2022: a foreign NGO works only under a valid certificate that
# covers the province and the fields; checked at submission, approval and each receipt,
# and on every day the case is active (a suspension or revocation flags it at once).
def c03_donor_certificate_invalid(cx: Context) -> None:
    """No valid certificate covering the case at submission, approval, a receipt, or on a
    day the case is active."""
    ref = g.rule_ref("donor_certificate_invalid", cx.profile)
    verified = g.rule_verified("donor_certificate_invalid", cx.profile)
    cx.from_deviations("donor_certificate_invalid", "donor certificate invalid")
    donor, certs = cx.donor, cx.certificates
    if donor is None or certs is None or not donor.is_foreign_ngo:
        return
    province, sectors = cx.case.province, cx.facts.sectors
    moments: list[tuple[date, str, list[int]]] = []
    submitted = cx.h.named("DossierSubmitted", which=None)
    for i, on in enumerate(cx.facts.submitted_on):
        moments.append((on, "submission", submitted[i:i + 1]))
    if cx.facts.approval is not None:
        moments.append((cx.facts.approval.decision_date, "approval", cx.h.named("Approved")))
    for t, versions in cx.transactions(("received",)):
        moments.append((t.effective_date, "receipt", versions))
    for on, what, versions in moments:
        problem = certs.problem(on, province, sectors)
        if problem:
            cx.add("C03", f"at {what} on {on.isoformat()}: {problem}", ref, on,
                   evidence=versions, verified=verified)
    active = active_interval(cx.case)
    if active is None:
        return

    def invalid(day: date) -> bool:
        return certs.problem(day, province, sectors) is not None

    for start, until in intervals(certs.dates(0), invalid, *active):
        problem = certs.problem(start, province, sectors)
        cx.add("C03", f"while the case is active, from {start.isoformat()}: {problem}",
               ref, start, until, evidence=cx.h.named("Approved"),
               donor_evidence=_certificate_events(cx, certs, start), verified=verified)


# C04 [warning] Decree 58/2022 certificate validity; the warning window is not verified.
def c04_donor_certificate_expiring(cx: Context) -> None:
    """The certificate covering an active case expires within the warning window."""
    donor, certs, active = cx.donor, cx.certificates, active_interval(cx.case)
    if donor is None or certs is None or not donor.is_foreign_ngo or active is None:
        return
    days = int(cx.profile.value("certificate_expiry_warning_days"))
    province, sectors = cx.case.province, cx.facts.sectors

    def expiries(day: date) -> list[date]:
        result = []
        for number in donor.certificates:
            view = certs.as_of(number, day)
            if (view is not None and view["issued_on"] <= day <= view["expires_on"]
                    and view["status"] == "active" and province in view["provinces"]
                    and all(any(s.startswith(f) for f in view["fields"]) for s in sectors)):
                result.append(view["expires_on"])
        return result

    def expiring(day: date) -> bool:
        found = expiries(day)
        return bool(found) and max(found) <= day + timedelta(days=days)

    ref = ("Decree 58/2022/ND-CP: certificate validity; "
           + cx.cite("certificate_expiry_warning_days"))
    verified = (g.rule_verified("donor_certificate_invalid", cx.profile)
                and cx.profile.verified("certificate_expiry_warning_days"))
    for start, until in intervals(certs.dates(days), expiring, *active):
        expiry = max(expiries(start))
        cx.add("C04", f"the donor's certificate expires on {expiry.isoformat()} "
               f"(within {days} days) while the case is active", ref, start, until,
               evidence=cx.h.named("Approved"),
               donor_evidence=_certificate_events(cx, certs, start, expiry),
               verified=verified)


def _certificate_events(cx: Context, certs: DonorCertificates, start: date,
                        expiry: date | None = None) -> list[int]:
    """The donor events behind a change on ``start`` (or that set ``expiry``)."""
    found: list[int] = []
    for c in certs.changes():
        exp = c.expires_on
        if c.effective_date == start or (exp and exp + DAY == start) or (
                expiry is not None and exp == expiry) or c.issued_on == start:
            found += cx.h.certificate(c.number, c.index)
    return found
