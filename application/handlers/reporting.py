"""Handlers: periodic reports and their review."""

from __future__ import annotations

from application.commands import reporting as c
from application.handlers.needs import Needs
from domain.case import AidCase


def submit_report(case: AidCase, command: c.SubmitReport, needs: Needs) -> None:
    case.submit_report(kind=command.kind, period_start=command.period_start,
                       period_end=command.period_end, document=command.document,
                       report_id=command.report_id, actor=command.actor, effective_date=needs.on)


def review_report(case: AidCase, command: c.ReviewReport, needs: Needs) -> None:
    case.review_report(report_id=command.report_id, accepted=command.accepted,
                       reasons=command.reasons, actor=command.actor, effective_date=needs.on)
