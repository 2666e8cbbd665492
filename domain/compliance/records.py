"""Typed records of the case state the checks read, made once from the aggregate's dicts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from domain.case import AidCase


class Transaction(NamedTuple):  # a tuple: made for every movement of every evaluation
    kind: str  # committed, received, disbursed, spent or refunded
    effective_date: date
    case_amount: Decimal
    in_kind: bool
    aid_account: str

    @classmethod
    def of(cls, t: Mapping[str, Any]) -> Transaction:
        return cls(t["kind"], t["effective_date"], t["case_amount"], bool(t.get("in_kind")),
                   str(t.get("aid_account")))


@dataclass(frozen=True)
class Approval:
    decision_date: date
    approved_amount: Decimal
    approved_vnd: Decimal | None
    approved_by: str
    authority_level: str
    required_authority_level: str
    implementation_deadline: date | None

    @classmethod
    def of(cls, a: Mapping[str, Any]) -> Approval:
        return cls(a["decision_date"], a["approved_amount"], a["approved_vnd"], a["approved_by"],
                   a["authority_level"], a["required_authority_level"],
                   a.get("implementation_deadline"))


@dataclass(frozen=True)
class Decision:
    """The decision on an amendment."""

    effective_date: date
    authority_level: str
    required_authority_level: str


@dataclass(frozen=True)
class Amendment:
    id: str
    status: str  # pending, approved or refused
    changes: Mapping[str, Any]  # field name -> new value
    decision: Decision | None

    @classmethod
    def of(cls, a: Mapping[str, Any]) -> Amendment:
        d = a.get("decision")
        return cls(a["id"], a["status"], a["changes"], None if d is None else Decision(
            d["effective_date"], d["authority_level"], d["required_authority_level"]))

    @property
    def approved(self) -> bool:
        return self.status == "approved"


@dataclass(frozen=True)
class DeviationEntry:
    """A rule knowingly broken, recorded with the event that broke it."""

    rule: str
    event: str
    effective_date: date
    reason: str
    document: str

    @classmethod
    def of(cls, e: Mapping[str, Any]) -> DeviationEntry:
        return cls(e["rule"], e["event"], e["effective_date"], e["reason"], e["document"])

    def text(self) -> str:
        return f"deviation recorded: {self.reason} (document {self.document})"


@dataclass(frozen=True)
class Appraisal:
    accepted_on: date
    due_on: date
    completed_on: date | None


@dataclass(frozen=True)
class Consultation:
    agency: str
    reply_due_on: date
    replied_on: date | None


@dataclass(frozen=True)
class Notification:
    about: str  # rejection or revocation
    on: date


@dataclass(frozen=True)
class CaseFacts:
    """What the checks read of a case, typed."""

    transactions: tuple[Transaction, ...]
    approval: Approval | None
    amendments: tuple[Amendment, ...]
    deviations: tuple[DeviationEntry, ...]
    appraisal: Appraisal | None
    consultations: tuple[Consultation, ...]
    submitted_on: tuple[date, ...]
    returned_on: tuple[date, ...]
    notifications: tuple[Notification, ...]
    sectors: tuple[str, ...]

    @classmethod
    def of(cls, case: AidCase, transactions: tuple[Transaction, ...] | None = None
           ) -> CaseFacts:
        """``transactions``: those of ``case.transactions`` as records, when the caller has
        them already."""
        a, p = case.approval, case.appraisal
        return cls(
            transactions if transactions is not None
            else tuple(Transaction.of(t) for t in case.transactions),
            None if a is None else Approval.of(a),
            tuple(Amendment.of(x) for x in case.amendments),
            tuple(DeviationEntry.of(e) for e in case.deviations),
            None if p is None else Appraisal(p["accepted_on"], p["due_on"],
                                             p.get("completed_on")),
            tuple(Consultation(agency, c["reply_due_on"], c["replied_on"])
                  for agency, c in case.consultations.items()),
            tuple(s["on"] for s in case.submissions), tuple(r["on"] for r in case.returns),
            tuple(Notification(n["about"], n["on"]) for n in case.donor_notifications),
            tuple(s["code"] for s in case.sectors))


def dated(record: Mapping[str, Any] | None) -> date | None:
    """The business date of a dated record (a revocation, a closure...), if there is one."""
    return record["on"] if record else None
