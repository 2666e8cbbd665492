"""Bodies of the donor-register commands (Decree 58/2022 certificates)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from interfaces.http.schemas.common import (
    BusinessDate,
    Code,
    CommandRequest,
    Label,
    ShortText,
    Text,
)

CertificateNumber = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                                     pattern=r"^[A-Za-z0-9_.:/-]+$")]
Codes = Annotated[list[Code], Field(min_length=1, max_length=100)]


class RegisterDonorRequest(CommandRequest):
    code: Code = Field(examples=["NGO-SAVE-VN"])
    name: ShortText = Field(examples=["Save the Children International"])
    country: str = Field(pattern=r"^[A-Z]{2}$", examples=["GB"])
    kind: Literal["foreign_ngo", "foreign_government", "multilateral", "individual", "other"]
    iati_ref: Label | None = Field(
        None, examples=["GB-CHC-1076822"])


class IssueCertificateRequest(CommandRequest):
    number: CertificateNumber = Field(examples=["123/GDK-BNG"])
    kind: Literal["operation", "representative_office"]
    issued_on: BusinessDate
    expires_on: BusinessDate
    provinces: Codes = Field(examples=[["BN", "HN"]])
    fields: Codes = Field(description="DAC sector codes or prefixes", examples=[["122", "140"]])


class ExtendCertificateRequest(CommandRequest):
    expires_on: BusinessDate


class AmendCertificateRequest(CommandRequest):
    provinces: Codes
    fields: Codes


class SuspendCertificateRequest(CommandRequest):
    reason: Text
    until: BusinessDate | None = None


class EndCertificateRequest(CommandRequest):
    reason: Text


class DonorStateResponse(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    code: str
    name: str
    version: int
