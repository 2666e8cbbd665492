"""C24: a case approved under rules since replaced, reviewed against the new ones."""

from __future__ import annotations

from datetime import date

from domain.compliance.context import Context
from domain.compliance.timeline import active_interval


# C24 [warning] Decree 313/2025 replaces Decree 80/2020 from 8 December 2025; the
# transitional article for the cases approved under Decree 80 is not verified.
def c24_transition_not_reviewed(cx: Context) -> None:
    """Approved under the case's rules, still active after they were replaced, and no
    transition review recorded → until the review or the case's end."""
    replaced = cx.profile.params.get("transition_review_from")
    approval, active = cx.case.approval, active_interval(cx.case)
    if replaced is None or approval is None or active is None:
        return
    if approval["rule_profile"].split("@")[0] != cx.profile.id:
        return  # approved under the rules that replaced them
    start: date = max(replaced.value, active[0])
    reviews = [r["on"] for r in cx.case.transition_reviews]
    ends = [d for d in (active[1], min(reviews) if reviews else None) if d is not None]
    cx.add("C24", f"approved under {cx.profile.instrument} and active from "
           f"{start.isoformat()} with no transition review", cx.cite("transition_review_from"),
           start, min(ends) if ends else None,
           evidence=cx.h.named("Approved") + cx.h.named("TransitionReviewed", which=0),
           verified=cx.profile.verified("transition_review_from"))
