"""Handlers: money: commitments, receipts, disbursements, expenditures, refunds, budget
entries."""

from __future__ import annotations

from typing import Any

from application.commands import funds as c
from application.handlers.needs import Needs
from domain.case import AidCase


def record_commitment(case: AidCase, command: c.RecordCommitment, needs: Needs) -> None:
    case.record_commitment(amount=command.amount, agreement_ref=command.agreement_ref,
                           rate_to_case=command.rate_to_case, vnd_rate=command.vnd_rate,
                           note=command.note, deviation=command.deviation,
                           audit_required=command.audit_required,
                           profile=needs.case_profile(case), actor=command.actor,
                           effective_date=needs.on)


def record_receipt(case: AidCase, command: c.RecordReceipt, needs: Needs) -> None:
    case.record_receipt(**_movement(command), goods=command.goods, donor=needs.donor_of(case),
                        profile=needs.case_profile(case), actor=command.actor,
                        effective_date=needs.on)


def record_disbursement(case: AidCase, command: c.RecordDisbursement, needs: Needs) -> None:
    case.record_disbursement(**_movement(command), profile=needs.case_profile(case),
                             actor=command.actor, effective_date=needs.on)


def record_expenditure(case: AidCase, command: c.RecordExpenditure, needs: Needs) -> None:
    case.record_expenditure(**_movement(command), profile=needs.case_profile(case),
                            actor=command.actor, effective_date=needs.on)


def record_refund(case: AidCase, command: c.RecordRefund, needs: Needs) -> None:
    case.record_refund(**_movement(command), profile=needs.case_profile(case),
                       actor=command.actor, effective_date=needs.on)


def _movement(command: c.MoneyMovement) -> dict[str, Any]:
    return {"amount": command.amount, "rate_to_case": command.rate_to_case,
            "vnd_rate": command.vnd_rate, "aid_account": command.aid_account,
            "in_kind": command.in_kind, "counterparty": command.counterparty,
            "note": command.note, "deviation": command.deviation}


def record_budget_entry(case: AidCase, command: c.RecordBudgetEntry, needs: Needs) -> None:
    case.record_budget_entry(reference=command.reference, document=command.document,
                             note=command.note, actor=command.actor, effective_date=needs.on)
