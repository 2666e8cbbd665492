"""IATI 2.03 export under /api/v1 (SPEC §6, §7): one case, or every visible case."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from application.iati import ReportingOrg
from application.iati_export import (
    IatiExport,
    export_activities,
    export_case,
    list_case_ids,
    select_cases,
)
from infrastructure.iati_publications import IatiPublications
from infrastructure.iati_validation import IatiValidator
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.deps import ServicesDep
from interfaces.http.params import Uuid
from interfaces.http.routes.cases.common import COMMAND_ERRORS

router = APIRouter(tags=["iati"])
XML = "application/xml"
_HEADERS = {
    "X-IATI-Activities": {"description": "how many activities the file holds",
                          "schema": {"type": "integer"}},
    "X-IATI-Excluded": {"description": "references of the cases left out because they do "
                                       "not validate (see the per-case export for why)",
                        "schema": {"type": "string"}},
    "X-IATI-Validated": {"description": "false when the IATI schema and codelists were not "
                                        "found (AIDTRAIL_IATI_DIR): only the standard rules "
                                        "were checked", "schema": {"type": "boolean"}},
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "an iati-activities file (IATI 2.03)", "content": {XML: {}},
          "headers": _HEADERS},
    **{code: COMMAND_ERRORS[code] for code in (401, 403, 404, 503)},
    409: {"description": "the case was published under another identifier "
                         "(code iati_identifier_changed)",
          "content": {"application/problem+json": {}}},
    422: {"description": "invalid query, or the case does not validate (code "
                         "iati_activity_invalid, with its problems)",
          "content": {"application/problem+json": {}}},
}


def _parts(request: Request) -> tuple[ReportingOrg, IatiValidator, IatiPublications]:
    container = request.app.state.container
    s = container.settings
    org = ReportingOrg(ref=s.reporting_org_ref, name=s.reporting_org_name,
                       type=s.reporting_org_type)
    return org, IatiValidator(s.iati_dir), container.iati_publications


def _response(result: IatiExport, validator: IatiValidator) -> Response:
    headers = {"X-IATI-Activities": str(len(result.published)),
               "X-IATI-Validated": "true" if validator.available else "false"}
    if result.excluded:
        headers["X-IATI-Excluded"] = ",".join(sorted(result.excluded))
    if not validator.available:
        # Header values are Latin-1: a configured path must not break the response.
        reason = validator.unavailable_reason.replace('"', "'").encode("ascii", "replace")
        headers["Warning"] = f'199 aidtrail "{reason.decode()}"'
    return Response(result.xml, media_type=XML, headers=headers)


@router.get("/iati/activities.xml", operation_id="export_iati_activities",
            response_class=Response, responses=RESPONSES,
            summary="Every visible case past approval as IATI 2.03 activities")
def activities(request: Request, principal: CurrentPrincipal, services: ServicesDep,
               province: Annotated[str | None, Query(max_length=16)] = None,
               donor: Annotated[Uuid | None, Query(description="donor id")] = None,
               status: Annotated[str | None, Query(max_length=32)] = None,
               include_pipeline: bool = False) -> Response:
    org, validator, publications = _parts(request)
    cases = select_cases(services, list_case_ids(services.app), province=province,
                         donor_id=donor, status=status, include_pipeline=include_pipeline,
                         sees=principal.sees)
    result = export_activities(services, cases, org=org, validator=validator,
                               publications=publications)
    return _response(result, validator)


@router.get("/cases/{case_id}/iati.xml", operation_id="export_case_iati_activity",
            response_class=Response, responses=RESPONSES,
            summary="One case as an IATI 2.03 activity")
def case_activity(case_id: Uuid, request: Request, principal: CurrentPrincipal,
                  services: ServicesDep) -> Response:
    org, validator, publications = _parts(request)
    result = export_case(services, case_id, org=org, validator=validator,
                         publications=publications, sees=principal.sees)
    return _response(result, validator)
