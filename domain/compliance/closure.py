"""C23: an audit the rules require, recorded before the case is closed."""

from __future__ import annotations

from decimal import Decimal

from domain.compliance.context import Context


# C23 [warning] not verified: the approved VND amount from which the rules require an audit
# is rule data (none in Decree 80/2020 as read).
def c23_required_audit_missing(cx: Context) -> None:
    """Closed without the audit its rules require → until an audit is recorded."""
    closure, threshold = cx.case.closure, cx.profile.params.get("audit_required_from_vnd")
    approved = cx.case.approved_vnd
    if closure is None or threshold is None or not str(threshold.value).strip():
        return
    if approved is None or approved < Decimal(str(threshold.value)):
        return
    closed_on = closure["on"]
    if any(a["on"] <= closed_on for a in cx.case.audits):
        return
    later = [a["on"] for a in cx.case.audits]
    cx.add("C23", f"closed on {closed_on.isoformat()} without the audit required from "
           f"{threshold.value} VND approved", cx.cite("audit_required_from_vnd"), closed_on,
           min(later) if later else None,
           evidence=cx.h.named("Closed") + cx.h.named("AuditRecorded", which=0),
           verified=cx.profile.verified("audit_required_from_vnd"))
