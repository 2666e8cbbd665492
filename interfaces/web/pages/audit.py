"""Audit: each projection's position and lag (for anyone signed in, as the API's), the hash
chain's check and head hash, and the export (for auditors of every province, as the API's):
the API's own operations answer each."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, StreamingResponse

from application.errors import ForbiddenError, ProvincesNotEnoughError
from infrastructure.clock import today_in_vietnam
from infrastructure.tokens import Principal
from interfaces.http.permissions import reader_for, require_every_province
from interfaces.http.routes import ops
from interfaces.http.schemas.ops import VerifyResponse
from interfaces.web import reading
from interfaces.web.session import SignedIn
from interfaces.web.templating import render

router = reading.page_router()


def audit_refused(principal: Principal) -> str | None:
    """The API's code for why the person may not check or export the chain (None: an
    auditor of every province)."""
    try:
        reader_for(principal, "audit")
        require_every_province(principal, "the audit chain")
    except (ForbiddenError, ProvincesNotEnoughError) as refused:
        return str(refused.code)
    return None


def audit_page(request: Request, principal: Principal,
               verified: VerifyResponse | None) -> HTMLResponse:
    status = ops.projections(request, principal)
    context: dict[str, Any] = {
        "nav": "audit", "head": status.head, "projections": status.projections,
        "refused": audit_refused(principal), "verified": verified,
        "lagging": [p for p in status.projections if p.lag_events or p.status != "ok"],
    }
    return render(request, "audit.html", context)


@router.get("/audit")
def audit(request: Request, user: SignedIn) -> HTMLResponse:
    return audit_page(request, reading.principal_of(request, user), None)


@router.get("/audit/verify")
def audit_verify(request: Request, user: SignedIn) -> HTMLResponse:
    principal = reading.principal_of(request, user)
    return audit_page(request, principal, ops.audit_verify(request, principal))


@router.get("/audit/export")
def audit_export(request: Request, user: SignedIn) -> StreamingResponse:
    """The API's export (every event with its hashes, JSON Lines) as a file to keep."""
    response = ops.audit_export(request, reading.principal_of(request, user))
    name = f"aidtrail-audit-{today_in_vietnam().isoformat()}.jsonl"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
