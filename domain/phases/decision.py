"""The decision: approval (by the competent authority), rejection, the donor notified."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain import case_guards as g
from domain import policy
from domain.donor import Donor
from domain.money import Money
from domain.phases.case_record import CaseRecord
from domain.rules import RuleProfile
from domain.values import Actor, Deviation, Document, as_date


def approve(case: CaseRecord, *, decision_no: str, decision_date: date, signer: str,
            authority_level: str, approved_amount: Money, vnd_rate: Decimal | None,
            conditions: list[str] | None, donor: Donor, profile: RuleProfile, actor: Actor,
            effective_date: date, deviation: Deviation | None) -> dict[str, Any]:
    g.require(case, "approve")
    who = g.who(actor, effective_date)
    decision_date = as_date(decision_date, "decision_date")
    g.check_donor(case, donor)
    amount = g.case_money(case, approved_amount, "approved_amount")
    rate, vnd = g.vnd_equivalent(amount, vnd_rate, amount_field="approved_amount")
    level = g.text(authority_level, "authority_level")
    # Decree 80/2020 Art. 7: the competent authority, unless a recorded delegation covers it.
    required = policy.required_authority(
        profile, aid_form=case.aid_form, sensitive_flags=case.sensitive_flags,
        moha_licensed=case.moha_licensed, vnd_amount=vnd)
    violations = []
    if not policy.authority_covers(profile, required=required, signer_level=level,
                                   vnd_amount=vnd):
        violations.append(g.Violation("authority_level",
                                      f"{level} may not approve: {required} is required"))
    found = g.certificate_violation(donor, decision_date, case.province, case.sectors)
    if found:
        violations.append(found)
    violations += g.segregation(case, actor)
    entries = g.resolve(violations, deviation, profile)
    return {
        "decision_no": g.text(decision_no, "decision_no"), "decision_date": decision_date,
        "signer": g.text(signer, "signer"), "authority_level": level,
        "required_authority_level": required, "approved_amount": amount.amount,
        "vnd_rate": rate, "approved_vnd": vnd,
        "conditions": [g.text(c, "conditions") for c in conditions or ()],
        "implementation_deadline": policy.implementation_deadline(profile, decision_date),
        "rule_profile": profile.ref, "deviations": entries, **who}


def approved(self: CaseRecord, decision_no: str, decision_date: date, signer: str,
             authority_level: str, required_authority_level: str,
             approved_amount: Decimal, vnd_rate: Decimal, approved_vnd: Decimal,
             conditions: list[str], implementation_deadline: date, rule_profile: str,
             deviations: list[dict[str, str]], actor_id: str, actor_role: str,
             effective_date: date) -> None:
    self.status = g.APPROVED
    self.approval = {
        "decision_no": decision_no, "decision_date": decision_date, "signer": signer,
        "authority_level": authority_level,
        "required_authority_level": required_authority_level,
        "approved_amount": approved_amount, "vnd_rate": vnd_rate,
        "approved_vnd": approved_vnd, "conditions": list(conditions),
        "implementation_deadline": implementation_deadline, "rule_profile": rule_profile,
        "approved_by": actor_id, "approved_on": effective_date,
    }
    self.approved_amount = self.original_approved_amount = approved_amount
    self.approved_vnd = approved_vnd
    g.note_deviations(self, "Approved", deviations, effective_date)


def reject(case: CaseRecord, decision_no: str, reasons: list[str], actor: Actor,
           effective_date: date) -> dict[str, Any]:
    g.require(case, "reject")
    return {"decision_no": g.text(decision_no, "decision_no"),
            "reasons": g.texts(reasons, "reasons"), **g.who(actor, effective_date)}


def rejected(self: CaseRecord, decision_no: str, reasons: list[str], actor_id: str,
             actor_role: str, effective_date: date) -> None:
    self.status = g.REJECTED
    self.rejection = {"decision_no": decision_no, "reasons": list(reasons),
                      "on": effective_date, "by": actor_id}


def notify_donor(case: CaseRecord, about: str, document: Document | None, actor: Actor,
                 effective_date: date) -> dict[str, Any]:
    g.require(case, "notify_donor")
    about = g.choice(about, ("rejection", "revocation"), "about")
    if (about == "rejection") != (case.status == g.REJECTED):
        raise g.refuse(case, f"nothing to notify about: the case is {case.status}",
                       "transition_not_allowed")
    return {"about": about, "document": document.to_dict() if document else None,
            **g.who(actor, effective_date)}


def donor_notified(self: CaseRecord, about: str, document: dict[str, str] | None, actor_id: str,
                   actor_role: str, effective_date: date) -> None:
    self.donor_notifications.append({"about": about, "on": effective_date, "by": actor_id,
                                     "document": dict(document) if document else None})


# Cases approved under rules since replaced (Decree 80/2020 by Decree 313/2025).
REVIEW_STATES = (g.APPROVED, g.IN_IMPLEMENTATION, g.SUSPENDED, g.COMPLETED, g.TERMINATED)


def record_transition_review(case: CaseRecord, note: str, document: Document,
                             profile: RuleProfile, actor: Actor,
                             effective_date: date) -> dict[str, Any]:
    """``profile``: the rules in force on the review's date, which the case is reviewed
    against; they must be other than those it was approved under."""
    g.require_in(case, "record_transition_review", REVIEW_STATES)
    who = g.who(actor, effective_date)
    assert case.approval is not None  # every state of REVIEW_STATES follows the approval
    if case.approval["rule_profile"].split("@")[0] == profile.id:
        raise g.refuse(case, f"the case was approved under {profile.instrument}, the rules "
                       "in force: there is no transition to review", "no_rules_transition")
    return {"rule_profile": profile.ref, "note": g.text(note, "note"),
            "document": document.to_dict(), **who}


def transition_reviewed(self: CaseRecord, rule_profile: str, note: str,
                        document: dict[str, str], actor_id: str, actor_role: str,
                        effective_date: date) -> None:
    self.transition_reviews = [*self.transition_reviews, {
        "rule_profile": rule_profile, "note": note, "document": dict(document),
        "on": effective_date, "by": actor_id}]
