"""Shared request parts: money, documents, deviations, and the conversion to domain values."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from domain.money import Money
from domain.values import Deviation, Document

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def printable(value: str) -> str:
    """Control characters have no place in a record (and XML exports cannot carry them)."""
    if _CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    return value


Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True),
                 AfterValidator(printable)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200,
                                             strip_whitespace=True), AfterValidator(printable)]
Label = Annotated[str, StringConstraints(max_length=200), AfterValidator(printable)]
Note = Annotated[str, StringConstraints(max_length=5000), AfterValidator(printable)]
LongText = Annotated[str, StringConstraints(max_length=10000), AfterValidator(printable)]
Uri = Annotated[str, StringConstraints(min_length=1, max_length=2000),
                AfterValidator(printable)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
# Business dates stay within a sane range: far-future or ancient dates are input errors.
BusinessDate = Annotated[date, Field(ge=date(1990, 1, 1), le=date(2100, 12, 31))]


def _not_a_number(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError(
            "number_not_allowed", "give amounts and rates as JSON strings (\"0.10\"), never as "
            "JSON numbers: a JSON number may have passed through a float")
    return value


# Amounts and rates are exact: a JSON string, never a JSON number. Their bounds are the
# domain's (``domain.bounds``), refused there as ``amount_out_of_range``.
DecimalText = Annotated[Decimal, BeforeValidator(_not_a_number),
                        WithJsonSchema({"type": "string", "format": "decimal"})]


class MoneyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: DecimalText = Field(description="Decimal as a string, e.g. \"1250.50\"",
                                examples=["250000.00"])
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["USD"])

    def to_domain(self) -> Money:
        return Money.of(self.amount, self.currency)


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Code = Field(examples=["project_document"])
    title: ShortText
    uri: Uri = Field(
        examples=["https://files.example/dossier/BN-2026-0042/project.pdf"])
    sha256: Annotated[str, StringConstraints(max_length=64)] = ""
    language: Annotated[str, StringConstraints(max_length=2)] = "vi"
    category: Annotated[str, StringConstraints(max_length=3)] = Field(
        "", description="IATI DocumentCategory code; derived from the kind when empty")

    def to_domain(self) -> Document:
        return Document(**self.model_dump())


class DeviationIn(BaseModel):
    """An explicit decision to record a fact that breaks a rule guard (it will be flagged)."""

    model_config = ConfigDict(extra="forbid")
    reason: Text = Field(examples=["Emergency relief arrived before the decision was signed"])
    document: ShortText = Field(examples=["Minutes 12/BB-UBND of 3 March 2026"])

    def to_domain(self) -> Deviation:
        return Deviation(reason=self.reason, document=self.document)


def _domain(value: Any) -> Any:
    if hasattr(value, "to_domain"):  # MoneyIn, DocumentIn, DeviationIn, GoodsIn
        return value.to_domain()
    if isinstance(value, list):
        return [_domain(v) for v in value]
    if isinstance(value, BaseModel):
        return value.model_dump()
    return value


class CommandRequest(BaseModel):
    """Every command body may carry the business date it happened (default: today)."""

    model_config = ConfigDict(extra="forbid")
    effective_date: BusinessDate | None = Field(
        None, description="Business date (Asia/Ho_Chi_Minh); today when omitted; may be "
        "back-dated")

    def to_kwargs(self) -> dict[str, Any]:
        out = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if value is None and name in ("effective_date", "deviation"):
                continue
            out[name] = _domain(value)
        return out
