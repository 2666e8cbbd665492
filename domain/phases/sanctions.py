"""Authority decisions during implementation: suspension and resumption, revocation,
termination, and a delay justified before implementation starts."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import case_guards as g
from domain.phases.case_record import CaseRecord
from domain.values import Actor, Document


def suspend(case: CaseRecord, reason: str, decision: str, actor: Actor,
            effective_date: date) -> dict[str, Any]:
    g.require(case, "suspend")
    return {"reason": g.text(reason, "reason"), "decision": g.text(decision, "decision"),
            "previous_status": case.status, **g.who(actor, effective_date)}


def suspended(self: CaseRecord, reason: str, decision: str, previous_status: str, actor_id: str,
              actor_role: str, effective_date: date) -> None:
    self.status = g.SUSPENDED
    self.suspension = {"reason": reason, "decision": decision, "on": effective_date,
                       "by": actor_id, "previous_status": previous_status,
                       "resumed_on": None, "resume_decision": None}
    self.suspensions.append(self.suspension)


def resume(case: CaseRecord, decision: str, actor: Actor, effective_date: date) -> dict[str, Any]:
    g.require(case, "resume")
    assert case.suspension is not None
    return {"decision": g.text(decision, "decision"),
            "status": case.suspension["previous_status"], **g.who(actor, effective_date)}


def resumed(self: CaseRecord, decision: str, status: str, actor_id: str, actor_role: str,
            effective_date: date) -> None:
    self.status = status
    if self.suspension is not None:
        self.suspension["resumed_on"] = effective_date
        self.suspension["resume_decision"] = decision
    self.suspension = None


def revoke(case: CaseRecord, reason: str, decision: str, actor: Actor,
           effective_date: date) -> dict[str, Any]:
    g.require(case, "revoke")
    return {"reason": g.text(reason, "reason"), "decision": g.text(decision, "decision"),
            **g.who(actor, effective_date)}


def revoked(self: CaseRecord, reason: str, decision: str, actor_id: str, actor_role: str,
            effective_date: date) -> None:
    self.status = g.REVOKED
    self.revocation = {"reason": reason, "decision": decision, "on": effective_date,
                       "by": actor_id}


def terminate(case: CaseRecord, reason: str, decision: str, actor: Actor,
              effective_date: date) -> dict[str, Any]:
    g.require(case, "terminate")
    who = g.who(actor, effective_date)
    # Implementation that had started ends on the termination date.
    end = effective_date if case.actual_start and case.actual_end is None else None
    return {"reason": g.text(reason, "reason"), "decision": g.text(decision, "decision"),
            "actual_end": end, **who}


def terminated(self: CaseRecord, reason: str, decision: str, actual_end: date | None,
               actor_id: str, actor_role: str, effective_date: date) -> None:
    self.status = g.TERMINATED
    if actual_end is not None:
        self.actual_end = actual_end
    if self.suspension is not None:
        self.suspension = None
    self.termination = {"reason": reason, "decision": decision, "on": effective_date,
                        "by": actor_id}


def record_justified_delay(case: CaseRecord, reason: str, document: Document, actor: Actor,
                           effective_date: date) -> dict[str, Any]:
    g.require(case, "record_justified_delay")
    if case.actual_start is not None:
        raise g.refuse(case, "implementation has started: no delay to justify",
                       "implementation_started")
    return {"reason": g.text(reason, "reason"), "document": document.to_dict(),
            **g.who(actor, effective_date)}


def delay_justified(self: CaseRecord, reason: str, document: dict[str, str], actor_id: str,
                    actor_role: str, effective_date: date) -> None:
    self.delay_justified = {"reason": reason, "document": dict(document),
                            "on": effective_date, "by": actor_id}
