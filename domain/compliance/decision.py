"""Checks on the decisions: C02 the signing authority, C07 implementation after approval,
C17 the donor told of a refusal or revocation, C18 segregation of duties, C22 aid with no
named locality routed to the Vietnam Fatherland Front."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain import case_guards as g
from domain import policy
from domain.compliance.context import Context
from domain.compliance.timeline import DAY


# C02 [critical] Decree 80/2020 Art. 7 (not read): approval and amendments by the competent
# authority.
def c02_wrong_approving_authority(cx: Context) -> None:
    """The approval or an amendment decided by an authority below the one required."""
    ref = g.rule_ref("authority_level", cx.profile)
    # (signed at, required, VND amount, business date, what, evidence)
    decisions: list[tuple[str, str, Decimal | None, date, str, list[int]]] = []
    a = cx.facts.approval
    if a is not None:
        decisions.append((a.authority_level, a.required_authority_level, a.approved_vnd,
                          a.decision_date, "approval", cx.h.named("Approved")))
    for am in cx.facts.amendments:
        d = am.decision
        if d is not None:
            event = "AmendmentApproved" if am.approved else "AmendmentRefused"
            decisions.append((d.authority_level, d.required_authority_level,
                              am.changes.get("approved_vnd", cx.case.approved_vnd),
                              d.effective_date, f"amendment {am.id} decision",
                              cx.h.named(event, am.id)))
    for signed, required, vnd, on, what, versions in decisions:
        if not policy.authority_covers(cx.profile, required=required, signer_level=signed,
                                       vnd_amount=vnd or Decimal(0)):
            cx.add("C02", f"{what} signed at {signed}; {required} is required", ref, on,
                   evidence=versions, verified=g.rule_verified("authority_level", cx.profile))
    cx.from_deviations("authority_level", "decided by an authority other than the required")


# C07 [warning] Decree 80/2020 Art. 4: an approval not implemented within 6 months may be revoked.
def c07_not_implemented_after_approval(cx: Context) -> None:
    """No receipt and no justified delay by the implementation deadline."""
    approval = cx.facts.approval
    if approval is None:
        return
    deadline = approval.implementation_deadline or policy.implementation_deadline(
        cx.profile, approval.decision_date)
    stops: list[tuple[date, list[int]]] = []
    receipts = list(cx.transactions(("received",)))
    if receipts:
        first = min(receipts, key=lambda r: r[0].effective_date)
        stops.append((first[0].effective_date, first[1]))
    for record, event in ((cx.case.delay_justified, "DelayJustified"),
                          (cx.case.revocation, "Revoked"), (cx.case.termination, "Terminated")):
        if record is not None:
            stops.append((record["on"], cx.h.named(event)))
    stop = min(stops, key=lambda s: s[0]) if stops else None
    months = cx.profile.value("implementation_start_months")
    cx.add("C07", f"no receipt and no justified delay {months} months after approval "
           f"(deadline {deadline.isoformat()}): revocation candidate",
           cx.cite("implementation_start_months"), deadline + DAY, stop[0] if stop else None,
           evidence=cx.h.named("Approved") + (stop[1] if stop else []),
           verified=cx.profile.verified("implementation_start_months"))


# C17 [warning] Decree 80/2020: the donor is notified of a revocation (Art. 4) or a refusal.
def c17_donor_not_notified(cx: Context) -> None:
    """A rejection or revocation the donor was not (yet) notified of."""
    for record, about, event in ((cx.case.rejection, "rejection", "Rejected"),
                                 (cx.case.revocation, "revocation", "Revoked")):
        if record is None:
            continue
        on: date = record["on"]
        told = [n.on for n in cx.facts.notifications if n.about == about]
        basis = cx.profile.basis(f"donor_notified_of_{about}")
        cx.add("C17", f"the donor was not notified of the {about} of {on.isoformat()}",
               basis.citation, on, min(told) if told else None,
               evidence=cx.h.named(event) + cx.h.named("DonorNotified", about, 0),
               verified=basis.verified)


# C18 [critical] internal control: the approver neither submitted nor appraised the case.
def c18_segregation_of_duties(cx: Context) -> None:
    """The approver also submitted or appraised the case."""
    a = cx.facts.approval
    if a is not None and a.approved_by in {cx.case.submitted_by, cx.case.appraised_by}:
        cx.add("C18", f"{a.approved_by} approved a case they submitted or appraised",
               g.rule_ref("segregation_of_duties", cx.profile), a.decision_date,
               evidence=cx.h.named("Approved"),
               verified=g.rule_verified("segregation_of_duties", cx.profile))
    cx.from_deviations("segregation_of_duties", "segregation of duties broken")


# C22 [critical] Decree 80/2020 Art. 3 and Art. 7(4): humanitarian aid with no named
# locality is managed by the Vietnam Fatherland Front's central agency, approved by its
# President.
def c22_unaddressed_aid_not_routed_to_vff(cx: Context) -> None:
    """Humanitarian aid with no named locality submitted to another managing agency, or
    approved by another authority than the Front's President."""
    agency = cx.profile.params.get("humanitarian_unaddressed_managing_agency")
    if cx.case.aid_form != "humanitarian_unaddressed" or agency is None:
        return
    ref = cx.cite("humanitarian_unaddressed_managing_agency")
    verified = cx.profile.verified("humanitarian_unaddressed_managing_agency")
    submitted = cx.facts.submitted_on
    if submitted and cx.case.managing_agency.strip().casefold() != str(agency.value).casefold():
        cx.add("C22", f"managed by {cx.case.managing_agency}, not the {agency.value}", ref,
               submitted[0], evidence=cx.h.named("DossierSubmitted", which=0),
               verified=verified)
    a, level = cx.facts.approval, str(cx.profile.authority.get("humanitarian_unaddressed"))
    if a is not None and a.authority_level != level:
        # The level comes from the approval-competence block: verified only if it is too.
        cx.add("C22", f"approved at {a.authority_level}, not {level}", ref, a.decision_date,
               evidence=cx.h.named("Approved"),
               verified=verified and cx.profile.basis("authority_level").verified)
