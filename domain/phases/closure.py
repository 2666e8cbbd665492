"""Closure: activities completed, assets handed over, audits, and the case closed."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import case_guards as g
from domain import policy
from domain.errors import InvalidInputError
from domain.phases import reporting
from domain.phases.case_record import CaseRecord
from domain.rules import RuleProfile
from domain.values import Actor, Document, as_date


def complete_activities(case: CaseRecord, actual_end: date, today: date, actor: Actor,
                        effective_date: date) -> dict[str, Any]:
    g.require(case, "complete_activities")
    who = g.who(actor, effective_date)
    actual_end = as_date(actual_end, "actual_end")
    if case.pending_amendment() is not None:
        raise g.refuse(case, "an amendment is pending a decision", "amendment_pending")
    if actual_end > as_date(today, "today"):
        raise InvalidInputError("the actual end cannot be in the future",
                                code="actual_end_in_future", field="actual_end")
    if case.actual_start is not None and actual_end < case.actual_start:
        raise InvalidInputError("the actual end cannot precede the actual start",
                                code="date_order", field="actual_end")
    return {"actual_end": actual_end, **who}


def activities_completed(self: CaseRecord, actual_end: date, actor_id: str, actor_role: str,
                         effective_date: date) -> None:
    self.status = g.COMPLETED
    self.actual_end = actual_end


def record_handover(case: CaseRecord, document: Document, note: str, actor: Actor,
                    effective_date: date) -> dict[str, Any]:
    g.require(case, "record_handover")
    return {"document": document.to_dict(), "note": note, **g.who(actor, effective_date)}


def assets_handed_over(self: CaseRecord, document: dict[str, str], note: str, actor_id: str,
                       actor_role: str, effective_date: date) -> None:
    self.handover = {"document": dict(document), "note": note, "on": effective_date,
                     "by": actor_id}


def record_audit(case: CaseRecord, auditor: str, summary: str, document: Document, actor: Actor,
                 effective_date: date) -> dict[str, Any]:
    g.require(case, "record_audit")
    return {"auditor": g.text(auditor, "auditor"), "summary": g.text(summary, "summary"),
            "document": document.to_dict(), **g.who(actor, effective_date)}


def audit_recorded(self: CaseRecord, auditor: str, summary: str, document: dict[str, str],
                   actor_id: str, actor_role: str, effective_date: date) -> None:
    self.audits.append({"auditor": auditor, "summary": summary, "document": dict(document),
                        "on": effective_date, "by": actor_id})


def close(case: CaseRecord, profile: RuleProfile, actor: Actor,
          effective_date: date) -> dict[str, Any]:
    g.require(case, "close")
    who = g.who(actor, effective_date)
    problems: list[tuple[str, str]] = []
    kinds = {r["kind"] for r in case.reports.values() if r["status"] == "accepted"}
    missing = [k for k in (policy.COMPLETION, policy.SETTLEMENT) if k not in kinds]
    if missing:
        problems.append(("reports_not_accepted", f"not accepted: {', '.join(missing)}"))
    if case.handover is None:
        problems.append(("handover_missing", "no handover recorded"))
    overdue = [o["report_id"] for o in reporting.obligations(case, profile, effective_date)
               if o["overdue"]]
    if overdue:
        problems.append(("reports_overdue", f"overdue: {', '.join(overdue)}"))
    if case.balance != 0:
        problems.append(("balance_unexplained", f"balance {case.balance} {case.currency}"
                                                " is not zero: record a refund"))
    if problems:
        raise g.refuse(case, "cannot close: " + "; ".join(p[1] for p in problems),
                       problems[0][0], problems=[p[0] for p in problems])
    return {"rule_profile": profile.ref, **who}


def closed(self: CaseRecord, rule_profile: str, actor_id: str, actor_role: str,
           effective_date: date) -> None:
    self.status = g.CLOSED
    self.closure = {"on": effective_date, "by": actor_id, "rule_profile": rule_profile}
