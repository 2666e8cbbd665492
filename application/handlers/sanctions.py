"""Handlers: suspension, resumption, revocation, termination and justified delays."""

from __future__ import annotations

from application.commands import sanctions as c
from application.handlers.needs import Needs
from domain.case import AidCase


def suspend(case: AidCase, command: c.Suspend, needs: Needs) -> None:
    case.suspend(reason=command.reason, decision=command.decision, actor=command.actor,
                 effective_date=needs.on)


def resume(case: AidCase, command: c.Resume, needs: Needs) -> None:
    case.resume(decision=command.decision, actor=command.actor, effective_date=needs.on)


def revoke(case: AidCase, command: c.Revoke, needs: Needs) -> None:
    case.revoke(reason=command.reason, decision=command.decision, actor=command.actor,
                effective_date=needs.on)


def terminate(case: AidCase, command: c.Terminate, needs: Needs) -> None:
    case.terminate(reason=command.reason, decision=command.decision, actor=command.actor,
                   effective_date=needs.on)


def record_justified_delay(case: AidCase, command: c.RecordJustifiedDelay, needs: Needs) -> None:
    case.record_justified_delay(reason=command.reason, document=command.document,
                                actor=command.actor, effective_date=needs.on)
