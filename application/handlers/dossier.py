"""Handlers: drafting and checking the dossier (Decree 80/2020 Art. 8-9)."""

from __future__ import annotations

from application.commands import dossier as c
from application.handlers.needs import Needs
from domain.case import AidCase


def update_draft(case: AidCase, command: c.UpdateDraft, needs: Needs) -> None:
    case.update_draft(**c.draft_facts(command), actor=command.actor, effective_date=needs.on)


def attach_document(case: AidCase, command: c.AttachDocument, needs: Needs) -> None:
    case.attach_document(document=command.document, actor=command.actor, effective_date=needs.on)


def submit(case: AidCase, command: c.Submit, needs: Needs) -> None:
    case.submit(deviation=command.deviation, donor=needs.donor_of(case),
                profile=needs.case_profile(case), actor=command.actor, effective_date=needs.on)


def return_dossier(case: AidCase, command: c.ReturnDossier, needs: Needs) -> None:
    case.return_dossier(reasons=command.reasons, actor=command.actor, effective_date=needs.on)


def accept_dossier(case: AidCase, command: c.AcceptDossier, needs: Needs) -> None:
    case.accept_dossier(donor=needs.donor_of(case), profile=needs.case_profile(case),
                        actor=command.actor, effective_date=needs.on,
                        focal=needs.focal_agency(case))
