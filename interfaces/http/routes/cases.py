"""Case commands and reads under /api/v1/cases (SPEC §6)."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from application.services import Services, event_payload
from domain.case import AidCase
from domain.errors import InvalidInputError, NotFoundError
from domain.values import jsonable
from infrastructure.tokens import Principal
from interfaces.http.auth import CurrentPrincipal, actor_for
from interfaces.http.commands import (
    CommandResponse,
    IdempotencyKey,
    IfMatch,
    parse_if_match,
    run_command,
)
from interfaces.http.deps import ServicesDep
from interfaces.http.guard import CommandRoute
from interfaces.http.schemas import cases as s
from interfaces.http.schemas.common import CommandRequest
from interfaces.http.schemas.history import HistoryEvent, HistoryPage

router = APIRouter(prefix="/cases", tags=["cases"], route_class=CommandRoute)

COMMAND_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {"application/problem+json": {}}}
    for code, text in [(401, "no or invalid token"), (403, "role not allowed"),
                       (404, "not found or outside your provinces"),
                       (409, "a process or rule guard refuses, or a concurrent write"),
                       (412, "stale If-Match"), (422, "invalid input"),
                       (503, "database unavailable")]
}


def visible_case(services: Services, principal: Principal, case_id: UUID,
                 version: int | None = None) -> AidCase:
    """The case, or 404 when it is outside the caller's provinces (it does not exist for them)."""
    case = services.get_case(case_id, version)
    if not principal.sees(case.province):
        raise NotFoundError(f"case {case_id} not found", code="case_not_found")
    return case


@router.post("", status_code=201, response_model=CommandResponse, responses=COMMAND_ERRORS,
             summary="Open a case (draft)")
def open_case(body: s.OpenCaseRequest, request: Request, principal: CurrentPrincipal,
              services: ServicesDep, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    actor = actor_for(principal, "open_case")
    if not principal.sees(body.province):
        raise NotFoundError(f"province {body.province} is outside your jurisdiction",
                            code="province_not_found")
    kwargs = body.to_kwargs()
    try:
        kwargs["donor_id"] = UUID(str(kwargs["donor_id"]))
    except ValueError:
        raise InvalidInputError("donor_id must be a uuid", code="invalid_donor_id",
                                field="donor_id") from None
    kwargs["sectors"] = [dict(x) for x in kwargs["sectors"]]
    return run_command(request, principal, body, idempotency_key,
                       lambda: services.open_case(actor=actor, **kwargs), created=True,
                       location=lambda r: f"{request.url.path}/{r.id}")


def _command_route(command: str, model: type[CommandRequest], path_key: str | None = None
                   ) -> Callable[..., JSONResponse]:
    def handle(case_id: UUID, body: CommandRequest, request: Request, principal: Principal,
               services: Services, if_match: str | None, idempotency_key: str | None,
               key: str | None) -> JSONResponse:
        actor = actor_for(principal, command)
        expected = parse_if_match(if_match)
        kwargs = body.to_kwargs()
        if path_key:
            kwargs[path_key] = key
        return run_command(request, principal, body, idempotency_key,
                           lambda: services.run_case(case_id, command, actor=actor,
                                                     expected_version=expected,
                                                     visible=lambda c: principal.sees(c.province),
                                                     **kwargs))

    def endpoint(case_id: UUID, body: Any, request: Request, principal: CurrentPrincipal,
                 services: ServicesDep, if_match: IfMatch = None,
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
        return handle(case_id, body, request, principal, services, if_match, idempotency_key,
                      None)

    def keyed(case_id: UUID, key: Annotated[str, Path(max_length=64)], body: Any,
              request: Request, principal: CurrentPrincipal, services: ServicesDep,
              if_match: IfMatch = None, idempotency_key: IdempotencyKey = None
              ) -> JSONResponse:
        return handle(case_id, body, request, principal, services, if_match, idempotency_key,
                      key)

    chosen = keyed if path_key else endpoint
    chosen.__annotations__["body"] = model
    chosen.__name__ = command
    return chosen


# path, command, body, the path parameter the command takes (if any)
COMMANDS: list[tuple[str, str, type[CommandRequest], str | None]] = [
    ("/{case_id}/documents", "attach_document", s.AttachDocumentRequest, None),
    ("/{case_id}/submit", "submit", s.SubmitRequest, None),
    ("/{case_id}/return", "return_dossier", s.ReturnDossierRequest, None),
    ("/{case_id}/accept", "accept_dossier", s.AcceptDossierRequest, None),
    ("/{case_id}/consultations", "request_consultation", s.RequestConsultationRequest, None),
    ("/{case_id}/consultations/{key}/opinion", "record_opinion", s.RecordOpinionRequest,
     "agency"),
    ("/{case_id}/appraisal", "complete_appraisal", s.CompleteAppraisalRequest, None),
    ("/{case_id}/approve", "approve", s.ApproveRequest, None),
    ("/{case_id}/reject", "reject", s.RejectRequest, None),
    ("/{case_id}/donor-notifications", "notify_donor", s.NotifyDonorRequest, None),
    ("/{case_id}/commitments", "record_commitment", s.RecordCommitmentRequest, None),
    ("/{case_id}/receipts", "record_receipt", s.RecordReceiptRequest, None),
    ("/{case_id}/disbursements", "record_disbursement", s.RecordDisbursementRequest, None),
    ("/{case_id}/expenditures", "record_expenditure", s.RecordExpenditureRequest, None),
    ("/{case_id}/refunds", "record_refund", s.RecordRefundRequest, None),
    ("/{case_id}/amendments", "request_amendment", s.RequestAmendmentRequest, None),
    ("/{case_id}/amendments/{key}/decision", "decide_amendment", s.DecideAmendmentRequest,
     "amendment_id"),
    ("/{case_id}/suspend", "suspend", s.SuspendRequest, None),
    ("/{case_id}/resume", "resume", s.ResumeRequest, None),
    ("/{case_id}/revoke", "revoke", s.RevokeRequest, None),
    ("/{case_id}/terminate", "terminate", s.TerminateRequest, None),
    ("/{case_id}/delay-justifications", "record_justified_delay", s.JustifyDelayRequest, None),
    ("/{case_id}/reports", "submit_report", s.SubmitReportRequest, None),
    ("/{case_id}/reports/{key}/review", "review_report", s.ReviewReportRequest, "report_id"),
    ("/{case_id}/complete", "complete_activities", s.CompleteActivitiesRequest, None),
    ("/{case_id}/handover", "record_handover", s.RecordHandoverRequest, None),
    ("/{case_id}/audits", "record_audit", s.RecordAuditRequest, None),
    ("/{case_id}/close", "close", s.CloseRequest, None),
]

for _path, _command, _model, _key in COMMANDS:
    router.add_api_route(_path, _command_route(_command, _model, _key), methods=["POST"],
                         response_model=CommandResponse, responses=COMMAND_ERRORS,
                         summary=_command.replace("_", " ").capitalize(),
                         operation_id=_command)


router.add_api_route("/{case_id}", _command_route("update_draft", s.UpdateDraftRequest),
                     methods=["PATCH"], response_model=CommandResponse, responses=COMMAND_ERRORS,
                     summary="Update a draft or returned case", operation_id="update_draft")


@router.get("/{case_id}", response_model=s.CaseStateResponse, responses=COMMAND_ERRORS,
            summary="The case now, at a version, or as of a moment")
def get_case(case_id: UUID, principal: CurrentPrincipal, services: ServicesDep,
             version: Annotated[int | None, Query(ge=1, le=10**9)] = None,
             as_of: Annotated[datetime | None, Query(description="ISO datetime")] = None
             ) -> Response:
    if version is not None and as_of is not None:
        raise InvalidInputError("give either version or as_of, not both", code="invalid_query")
    if as_of is not None:
        version = services.version_as_of(case_id, as_of)
    head = services.rendered_case(case_id)
    if not principal.sees(head.province):  # checked first: another province's case is a 404
        raise NotFoundError(f"case {case_id} not found", code="case_not_found")
    rendered = head if version is None else services.rendered_case(case_id, version)
    return Response(rendered.body, media_type="application/json",
                    headers={"ETag": f'"{rendered.version}"'})


@router.get("/{case_id}/history", response_model=HistoryPage, responses=COMMAND_ERRORS,
            summary="Every event of the case, in order (auditors, focal officers, approvers)")
def case_history(case_id: UUID, principal: CurrentPrincipal, services: ServicesDep,
                 after_version: Annotated[int, Query(ge=0, le=10**9)] = 0,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> HistoryPage:
    actor_for(principal, "read_history")
    visible_case(services, principal, case_id)
    events = services.history(case_id, after_version, limit)
    items = []
    for e in events:
        payload = jsonable(event_payload(e))
        items.append(HistoryEvent(
            type=type(e).__qualname__, version=e.originator_version, recorded_at=e.timestamp,
            effective_date=getattr(e, "effective_date", None),
            actor_id=getattr(e, "actor_id", None), actor_role=getattr(e, "actor_role", None),
            rule_profile=getattr(e, "rule_profile", None), payload=payload))
    more = len(events) == limit
    return HistoryPage(case_id=str(case_id), events=items,
                       next_after_version=events[-1].originator_version if more else None)
