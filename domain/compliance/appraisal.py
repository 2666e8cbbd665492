"""C06: the appraisal and its consultations on time, VUFO consulted for a foreign NGO."""

from __future__ import annotations

from domain.compliance.context import Context
from domain.compliance.timeline import DAY


# C06 [warning] Decree 80/2020: appraisal within 20 days (article not read), VUFO consulted
# for a foreign NGO (Art. 10); the consultee reply window is not verified.
def c06_appraisal_overdue(cx: Context) -> None:
    """Appraisal past its due date, a consultee's reply overdue, or VUFO not consulted."""
    appraisal = cx.facts.appraisal
    if appraisal is None:
        return
    started = cx.h.named("AppraisalStarted")
    ended, end_versions = appraisal.completed_on, cx.h.named("AppraisalCompleted")
    if ended is None:
        returns = [on for on in cx.facts.returned_on if on >= appraisal.accepted_on]
        ended = min(returns) if returns else None
        end_versions = cx.h.named("DossierReturned") if returns else []
    due = appraisal.due_on
    cx.add("C06", f"appraisal due {due.isoformat()} not completed", cx.cite("appraisal_days"),
           due + DAY, ended, evidence=started + end_versions,
           verified=cx.profile.verified("appraisal_days"))
    for c in cx.facts.consultations:
        stops = [d for d in (c.replied_on, ended) if d is not None]
        cx.add("C06", f"reply of {c.agency} due {c.reply_due_on.isoformat()} overdue",
               cx.cite("consultee_reply_days"), c.reply_due_on + DAY,
               min(stops) if stops else None,
               evidence=cx.h.named("ConsultationRequested", c.agency)
               + cx.h.named("OpinionRecorded", c.agency),
               verified=cx.profile.verified("consultee_reply_days"))
    vufo = str(cx.profile.value("mandatory_consultee_foreign_ngo"))
    completed = appraisal.completed_on
    if (cx.donor is not None and cx.donor.is_foreign_ngo and completed is not None
            and vufo not in {c.agency for c in cx.facts.consultations}):
        cx.add("C06", f"appraisal completed without consulting {vufo}, the mandatory "
               "consultee for a foreign-NGO donor", cx.cite("mandatory_consultee_foreign_ngo"),
               completed, evidence=started + cx.h.named("AppraisalCompleted"),
               verified=cx.profile.verified("mandatory_consultee_foreign_ngo"))
