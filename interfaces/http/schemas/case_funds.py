"""Request bodies of the money commands: commitments, receipts (with goods received in
kind), disbursements, expenditures, refunds and budget entries."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from domain.values import Goods
from interfaces.http.schemas.cases import Rate
from interfaces.http.schemas.common import (
    CommandRequest,
    DecimalText,
    DeviationIn,
    DocumentIn,
    Label,
    MoneyIn,
    Note,
    ShortText,
)


class MoneyMovementRequest(CommandRequest):
    amount: MoneyIn
    rate_to_case: Rate | None = Field(None, description="Case-currency units per unit")
    vnd_rate: Rate | None = Field(None, description="VND per unit")
    aid_account: Label | None = None
    in_kind: bool = False
    counterparty: Label = ""
    note: Note = ""
    deviation: DeviationIn | None = None


class RecordCommitmentRequest(CommandRequest):
    amount: MoneyIn
    agreement_ref: ShortText
    rate_to_case: Rate | None = None
    vnd_rate: Rate | None = None
    note: Note = ""
    deviation: DeviationIn | None = None
    audit_required: bool = Field(False, description="The donor's agreement requires an audit "
                                 "before the case closes (check C23)")


class GoodsIn(BaseModel):
    """Goods received in kind: their value is the receipt's amount."""

    model_config = ConfigDict(extra="forbid")
    kind: ShortText = Field(description="What was received", examples=["Gạo"])
    quantity: DecimalText = Field(description="How many, in `unit`: a decimal as a string "
                                  "(above 0, below 10^12, at most 3 decimals)",
                                  examples=["12000"])
    unit: ShortText = Field(description="The unit of `quantity`", examples=["kg"])

    def to_domain(self) -> Goods:
        return Goods(kind=self.kind, quantity=self.quantity, unit=self.unit)


class RecordReceiptRequest(MoneyMovementRequest):
    goods: GoodsIn | None = Field(None, description="Aid in kind: the goods received (with "
                                  "`in_kind`)")


class RecordDisbursementRequest(MoneyMovementRequest):
    pass


class RecordExpenditureRequest(MoneyMovementRequest):
    pass


class RecordRefundRequest(MoneyMovementRequest):
    pass


class RecordBudgetEntryRequest(CommandRequest):
    reference: ShortText
    document: DocumentIn
    note: Note = ""
