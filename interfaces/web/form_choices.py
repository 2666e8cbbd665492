"""What a command's form offers to choose from: the consultations awaiting an opinion, the
pending amendment, the reports awaiting review, a donor's certificates, the donors and the
provinces the person works in."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Request

from application.projections.queries import query_donors
from application.services import Services
from infrastructure.clock import today_in_vietnam
from infrastructure.tokens import Principal
from interfaces.http.routes.cases.common import visible_case
from interfaces.web.commands import CommandForm

DONOR_CHOICES = 200  # the views' page size


def choices_for(request: Request, services: Services, principal: Principal,
                form: CommandForm, target: UUID | None) -> tuple[int | None, dict[str, list[Any]]]:
    """The version the form is for and the choices of its fields that have a list."""
    if form.on_case and target is not None:
        case = visible_case(services, principal, target)
        return case.version, _case_choices(case.state())
    if form.on_donor and target is not None:
        donor = services.get_donor(target)
        return donor.version, {"number": sorted(donor.certificates)}
    if form.name == "open_case":
        return None, {"donor_id": _donors(request, principal),
                      "province": sorted(principal.provinces or ())}
    return None, {}


def _case_choices(state: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        "agency": [c["agency"] for c in state["consultations"] if not c.get("replied_on")],
        "amendment_id": [state["pending_amendment"]] if state.get("pending_amendment") else [],
        "report_id": [r["report_id"] for r in state["reports"] if r["status"] == "submitted"],
    }


def _donors(request: Request, principal: Principal) -> list[tuple[str, str]]:
    container = request.app.state.container
    scope = None if principal.provinces is None else sorted(principal.provinces)
    with container.views.transaction(write=False) as tx:
        page = query_donors(tx, provinces=scope, filters={}, as_of=today_in_vietnam(),
                            cursor=None, limit=DONOR_CHOICES, sort="name")
    named = {str(d["donor_id"]): f"{d['code']} — {d['name']}" for d in page.items}
    return sorted(named.items(), key=lambda pair: pair[1])
