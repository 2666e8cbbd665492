"""C23: an audit required, by the rules or by the donor's agreement, recorded before the case
is closed."""

from __future__ import annotations

from decimal import Decimal

from domain.compliance.context import Context


# C23 [warning] by the rules: not verified, the approved VND amount from which the rules
# require an audit is rule data (none in Decree 80/2020 as read); by the donor: the
# agreement recorded with the commitment (`audit_required`), a fact of the case.
def c23_required_audit_missing(cx: Context) -> None:
    """Closed without the audit its rules or its donor require → until an audit is recorded."""
    closure = cx.case.closure
    if closure is None:
        return
    closed_on = closure["on"]
    if any(a["on"] <= closed_on for a in cx.case.audits):
        return
    by_rules = _required_by_rules(cx)
    agreements = [t["agreement_ref"] for t in cx.case.transactions
                  if t["kind"] == "committed" and t.get("audit_required")]
    if not by_rules and not agreements:
        return
    later = [a["on"] for a in cx.case.audits]
    why = f"the donor's agreement {', '.join(agreements)}" if agreements else \
        f"the rules, from {cx.profile.params['audit_required_from_vnd'].value} VND approved"
    rule_ref = f"aid agreement {', '.join(agreements)} (recorded)" if agreements else \
        cx.cite("audit_required_from_vnd")
    cx.add("C23", f"closed on {closed_on.isoformat()} without the audit required by {why}",
           rule_ref, closed_on, min(later) if later else None,
           evidence=cx.h.named("Closed") + cx.h.named("AuditRecorded", which=0),
           verified=bool(agreements) or cx.profile.verified("audit_required_from_vnd"))


def _required_by_rules(cx: Context) -> bool:
    threshold = cx.profile.params.get("audit_required_from_vnd")
    approved = cx.case.approved_vnd
    if threshold is None or not str(threshold.value).strip() or approved is None:
        return False
    return approved >= Decimal(str(threshold.value))
