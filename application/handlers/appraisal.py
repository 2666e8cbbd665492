"""Handlers: appraisal and the consultees' opinions."""

from __future__ import annotations

from application.commands import appraisal as c
from application.handlers.needs import Needs
from domain.case import AidCase


def request_consultation(case: AidCase, command: c.RequestConsultation, needs: Needs) -> None:
    case.request_consultation(agency=command.agency, profile=needs.case_profile(case),
                              actor=command.actor, effective_date=needs.on)


def record_opinion(case: AidCase, command: c.RecordOpinion, needs: Needs) -> None:
    case.record_opinion(agency=command.agency, stance=command.stance, document=command.document,
                        summary=command.summary, actor=command.actor, effective_date=needs.on)


def complete_appraisal(case: AidCase, command: c.CompleteAppraisal, needs: Needs) -> None:
    case.complete_appraisal(recommendation=command.recommendation, note=command.note,
                            actor=command.actor, effective_date=needs.on)
