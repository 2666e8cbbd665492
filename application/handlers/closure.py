"""Handlers: completion, handover, audit and closure."""

from __future__ import annotations

from application.commands import closure as c
from application.handlers.needs import Needs
from domain.case import AidCase


def complete_activities(case: AidCase, command: c.CompleteActivities, needs: Needs) -> None:
    case.complete_activities(actual_end=command.actual_end, today=needs.today(),
                             actor=command.actor, effective_date=needs.on)


def record_handover(case: AidCase, command: c.RecordHandover, needs: Needs) -> None:
    case.record_handover(document=command.document, note=command.note, actor=command.actor,
                         effective_date=needs.on)


def record_audit(case: AidCase, command: c.RecordAudit, needs: Needs) -> None:
    case.record_audit(auditor=command.auditor, summary=command.summary, document=command.document,
                      actor=command.actor, effective_date=needs.on)


def close(case: AidCase, command: c.Close, needs: Needs) -> None:
    case.close(profile=needs.case_profile(case), actor=command.actor, effective_date=needs.on)
