"""Bodies of the case commands (one ``<Command>Request`` per command)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from interfaces.http.schemas.common import (
    BusinessDate,
    Code,
    CommandRequest,
    DecimalText,
    DeviationIn,
    DocumentIn,
    Label,
    LongText,
    MoneyIn,
    Note,
    ShortText,
    Text,
)

Reference = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]{2,39}$")]
Rate = Annotated[DecimalText, Field(gt=0, decimal_places=10)]
Reasons = Annotated[list[Text], Field(min_length=1, max_length=50)]
AidForm = Literal["programme", "technical_assistance_project", "investment_project",
                  "non_project_cash", "non_project_goods", "non_project_experts",
                  "non_project_events", "disaster_relief", "humanitarian_unaddressed"]
Flag = Literal["security", "defence", "religion", "legal_drafting", "pm_reserved_goods"]
AuthorityLevel = Annotated[str, StringConstraints(pattern=r"^[a-z_]{3,64}$")]


class SectorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^\d{5}$", examples=["12220"])
    percentage: Decimal = Field(gt=0, le=100, max_digits=6, decimal_places=2, examples=["100"])


class OpenCaseRequest(CommandRequest):
    reference: Reference = Field(examples=["BN-2026-0042"])
    title: ShortText = Field(examples=["Clean water for Gia Binh commune"])
    description: LongText = ""
    aid_form: AidForm
    donor_id: Any = Field(description="The donor's id (uuid)")
    province: Code = Field(examples=["BN"])
    managing_agency: ShortText = Field(examples=["Bac Ninh Provincial People's Committee"])
    aid_owner: ShortText = Field(examples=["Gia Binh District Health Centre"])
    sectors: Annotated[list[SectorIn], Field(min_length=1, max_length=20)]
    planned_start: BusinessDate
    planned_end: BusinessDate
    requested: MoneyIn
    requested_vnd_rate: Rate | None = Field(None, description="VND per unit; omit for VND")
    state_budget_revenue: bool = False
    sensitive_flags: Annotated[list[Flag], Field(max_length=5)] = []
    moha_licensed: bool = False
    legal_basis: Label | None = Field(
        None, description="Override the rule profile (legacy imports only)")
    commune_code: Code | None = Field(None, description="The commune's code (checked against "
                                      "the configured commune list, if any); with its name")
    commune_name: ShortText | None = Field(None, description="The commune's name")
    former_district: ShortText | None = Field(
        None, description="The district the case was filed under (cases from before 1 July "
                          "2025, when districts were abolished)")
    aid_owner_kind: Literal["commune", "provincial_department", "organisation"] | None = Field(
        None, description="What body the aid owner is")


class UpdateDraftRequest(CommandRequest):
    title: ShortText | None = None
    description: LongText | None = None
    aid_form: AidForm | None = None
    province: Code | None = None
    managing_agency: ShortText | None = None
    aid_owner: ShortText | None = None
    sectors: Annotated[list[SectorIn], Field(min_length=1, max_length=20)] | None = None
    planned_start: BusinessDate | None = None
    planned_end: BusinessDate | None = None
    requested: MoneyIn | None = None
    requested_vnd_rate: Rate | None = None
    state_budget_revenue: bool | None = None
    sensitive_flags: Annotated[list[Flag], Field(max_length=5)] | None = None
    moha_licensed: bool | None = None

    def to_kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in super().to_kwargs().items() if v is not None}


class AttachDocumentRequest(CommandRequest):
    document: DocumentIn


class SubmitRequest(CommandRequest):
    deviation: DeviationIn | None = None


class ReturnDossierRequest(CommandRequest):
    reasons: Reasons


class AcceptDossierRequest(CommandRequest):
    pass


class RequestConsultationRequest(CommandRequest):
    agency: Code = Field(examples=["VUFO"])


class RecordOpinionRequest(CommandRequest):
    stance: Literal["agree", "agree_with_conditions", "disagree", "no_opinion"]
    summary: Note = ""
    document: DocumentIn | None = None


class CompleteAppraisalRequest(CommandRequest):
    recommendation: Literal["approve", "approve_with_conditions", "reject"]
    note: Note = ""


class ApproveRequest(CommandRequest):
    decision_no: ShortText = Field(examples=["123/QD-UBND"])
    decision_date: BusinessDate
    signer: ShortText = Field(examples=["Nguyen Van A, Chair"])
    authority_level: AuthorityLevel = Field(examples=["head_of_managing_agency"])
    approved_amount: MoneyIn
    vnd_rate: Rate | None = None
    conditions: Annotated[list[Text], Field(max_length=50)] | None = None
    deviation: DeviationIn | None = None


class RecordTransitionReviewRequest(CommandRequest):
    note: Text
    document: DocumentIn


class RejectRequest(CommandRequest):
    decision_no: ShortText
    reasons: Reasons


class NotifyDonorRequest(CommandRequest):
    about: Literal["rejection", "revocation"]
    document: DocumentIn | None = None


class AmendmentChanges(BaseModel):
    model_config = ConfigDict(extra="forbid")
    approved_amount: MoneyIn | None = None
    vnd_rate: Rate | None = None
    planned_start: BusinessDate | None = None
    planned_end: BusinessDate | None = None
    title: ShortText | None = None
    description: LongText | None = None


class RequestAmendmentRequest(CommandRequest):
    changes: AmendmentChanges
    reason: Text
    amendment_id: Code | None = None

    def to_kwargs(self) -> dict[str, Any]:
        kwargs = super().to_kwargs()
        changes = {k: getattr(self.changes, k) for k in AmendmentChanges.model_fields
                   if getattr(self.changes, k) is not None}
        if "approved_amount" in changes:
            changes["approved_amount"] = self.changes.approved_amount.to_domain()  # type: ignore[union-attr]
        kwargs["changes"] = changes
        return kwargs


class DecideAmendmentRequest(CommandRequest):
    approved: bool
    decision_no: ShortText
    signer: ShortText
    authority_level: AuthorityLevel
    reasons: Annotated[list[Text], Field(max_length=50)] | None = None
    deviation: DeviationIn | None = None


class SuspendRequest(CommandRequest):
    reason: Text
    decision: ShortText


class ResumeRequest(CommandRequest):
    decision: ShortText


class RevokeRequest(CommandRequest):
    reason: Text
    decision: ShortText


class TerminateRequest(CommandRequest):
    reason: Text
    decision: ShortText


class JustifyDelayRequest(CommandRequest):
    reason: Text
    document: DocumentIn


class SubmitReportRequest(CommandRequest):
    kind: Literal["half_year", "annual", "completion", "settlement"]
    period_start: BusinessDate
    period_end: BusinessDate
    document: DocumentIn
    report_id: Code | None = None


class ReviewReportRequest(CommandRequest):
    accepted: bool
    reasons: Annotated[list[Text], Field(max_length=50)] | None = None


class CompleteActivitiesRequest(CommandRequest):
    actual_end: BusinessDate


class RecordHandoverRequest(CommandRequest):
    document: DocumentIn
    note: Note = ""


class RecordAuditRequest(CommandRequest):
    auditor: ShortText
    summary: Text
    document: DocumentIn


class CloseRequest(CommandRequest):
    pass


class CaseStateResponse(BaseModel):
    """The case as it is (or was, with ?version / ?as_of)."""

    model_config = ConfigDict(extra="allow")
    id: str
    reference: str
    status: str
    version: int

