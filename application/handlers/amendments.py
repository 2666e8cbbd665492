"""Handlers: amendments to an approved case and their decisions."""

from __future__ import annotations

from application.commands import amendments as c
from application.handlers.needs import Needs
from domain.case import AidCase


def request_amendment(case: AidCase, command: c.RequestAmendment, needs: Needs) -> None:
    case.request_amendment(changes=command.changes, reason=command.reason,
                           amendment_id=command.amendment_id, actor=command.actor,
                           effective_date=needs.on)


def decide_amendment(case: AidCase, command: c.DecideAmendment, needs: Needs) -> None:
    case.decide_amendment(amendment_id=command.amendment_id, approved=command.approved,
                          decision_no=command.decision_no, signer=command.signer,
                          authority_level=command.authority_level, reasons=command.reasons,
                          deviation=command.deviation, profile=needs.case_profile(case),
                          actor=command.actor, effective_date=needs.on)
