"""Handlers: the approval decision, the donor's notification, the transition review."""

from __future__ import annotations

from application.commands import decision as c
from application.handlers.needs import Needs
from domain.case import AidCase


def approve(case: AidCase, command: c.Approve, needs: Needs) -> None:
    case.approve(decision_no=command.decision_no, decision_date=command.decision_date,
                 signer=command.signer, authority_level=command.authority_level,
                 approved_amount=command.approved_amount, vnd_rate=command.vnd_rate,
                 conditions=command.conditions, deviation=command.deviation,
                 donor=needs.donor_of(case), profile=needs.case_profile(case), actor=command.actor,
                 effective_date=needs.on)


def reject(case: AidCase, command: c.Reject, needs: Needs) -> None:
    case.reject(decision_no=command.decision_no, reasons=command.reasons, actor=command.actor,
                effective_date=needs.on)


def notify_donor(case: AidCase, command: c.NotifyDonor, needs: Needs) -> None:
    case.notify_donor(about=command.about, document=command.document, actor=command.actor,
                      effective_date=needs.on)


def record_transition_review(case: AidCase, command: c.RecordTransitionReview,
                             needs: Needs) -> None:
    # Reviewed against the rules in force on its date, not the case's own.
    case.record_transition_review(note=command.note, document=command.document,
                                  profile=needs.profile(), actor=command.actor,
                                  effective_date=needs.on)
