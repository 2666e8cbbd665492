"""The words of the events, by the stored class name a case's or a donor's history shows:
what happened, as an English message id for the catalogs."""

from __future__ import annotations

from interfaces.web.i18n import N_

# What happened, by the event's stored class name (the history's ``type``).
EVENTS = {
    "AidCase.Opened": N_("Case opened"),
    "AidCase.DraftUpdated": N_("Draft updated"),
    "AidCase.DocumentAttached": N_("Document attached"),
    "AidCase.DossierSubmitted": N_("Dossier submitted"),
    "AidCase.DossierReturned": N_("Dossier returned"),
    "AidCase.AppraisalStarted": N_("Dossier accepted, appraisal started"),
    "AidCase.ConsultationRequested": N_("Opinion requested"),
    "AidCase.OpinionRecorded": N_("Opinion recorded"),
    "AidCase.AppraisalCompleted": N_("Appraisal completed"),
    "AidCase.Approved": N_("Approved"),
    "AidCase.Rejected": N_("Refused"),
    "AidCase.DonorNotified": N_("Donor notified"),
    "AidCase.TransitionReviewed": N_("Transition reviewed"),
    "AidCase.CommitmentRecorded": N_("Commitment recorded"),
    "AidCase.FundsReceived": N_("Aid received"),
    "AidCase.DisbursementRecorded": N_("Disbursement recorded"),
    "AidCase.ExpenditureRecorded": N_("Expenditure recorded"),
    "AidCase.RefundRecorded": N_("Refund recorded"),
    "AidCase.BudgetEntryRecorded": N_("Budget entry recorded"),
    "AidCase.AmendmentRequested": N_("Amendment requested"),
    "AidCase.AmendmentApproved": N_("Amendment approved"),
    "AidCase.AmendmentRefused": N_("Amendment refused"),
    "AidCase.Suspended": N_("Suspended"),
    "AidCase.Resumed": N_("Resumed"),
    "AidCase.Revoked": N_("Approval revoked"),
    "AidCase.Terminated": N_("Terminated"),
    "AidCase.DelayJustified": N_("Delay justified"),
    "AidCase.ReportSubmitted": N_("Report submitted"),
    "AidCase.ReportAccepted": N_("Report accepted"),
    "AidCase.ReportReturned": N_("Report returned"),
    "AidCase.ActivitiesCompleted": N_("Activities completed"),
    "AidCase.AssetsHandedOver": N_("Assets handed over"),
    "AidCase.AuditRecorded": N_("Audit recorded"),
    "AidCase.Closed": N_("Case closed"),
    "Donor.Registered": N_("Donor registered"),
    "Donor.CertificateIssued": N_("Certificate issued"),
    "Donor.CertificateExtended": N_("Certificate extended"),
    "Donor.CertificateAmended": N_("Certificate amended"),
    "Donor.CertificateSuspended": N_("Certificate suspended"),
    "Donor.CertificateRevoked": N_("Certificate revoked"),
    "Donor.CertificateTerminated": N_("Certificate terminated"),
}
