"""Amendments: a change to the approved amount, period or wording, requested and decided."""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from decimal import Decimal
from typing import Any, cast

from domain import case_guards as g
from domain import policy
from domain.errors import ConflictError, InvalidInputError, NotFoundError
from domain.phases import records as r
from domain.phases.case_record import CaseRecord
from domain.rules import RuleProfile
from domain.values import Actor, Deviation, as_date

AMENDABLE = ("approved_amount", "vnd_rate", "planned_start", "planned_end", "title",
             "description")


def request_amendment(case: CaseRecord, changes: dict[str, Any], reason: str,
                      amendment_id: str | None, actor: Actor,
                      effective_date: date) -> dict[str, Any]:
    g.require(case, "request_amendment")
    who = g.who(actor, effective_date)
    if case.pending_amendment() is not None:
        raise g.refuse(case, "another amendment is pending a decision", "amendment_pending")
    normalised = _changes(case, changes)
    aid = g.text(amendment_id, "amendment_id") if amendment_id is not None \
        else f"A{len(case.amendments) + 1}"
    if any(a["id"] == aid for a in case.amendments):
        raise ConflictError(f"amendment {aid} exists already", code="duplicate_amendment")
    return {"amendment_id": aid, "changes": normalised, "reason": g.text(reason, "reason"),
            **who}


def _changes(case: CaseRecord, changes: Any) -> dict[str, Any]:
    if not isinstance(changes, dict) or not changes or set(changes) - set(AMENDABLE):
        raise InvalidInputError(f"changes: a non-empty subset of {', '.join(AMENDABLE)}",
                                code="amendment_changes", field="changes")
    result: dict[str, Any] = {}
    if "approved_amount" in changes:
        amount = g.case_money(case, changes["approved_amount"], "approved_amount")
        if amount.amount < case.totals["disbursed"] + case.totals["spent"]:
            raise InvalidInputError("the amount cannot fall below what was already used",
                                    code="amendment_below_used", field="approved_amount")
        rate, vnd = g.vnd_equivalent(amount, changes.get("vnd_rate"),
                                     amount_field="approved_amount")
        result.update(approved_amount=amount.amount, vnd_rate=rate, approved_vnd=vnd)
    elif "vnd_rate" in changes:
        raise InvalidInputError("vnd_rate goes with approved_amount",
                                code="amendment_changes", field="changes")
    for name in ("planned_start", "planned_end"):
        if name in changes:
            result[name] = as_date(changes[name], name)
    if result.get("planned_start", case.planned_start) > result.get("planned_end",
                                                                     case.planned_end):
        raise InvalidInputError("planned start must not be after planned end",
                                code="date_order", field="planned_end")
    for name in ("title", "description"):
        if name in changes:
            result[name] = g.text(changes[name], name, empty=name == "description")
    return result


def amendment_requested(self: CaseRecord, amendment_id: str, changes: dict[str, Any],
                        reason: str, actor_id: str, actor_role: str,
                        effective_date: date) -> None:
    self.amendments.append({"id": amendment_id,
                            "changes": cast(r.AmendmentChanges, deepcopy(changes)),
                            "reason": reason, "status": "pending",
                            "requested_on": effective_date, "requested_by": actor_id,
                            "decision": None})


def decide_amendment(case: CaseRecord, *, amendment_id: str, approved: bool, decision_no: str,
                     signer: str, authority_level: str, reasons: list[str] | None,
                     profile: RuleProfile, actor: Actor, effective_date: date,
                     deviation: Deviation | None) -> dict[str, Any]:
    """The fields of ``AmendmentApproved`` if ``approved``, else of ``AmendmentRefused``."""
    g.require(case, "decide_amendment")
    who = g.who(actor, effective_date)
    amendment = next((a for a in case.amendments if a["id"] == amendment_id), None)
    if amendment is None:
        raise NotFoundError(f"no amendment {amendment_id}", code="amendment_not_found")
    if amendment["status"] != "pending":
        raise g.refuse(case, f"amendment {amendment_id} is {amendment['status']}",
                       "amendment_not_pending")
    assert case.approval is not None
    required = str(case.approval["required_authority_level"])
    level = g.text(authority_level, "authority_level")
    vnd = amendment["changes"].get("approved_vnd", case.approved_vnd) or Decimal(0)
    violations = []
    # Decree 80/2020 Art. 7: an amendment is decided at the original approval's level.
    if not policy.authority_covers(profile, required=required, signer_level=level,
                                   vnd_amount=vnd):
        violations.append(g.Violation("authority_level",
                                      f"{level} may not decide: {required} is required"))
    violations += g.segregation(case, actor, amendment["requested_by"])
    decision: dict[str, Any] = {"decision_no": g.text(decision_no, "decision_no"),
                                "signer": g.text(signer, "signer"), "authority_level": level,
                                "required_authority_level": required}
    if approved:
        entries = g.resolve(violations, deviation, profile)
        return {"amendment_id": amendment_id, **decision, "changes": dict(amendment["changes"]),
                "rule_profile": profile.ref, "deviations": entries, **who}
    why = g.texts(reasons, "reasons")
    entries = g.resolve(violations, deviation, profile)
    return {"amendment_id": amendment_id, **decision, "reasons": why,
            "rule_profile": profile.ref, "deviations": entries, **who}


def amendment_approved(self: CaseRecord, amendment_id: str, decision_no: str, signer: str,
                       authority_level: str, required_authority_level: str,
                       changes: dict[str, Any], rule_profile: str,
                       deviations: list[dict[str, str]], actor_id: str, actor_role: str,
                       effective_date: date) -> None:
    _decide(self, amendment_id, "approved", locals())
    if "approved_amount" in changes:
        self.approved_amount = changes["approved_amount"]
        self.approved_vnd = changes["approved_vnd"]
    for name in ("planned_start", "planned_end", "title", "description"):
        if name in changes:
            setattr(self, name, changes[name])


def amendment_refused(self: CaseRecord, amendment_id: str, decision_no: str, signer: str,
                      authority_level: str, required_authority_level: str,
                      reasons: list[str], rule_profile: str,
                      deviations: list[dict[str, str]], actor_id: str, actor_role: str,
                      effective_date: date) -> None:
    _decide(self, amendment_id, "refused", locals())


def _decide(case: CaseRecord, amendment_id: str, status: str, fields: dict[str, Any]) -> None:
    amendment = next(a for a in case.amendments if a["id"] == amendment_id)
    amendment["status"] = status
    amendment["decision"] = cast(r.AmendmentDecision, {
        k: deepcopy(v) for k, v in fields.items()
        if k not in ("self", "amendment_id", "changes", "deviations", "actor_role")})
    event_name = "AmendmentApproved" if status == "approved" else "AmendmentRefused"
    g.note_deviations(case, event_name, fields["deviations"], fields["effective_date"])
