"""Appraisal: the dossier accepted, consultations and their opinions, the recommendation."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import case_guards as g
from domain import policy
from domain.agencies import FocalAgency
from domain.donor import Donor
from domain.phases.case_record import CaseRecord
from domain.rules import RuleProfile
from domain.values import Actor, Document

STANCES = ("agree", "agree_with_conditions", "disagree", "no_opinion")
RECOMMENDATIONS = ("approve", "approve_with_conditions", "reject")


def accept_dossier(case: CaseRecord, donor: Donor, profile: RuleProfile, actor: Actor,
                   effective_date: date, focal: FocalAgency | None = None) -> dict[str, Any]:
    g.require(case, "accept_dossier")
    who = g.who(actor, effective_date)
    g.check_donor(case, donor)
    # Decree 80/2020: VUFO is a mandatory consultee when the donor is a foreign NGO.
    consultees = [str(profile.value("mandatory_consultee_foreign_ngo"))] \
        if donor.is_foreign_ngo else []
    return {"appraisal_due_on": policy.appraisal_due_on(profile, effective_date),
            "mandatory_consultees": consultees, "rule_profile": profile.ref, **who,
            **({"focal_agency": focal.record()} if focal else {})}


def appraisal_started(self: CaseRecord, appraisal_due_on: date, mandatory_consultees: list[str],
                      rule_profile: str, actor_id: str, actor_role: str,
                      effective_date: date, focal_agency: dict[str, Any] | None = None) -> None:
    self.status = g.UNDER_APPRAISAL
    self.appraisal = {"accepted_on": effective_date, "accepted_by": actor_id,
                      "due_on": appraisal_due_on,
                      "mandatory_consultees": list(mandatory_consultees),
                      "rule_profile": rule_profile, "completed_on": None,
                      "recommendation": None, "note": "", "overdue_consultees": []}
    if focal_agency is not None:
        self.appraisal["focal_agency"] = dict(focal_agency)
    self.consultations = {}
    self.appraised_by = None


def request_consultation(case: CaseRecord, agency: str, profile: RuleProfile, actor: Actor,
                         effective_date: date) -> dict[str, Any]:
    g.require(case, "request_consultation")
    agency = g.text(agency, "agency")
    if agency in case.consultations:
        raise g.refuse(case, f"{agency} was already consulted in this appraisal",
                       "consultation_already_requested")
    who = g.who(actor, effective_date)
    return {"agency": agency,
            "reply_due_on": policy.consultee_reply_due_on(profile, effective_date),
            "rule_profile": profile.ref, **who}


def consultation_requested(self: CaseRecord, agency: str, reply_due_on: date, rule_profile: str,
                           actor_id: str, actor_role: str, effective_date: date) -> None:
    self.consultations[agency] = {"agency": agency, "requested_on": effective_date,
                                  "reply_due_on": reply_due_on, "replied_on": None,
                                  "stance": None, "summary": "", "document": None}


def record_opinion(case: CaseRecord, agency: str, stance: str, document: Document | None,
                   summary: str, actor: Actor, effective_date: date) -> dict[str, Any]:
    g.require(case, "record_opinion")
    consultation = case.consultations.get(agency)
    if consultation is None or consultation["replied_on"] is not None:
        code = "consultation_not_requested" if consultation is None else "opinion_recorded"
        raise g.refuse(case, f"no open consultation of {agency}", code)
    return {"agency": agency, "stance": g.choice(stance, STANCES, "stance"),
            "document": document.to_dict() if document else None,
            "summary": g.text(summary, "summary", empty=True), **g.who(actor, effective_date)}


def opinion_recorded(self: CaseRecord, agency: str, stance: str, document: dict[str, str] | None,
                     summary: str, actor_id: str, actor_role: str,
                     effective_date: date) -> None:
    consultation = self.consultations[agency]
    consultation["replied_on"], consultation["stance"] = effective_date, stance
    consultation["summary"] = summary
    consultation["document"] = dict(document) if document else None


def complete_appraisal(case: CaseRecord, recommendation: str, note: str, actor: Actor,
                       effective_date: date) -> dict[str, Any]:
    g.require(case, "complete_appraisal")
    who = g.who(actor, effective_date)
    assert case.appraisal is not None
    recommendation = g.choice(recommendation, RECOMMENDATIONS, "recommendation")
    unanswered, overdue = [], []
    for agency in case.appraisal["mandatory_consultees"]:
        c = case.consultations.get(agency)
        if c is not None and c["replied_on"] is not None:
            continue
        if c is not None and effective_date > c["reply_due_on"] and note.strip():
            overdue.append(agency)
        else:
            unanswered.append(agency)
    if unanswered:
        raise g.refuse(case, f"mandatory consultees without a reply: {', '.join(unanswered)} "
                       "(an overdue reply may be passed over with a note)",
                       "consultation_incomplete", missing=unanswered)
    return {"recommendation": recommendation, "note": note.strip(),
            "overdue_consultees": overdue, **who}


def appraisal_completed(self: CaseRecord, recommendation: str, note: str,
                        overdue_consultees: list[str], actor_id: str, actor_role: str,
                        effective_date: date) -> None:
    self.status = g.APPRAISED
    self.appraised_by = actor_id
    if self.appraisal is not None:
        appraisal = self.appraisal
        appraisal["completed_on"], appraisal["completed_by"] = effective_date, actor_id
        appraisal["recommendation"], appraisal["note"] = recommendation, note
        appraisal["overdue_consultees"] = list(overdue_consultees)
