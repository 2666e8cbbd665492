"""Reads of one case: its state (now, at a version, as of a moment) and its history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from application.services import event_payload
from domain.errors import InvalidInputError, NotFoundError
from domain.values import jsonable
from interfaces.http.auth import CurrentPrincipal
from interfaces.http.deps import ServicesDep
from interfaces.http.params import Uuid
from interfaces.http.permissions import reader_for
from interfaces.http.routes.cases.common import COMMAND_ERRORS, visible_case
from interfaces.http.schemas import cases as s
from interfaces.http.schemas.history import HistoryEvent, HistoryPage

router = APIRouter()


@router.get("/{case_id}", operation_id="get_case",
            response_model=s.CaseStateResponse, responses=COMMAND_ERRORS,
            summary="The case now, at a version, or as of a moment")
def get_case(case_id: Uuid, principal: CurrentPrincipal, services: ServicesDep,
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


@router.get("/{case_id}/history", operation_id="get_case_history",
            response_model=HistoryPage, responses=COMMAND_ERRORS,
            summary="Every event of the case, in order (auditors, focal officers, approvers)")
def case_history(case_id: Uuid, principal: CurrentPrincipal, services: ServicesDep,
                 after_version: Annotated[int, Query(ge=0, le=10**9)] = 0,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> HistoryPage:
    reader_for(principal, "read_history")
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
