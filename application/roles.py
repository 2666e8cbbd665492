"""Who may do what (SPEC §2.1 role table), keyed by the command type. Reads need any role."""

from __future__ import annotations

from application.commands import (
    amendments,
    appraisal,
    certificates,
    closure,
    decision,
    dossier,
    funds,
    reporting,
    sanctions,
)
from application.commands.base import Command
from application.commands.opening import OpenCase, RegisterDonor
from domain.values import (
    AID_OWNER,
    APPROVER,
    AUDITOR,
    FOCAL_OFFICER,
    REGISTRY_OFFICER,
    ROLES,
)

ALL_ROLES = frozenset(ROLES)


def _each(roles: tuple[str, ...], *kinds: type[Command]) -> dict[type[Command], tuple[str, ...]]:
    return {kind: roles for kind in kinds}


COMMAND_ROLES: dict[type[Command], tuple[str, ...]] = {
    OpenCase: (AID_OWNER, FOCAL_OFFICER),
    **_each((AID_OWNER,),
            dossier.UpdateDraft, dossier.AttachDocument, dossier.Submit,
            funds.RecordCommitment, funds.RecordReceipt, funds.RecordDisbursement,
            funds.RecordExpenditure, funds.RecordRefund, funds.RecordBudgetEntry,
            amendments.RequestAmendment,
            reporting.SubmitReport, closure.CompleteActivities, closure.RecordHandover),
    **_each((FOCAL_OFFICER,),
            dossier.ReturnDossier, dossier.AcceptDossier, appraisal.RequestConsultation,
            appraisal.RecordOpinion, appraisal.CompleteAppraisal, decision.NotifyDonor,
            decision.RecordTransitionReview, reporting.ReviewReport, closure.Close),
    **_each((APPROVER,),
            decision.Approve, decision.Reject, amendments.DecideAmendment, sanctions.Suspend,
            sanctions.Resume, sanctions.Revoke, sanctions.Terminate,
            sanctions.RecordJustifiedDelay),
    closure.RecordAudit: (AUDITOR,),
    **_each((REGISTRY_OFFICER,),
            RegisterDonor, certificates.IssueCertificate, certificates.ExtendCertificate,
            certificates.AmendCertificate, certificates.SuspendCertificate,
            certificates.RevokeCertificate, certificates.TerminateCertificate),
}

# Auditors are a primary user: history, tamper evidence and exports (SPEC §4, §5).
READ_ROLES: dict[str, tuple[str, ...]] = {
    "read_history": (AUDITOR, FOCAL_OFFICER, APPROVER),
    "audit": (AUDITOR,),
}

# Reminders and alerts (issue 19): the register and the focal office manage who is told, and
# read the outbox.
NOTIFICATION_ROLES: dict[str, tuple[str, ...]] = {
    "manage_subscriptions": (REGISTRY_OFFICER, FOCAL_OFFICER),
    "read_notifications": (REGISTRY_OFFICER, FOCAL_OFFICER),
}
