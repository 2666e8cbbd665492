"""Funds: commitments, receipts, disbursements, expenditures and refunds (SPEC §2.3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from domain import bounds
from domain import case_guards as g
from domain.donor import Donor
from domain.errors import InvalidInputError
from domain.money import Money, minor_units, quantize_for, to_decimal
from domain.phases import records as r
from domain.phases.case_record import CaseRecord
from domain.rules import RuleProfile
from domain.values import Actor, Deviation, Document, Goods

MONEY_EVENTS = {"committed": "CommitmentRecorded", "received": "FundsReceived",
                "disbursed": "DisbursementRecorded", "spent": "ExpenditureRecorded",
                "refunded": "RefundRecorded"}


def movement(case_currency: str, money: Money, rate_to_case: Any,
             vnd_rate: Any) -> dict[str, Any]:
    """The amounts a money event records: own currency, case currency, VND (SPEC §2.3)."""
    if not isinstance(money, Money):
        raise InvalidInputError("amount must be Money", code="invalid_amount", field="amount")
    if not money.is_positive:
        raise InvalidInputError("amount must be positive", code="invalid_amount", field="amount")
    if money.currency == case_currency:
        if rate_to_case is not None and to_decimal(rate_to_case, "rate_to_case") != 1:
            raise InvalidInputError("same currency: rate_to_case is 1", code="invalid_rate",
                                    field="rate_to_case")
        rate = Decimal(1)
    elif rate_to_case is None:
        raise InvalidInputError(f"rate_to_case is required for {money.currency}",
                                code="rate_required", field="rate_to_case")
    else:
        rate = g.positive_rate(rate_to_case, "rate_to_case")
        bounds.check_rate_to_case(rate)
    own_vnd_rate, vnd_amount = g.vnd_equivalent(money, vnd_rate)
    bounds.check_amount(money.amount * rate, case_currency, minor_units(case_currency), "amount",
                        f"its value in the case currency {case_currency}")
    return {"amount": money.amount, "currency": money.currency, "rate_to_case": rate,
            "case_amount": quantize_for(case_currency, money.amount * rate),
            "vnd_rate": own_vnd_rate, "vnd_amount": vnd_amount}


def case_movement(case: CaseRecord, kind: str, amount: Money, rate_to_case: Any,
                  vnd_rate: Any) -> dict[str, Any]:
    """The event's amounts, with the case's ``kind`` totals after it within the bounds."""
    m = movement(case.currency, amount, rate_to_case, vnd_rate)
    g.check_totals(case.currency, kind, case.totals[kind] + m["case_amount"],
                   case.totals_vnd[kind] + m["vnd_amount"])
    return m


def movement_rules(case: CaseRecord, on: date, in_kind: bool,
                   aid_account: str | None) -> list[g.Violation]:
    violations = []
    if case.status in g.PRE_APPROVAL:
        violations.append(g.Violation("receipt_before_approval",
                                      "aid may be received and used only after approval"))
    if not case.planned_start <= on <= case.planned_end:
        violations.append(g.Violation(
            "outside_approved_period", f"{on.isoformat()} is outside the approved period "
            f"{case.planned_start.isoformat()}..{case.planned_end.isoformat()}"))
    if not in_kind and not (aid_account or "").strip():
        violations.append(g.Violation("aid_account_missing",
                                      "cash must pass through the aid account"))
    return violations


def record_commitment(case: CaseRecord, amount: Money, agreement_ref: str,
                      rate_to_case: Decimal | None, vnd_rate: Decimal | None, note: str,
                      profile: RuleProfile, actor: Actor, effective_date: date,
                      deviation: Deviation | None, audit_required: bool = False
                      ) -> dict[str, Any]:
    g.require_money(case, "record_commitment")
    who = g.who(actor, effective_date)
    m = case_movement(case, "committed", amount, rate_to_case, vnd_rate)
    violations = []
    if case.approved_amount is not None and \
            case.totals["committed"] + m["case_amount"] > case.approved_amount:
        violations.append(g.Violation(
            "commitment_exceeds_approved",
            f"commitments would exceed the approved {case.approved_amount} {case.currency}"))
    entries = g.resolve(violations, deviation, profile)
    # The donor's agreement may require an audit before closing (check C23).
    return {**m, "agreement_ref": g.text(agreement_ref, "agreement_ref"), "note": note,
            "rule_profile": profile.ref, "deviations": entries, **who,
            **({"audit_required": True} if audit_required else {})}


def record_receipt(case: CaseRecord, amount: Money, rate_to_case: Decimal | None,
                   vnd_rate: Decimal | None, aid_account: str | None, in_kind: bool,
                   donor: Donor, profile: RuleProfile, actor: Actor, effective_date: date,
                   deviation: Deviation | None, goods: Goods | None = None) -> dict[str, Any]:
    g.require_money(case, "record_receipt")
    if goods is not None and not in_kind:
        raise InvalidInputError("goods are recorded on a receipt in kind: set in_kind",
                                code="goods_without_in_kind", field="goods")
    who = g.who(actor, effective_date)
    g.check_donor(case, donor)
    m = case_movement(case, "received", amount, rate_to_case, vnd_rate)
    violations = movement_rules(case, effective_date, in_kind, aid_account)
    found = g.certificate_violation(donor, effective_date, case.province, case.sectors)
    if found:
        violations.insert(1 if case.status in g.PRE_APPROVAL else 0, found)
    entries = g.resolve(violations, deviation, profile)
    # The first receipt after approval starts the implementation.
    return {**m, "in_kind": bool(in_kind), "aid_account": aid_account or "",
            "starts_implementation": case.status == g.APPROVED, "rule_profile": profile.ref,
            "deviations": entries, **who, **({"goods": goods.record()} if goods else {})}


def use_of_funds(case: CaseRecord, kind: str, amount: Money, rate_to_case: Decimal | None,
                 vnd_rate: Decimal | None, aid_account: str | None, in_kind: bool,
                 profile: RuleProfile, actor: Actor, effective_date: date,
                 deviation: Deviation | None) -> dict[str, Any]:
    """A disbursement's or an expenditure's fields (less counterparty and note); ``kind`` is
    the total it adds to (``disbursed`` or ``spent``)."""
    g.require_money(case, "record_disbursement" if kind == "disbursed" else "record_expenditure")
    who = g.who(actor, effective_date)
    m = case_movement(case, kind, amount, rate_to_case, vnd_rate)
    violations = movement_rules(case, effective_date, in_kind, aid_account)
    used = case.totals["disbursed"] + case.totals["spent"] + m["case_amount"]
    # Disbursed + spent within received (plus the profile's tolerance) and approved.
    ceiling = case.totals["received"] * (1 + g.tolerance(profile) / 100)
    over = []
    if used > ceiling:
        over.append(f"uses {used} exceed receipts {case.totals['received']}")
    if case.approved_amount is not None and used > case.approved_amount:
        over.append(f"uses {used} exceed the approved {case.approved_amount}")
    if over:
        at = 1 if case.status in g.PRE_APPROVAL else 0
        violations.insert(at, g.Violation("overspending", f"{'; '.join(over)} "
                                                          f"{case.currency}"))
    entries = g.resolve(violations, deviation, profile)
    return {**m, "in_kind": bool(in_kind), "aid_account": aid_account or "",
            "rule_profile": profile.ref, "deviations": entries, **who}


def record_refund(case: CaseRecord, amount: Money, rate_to_case: Decimal | None,
                  vnd_rate: Decimal | None, aid_account: str | None, in_kind: bool,
                  profile: RuleProfile, actor: Actor, effective_date: date,
                  deviation: Deviation | None) -> dict[str, Any]:
    """A refund's fields (less counterparty and note)."""
    g.require_money(case, "record_refund")
    who = g.who(actor, effective_date)
    m = case_movement(case, "refunded", amount, rate_to_case, vnd_rate)
    violations = []
    if m["case_amount"] > case.balance:
        violations.append(g.Violation(
            "overspending", f"a refund of {m['case_amount']} exceeds the balance "
                            f"{case.balance} {case.currency}"))
    if not in_kind and not aid_account:
        violations.append(g.Violation("aid_account_missing",
                                      "cash must leave through the aid account"))
    entries = g.resolve(violations, deviation, profile)
    return {**m, "in_kind": bool(in_kind), "aid_account": aid_account or "",
            "rule_profile": profile.ref, "deviations": entries, **who}


# --- the money events: each books its amounts on one total -----------------------------------

def commitment_recorded(self: CaseRecord, amount: Decimal, currency: str, rate_to_case: Decimal,
                        case_amount: Decimal, vnd_rate: Decimal, vnd_amount: Decimal,
                        agreement_ref: str, note: str, rule_profile: str,
                        deviations: list[dict[str, str]], actor_id: str, actor_role: str,
                        effective_date: date, audit_required: bool = False) -> None:
    _book(self, "committed", locals())


def funds_received(self: CaseRecord, amount: Decimal, currency: str, rate_to_case: Decimal,
                   case_amount: Decimal, vnd_rate: Decimal, vnd_amount: Decimal,
                   in_kind: bool, aid_account: str, counterparty: str, note: str,
                   starts_implementation: bool, rule_profile: str,
                   deviations: list[dict[str, str]], actor_id: str, actor_role: str,
                   effective_date: date, goods: dict[str, Any] | None = None) -> None:
    if starts_implementation:
        self.status = g.IN_IMPLEMENTATION
        self.actual_start = effective_date
    _book(self, "received", locals())


def disbursement_recorded(self: CaseRecord, amount: Decimal, currency: str,
                          rate_to_case: Decimal, case_amount: Decimal, vnd_rate: Decimal,
                          vnd_amount: Decimal, in_kind: bool, aid_account: str,
                          counterparty: str, note: str, rule_profile: str,
                          deviations: list[dict[str, str]], actor_id: str, actor_role: str,
                          effective_date: date) -> None:
    _book(self, "disbursed", locals())


def expenditure_recorded(self: CaseRecord, amount: Decimal, currency: str,
                         rate_to_case: Decimal, case_amount: Decimal, vnd_rate: Decimal,
                         vnd_amount: Decimal, in_kind: bool, aid_account: str,
                         counterparty: str, note: str, rule_profile: str,
                         deviations: list[dict[str, str]], actor_id: str, actor_role: str,
                         effective_date: date) -> None:
    _book(self, "spent", locals())


def refund_recorded(self: CaseRecord, amount: Decimal, currency: str, rate_to_case: Decimal,
                    case_amount: Decimal, vnd_rate: Decimal, vnd_amount: Decimal,
                    in_kind: bool, aid_account: str, counterparty: str, note: str,
                    rule_profile: str, deviations: list[dict[str, str]], actor_id: str,
                    actor_role: str, effective_date: date) -> None:
    _book(self, "refunded", locals())


# Fields added to money events after the first were stored: goods (receipts in kind) and
# audit_required (commitments). A transaction names them only when given.
LATER_FIELDS = ("goods", "audit_required")


def _book(case: CaseRecord, total: str, fields: dict[str, Any]) -> None:
    """Apply a money event: running totals and the transaction list (replay-safe)."""
    case.totals[total] += fields["case_amount"]
    case.totals_vnd[total] += fields["vnd_amount"]
    record = {k: v for k, v in fields.items() if k not in ("self", "deviations")
              and not (k in LATER_FIELDS and not v)}  # kept only when given: old states stay
    case.transactions.append(cast(r.Transaction, {"kind": total, **record,
                                                  "by": fields["actor_id"]}))
    g.note_deviations(case, MONEY_EVENTS[total], fields["deviations"], fields["effective_date"])


# After approval: an entry may precede the receipts it covers (they are estimated too).
BUDGET_STATES = (g.APPROVED, g.IN_IMPLEMENTATION, g.SUSPENDED, g.COMPLETED, g.TERMINATED,
                 g.CLOSED)


def record_budget_entry(case: CaseRecord, reference: str, document: Document, note: str,
                        actor: Actor, effective_date: date) -> dict[str, Any]:
    g.require_in(case, "record_budget_entry", BUDGET_STATES)
    who = g.who(actor, effective_date)
    if not case.state_budget_revenue:
        raise g.refuse(case, "the aid is not state-budget revenue: nothing to enter in the "
                       "budget", "not_state_budget_revenue")
    if not isinstance(document, Document):
        raise InvalidInputError("document must be a Document", code="invalid_document")
    return {"reference": g.text(reference, "reference"), "document": document.to_dict(),
            "note": note, **who}


def budget_entry_recorded(self: CaseRecord, reference: str, document: dict[str, str],
                          note: str, actor_id: str, actor_role: str,
                          effective_date: date) -> None:
    self.budget_entries = [*self.budget_entries, {
        "reference": reference, "document": dict(document), "note": note,
        "on": effective_date, "by": actor_id}]
