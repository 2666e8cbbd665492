"""A notice: what happened or is coming, about which case or certificate, at which threshold,
for which roles and provinces. Its key, with the recipient's, makes it sent once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.values import AID_OWNER, APPROVER, FOCAL_OFFICER, REGISTRY_OFFICER

REPORT_DUE, REPORT_OVERDUE = "report_due", "report_overdue"
CERTIFICATE_EXPIRING = "certificate_expiring"
CERTIFICATE_SUSPENDED, CERTIFICATE_REVOKED = "certificate_suspended", "certificate_revoked"
APPRAISAL_DUE, APPRAISAL_OVERDUE = "appraisal_due", "appraisal_overdue"
REPLY_DUE, REPLY_OVERDUE = "reply_due", "reply_overdue"
DONOR_NOT_NOTIFIED = "donor_not_notified"
CRITICAL_FLAG = "critical_flag"

# Who is told of each kind (issue 19, "What is sent, to whom").
AUDIENCE: dict[str, tuple[str, ...]] = {
    REPORT_DUE: (AID_OWNER, FOCAL_OFFICER),
    REPORT_OVERDUE: (AID_OWNER, FOCAL_OFFICER),
    CERTIFICATE_EXPIRING: (REGISTRY_OFFICER, FOCAL_OFFICER),
    CERTIFICATE_SUSPENDED: (REGISTRY_OFFICER, FOCAL_OFFICER),
    CERTIFICATE_REVOKED: (REGISTRY_OFFICER, FOCAL_OFFICER),
    APPRAISAL_DUE: (FOCAL_OFFICER,),
    APPRAISAL_OVERDUE: (FOCAL_OFFICER,),
    REPLY_DUE: (FOCAL_OFFICER,),
    REPLY_OVERDUE: (FOCAL_OFFICER,),
    DONOR_NOT_NOTIFIED: (FOCAL_OFFICER,),
    CRITICAL_FLAG: (FOCAL_OFFICER, APPROVER),
}
KINDS = tuple(AUDIENCE)


@dataclass(frozen=True)
class Notice:
    kind: str
    subject: str  # the case id, or "<donor id>/<certificate number>"
    threshold: str  # the due date, the flag's first day, the event's position...
    provinces: tuple[str, ...]
    send_on: date  # not before this day (Vietnam)
    reference: str  # the case reference or the certificate number, for the message
    case_id: str | None = None
    donor_id: str | None = None
    people: tuple[str, ...] = ()  # named persons concerned (the case's opener, submitter)
    facts: dict[str, str] = field(default_factory=dict)  # what the message says

    @property
    def audience(self) -> tuple[str, ...]:
        return AUDIENCE[self.kind]

    def key(self, subscription_id: str) -> str:
        """Stable across rebuilds, restarts, workers and reruns: what, which, when, whom."""
        return f"{self.kind}|{self.subject}|{self.threshold}|{subscription_id}"
