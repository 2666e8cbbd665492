"""What a case's page shows: the case at its head or an earlier version, its money, its
timeline, flags, obligations and documents, and the commands the person may give now."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import Request

from application.errors import ForbiddenError
from application.projections.queries_compliance import query_compliance, query_obligations
from application.services import Services, event_payload
from domain.errors import InvalidInputError
from domain.values import jsonable
from infrastructure.clock import today_in_vietnam
from infrastructure.tokens import Principal
from interfaces.container import Container
from interfaces.http.permissions import reader_for
from interfaces.http.routes.cases.common import visible_case
from interfaces.web.commands import may_give

MONEY = ("committed", "received", "disbursed", "spent", "refunded")
TIMELINE_LIMIT = 1000


def case_page_context(request: Request, services: Services, principal: Principal,
                      case_id: UUID, version: int | None, as_of: datetime | None
                      ) -> dict[str, Any]:
    head = visible_case(services, principal, case_id)
    if version is not None and as_of is not None:
        raise InvalidInputError("give either a version or a moment, not both",
                                code="invalid_query")
    if as_of is not None:
        version = services.version_as_of(case_id, as_of)
    if version is not None and version > head.version:
        raise InvalidInputError(f"version {version} is beyond the head ({head.version})",
                                code="version_beyond_head", field="version")
    case = head if version in (None, head.version) else services.get_case(case_id, version)
    state = case.state()
    container: Container = request.app.state.container
    return {
        "case": state, "head_version": head.version, "at_head": case.version == head.version,
        "money_rows": [(kind, state["totals"].get(kind), state["totals_vnd"].get(kind))
                  for kind in MONEY if kind in state["totals"]],
        "commands": [name for name in state["allowed_commands"] if may_give(principal, name)]
        if case.version == head.version else [],
        "timeline": _timeline(services, principal, case_id),
        **_compliance(container, principal, case_id),
    }


def _timeline(services: Services, principal: Principal, case_id: UUID
              ) -> list[dict[str, Any]] | None:
    """The case's events, for the roles that may read its history (None for the others)."""
    try:
        reader_for(principal, "read_history")
    except ForbiddenError:
        return None
    out = []
    for event in services.history(case_id, 0, TIMELINE_LIMIT):
        payload = jsonable(event_payload(event))
        out.append({
            "type": type(event).__qualname__, "version": event.originator_version,
            "recorded_at": event.timestamp, "effective_date": getattr(event, "effective_date",
                                                                      None),
            "actor": getattr(event, "actor_id", None), "role": getattr(event, "actor_role", None),
            "rule_profile": getattr(event, "rule_profile", None),
            "deviation": payload.get("deviation") if isinstance(payload, dict) else None})
    return out


def _compliance(container: Container, principal: Principal, case_id: UUID) -> dict[str, Any]:
    scope = None if principal.provinces is None else sorted(principal.provinces)
    today = today_in_vietnam()
    with container.views.transaction(write=False) as tx:
        flags, _ = query_compliance(tx, provinces=scope, filters={
            "case_id": str(case_id), "state": "all"}, as_of=today, cursor=None, limit=200,
            sort="-active_from")
        obligations, _ = query_obligations(tx, provinces=scope, filters={
            "case_id": str(case_id)}, as_of=today, cursor=None, limit=200, sort="due_on")
    return {"flags": flags, "obligations": obligations, "today": today}
