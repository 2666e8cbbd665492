"""Money: commitments, receipts, disbursements, expenditures, refunds, budget entries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from application.commands.base import CaseCommand
from domain.money import Money
from domain.values import Deviation, Document, Goods


@dataclass(frozen=True, kw_only=True)
class RecordCommitment(CaseCommand):
    amount: Money
    agreement_ref: str
    rate_to_case: Decimal | None = None
    vnd_rate: Decimal | None = None
    note: str = ''
    deviation: Deviation | None = None
    audit_required: bool = False  # the donor's agreement requires an audit (check C23)


@dataclass(frozen=True, kw_only=True)
class MoneyMovement(CaseCommand):
    """A receipt, disbursement, expenditure or refund: the same facts, a different flow."""

    amount: Money
    rate_to_case: Decimal | None = None
    vnd_rate: Decimal | None = None
    aid_account: str | None = None
    in_kind: bool = False
    counterparty: str = ''
    note: str = ''
    deviation: Deviation | None = None


@dataclass(frozen=True, kw_only=True)
class RecordReceipt(MoneyMovement):
    goods: Goods | None = None  # received in kind: what, how many, in which unit


@dataclass(frozen=True, kw_only=True)
class RecordDisbursement(MoneyMovement):
    pass


@dataclass(frozen=True, kw_only=True)
class RecordExpenditure(MoneyMovement):
    pass


@dataclass(frozen=True, kw_only=True)
class RecordRefund(MoneyMovement):
    pass


@dataclass(frozen=True, kw_only=True)
class RecordBudgetEntry(CaseCommand):
    reference: str
    document: Document
    note: str = ''
