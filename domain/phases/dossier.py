"""Opening and the dossier: the draft, its documents, submission and return (SPEC §2.1)."""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from typing import Any, cast

from domain import case_guards as g
from domain import policy
from domain.donor import Donor
from domain.errors import InvalidInputError, NotFoundError
from domain.money import Money
from domain.phases import records as r
from domain.phases.case_record import CaseRecord
from domain.rules import RuleProfile
from domain.values import Actor, Deviation, Document, Place, as_date

DRAFT_FIELDS = ("title", "description", "aid_form", "province", "managing_agency",
                "aid_owner", "sectors", "planned_start", "planned_end", "currency",
                "requested_amount", "requested_vnd_rate", "requested_vnd",
                "state_budget_revenue", "sensitive_flags", "moha_licensed")


def _draft(*, title: Any, description: Any, aid_form: Any, province: Any,
           managing_agency: Any, aid_owner: Any, sectors: Any, planned_start: Any,
           planned_end: Any, requested: Any, requested_vnd_rate: Any,
           state_budget_revenue: Any, sensitive_flags: Any, moha_licensed: Any) -> dict[str, Any]:
    """The opening fields, checked and in the JSON-friendly form events store."""
    start, end = as_date(planned_start, "planned_start"), as_date(planned_end, "planned_end")
    if start > end:
        raise InvalidInputError("planned start must not be after planned end",
                                code="date_order", field="planned_end")
    if not isinstance(requested, Money) or not requested.is_positive:
        raise InvalidInputError("the requested amount must be positive Money",
                                code="invalid_amount", field="requested")
    vnd_rate, vnd = g.vnd_equivalent(requested, requested_vnd_rate, "requested_vnd_rate",
                                      "requested")
    flags = sorted(set(sensitive_flags or ()))
    for flag in flags:
        g.choice(flag, g.SENSITIVE_FLAGS, "sensitive_flag")
    if not isinstance(state_budget_revenue, bool) or not isinstance(moha_licensed, bool):
        raise InvalidInputError("flags must be true or false", code="invalid_flag")
    return {
        "title": g.text(title, "title"), "description": g.text(description, "description",
                                                               empty=True),
        "aid_form": g.choice(aid_form, g.AID_FORMS, "aid_form"),
        "province": g.text(province, "province"),
        "managing_agency": g.text(managing_agency, "managing_agency"),
        "aid_owner": g.text(aid_owner, "aid_owner"), "sectors": g.sectors(sectors),
        "planned_start": start, "planned_end": end, "currency": requested.currency,
        "requested_amount": requested.amount, "requested_vnd_rate": vnd_rate,
        "requested_vnd": vnd, "state_budget_revenue": state_budget_revenue,
        "sensitive_flags": flags, "moha_licensed": moha_licensed,
    }


def open_case(*, reference: str, donor: Donor, legal_basis: str, actor: Actor,
              effective_date: date, place: Place | None = None, **draft: Any) -> dict[str, Any]:
    """The ``Opened`` event's fields; ``draft`` holds the ``_draft`` arguments."""
    if not isinstance(donor, Donor):
        raise NotFoundError("the donor must be registered first", code="donor_not_found")
    fields = _draft(**draft)
    return {"reference": g.reference(reference), "donor_id": donor.id,
            "legal_basis": g.text(legal_basis, "legal_basis"), **fields,
            **g.who(actor, effective_date),
            "place": place.record() if isinstance(place, Place) else None}


def update_draft(case: CaseRecord, given: dict[str, Any], actor: Actor,
                 effective_date: date) -> dict[str, Any]:
    """``given``: the draft fields the command names (those not None)."""
    g.require(case, "update_draft")
    if not given:
        raise InvalidInputError("nothing to update", code="nothing_to_update")
    current: dict[str, Any] = {
        "title": case.title, "description": case.description, "aid_form": case.aid_form,
        "province": case.province, "managing_agency": case.managing_agency,
        "aid_owner": case.aid_owner, "sectors": case.sectors,
        "planned_start": case.planned_start, "planned_end": case.planned_end,
        "requested": Money(case.requested_amount, case.currency),
        "requested_vnd_rate": case.requested_vnd_rate,
        "state_budget_revenue": case.state_budget_revenue,
        "sensitive_flags": case.sensitive_flags, "moha_licensed": case.moha_licensed,
    }
    new = given.get("requested")
    if isinstance(new, Money) and new.currency != case.currency:
        current["requested_vnd_rate"] = None  # a new currency needs its own rate
    fields = _draft(**{**current, **given})
    changes = {k: v for k, v in fields.items() if getattr(case, k) != v}
    if not changes:
        raise InvalidInputError("nothing to update", code="nothing_to_update")
    return {"changes": changes, **g.who(actor, effective_date)}


def draft_updated(self: CaseRecord, changes: dict[str, Any], actor_id: str, actor_role: str,
                  effective_date: date) -> None:
    for name, value in changes.items():
        if name in DRAFT_FIELDS:
            setattr(self, name, deepcopy(value))


def attach_document(case: CaseRecord, document: Document, actor: Actor,
                    effective_date: date) -> dict[str, Any]:
    g.require(case, "attach_document")
    if not isinstance(document, Document):
        raise InvalidInputError("document must be a Document", code="invalid_document")
    return {"document": document.to_dict(), **g.who(actor, effective_date)}


def document_attached(self: CaseRecord, document: dict[str, str], actor_id: str,
                      actor_role: str, effective_date: date) -> None:
    self.documents.append(cast(r.AttachedDocument, {**document, "attached_on": effective_date,
                                                    "by": actor_id}))


def submit(case: CaseRecord, donor: Donor, profile: RuleProfile, actor: Actor,
           effective_date: date, deviation: Deviation | None) -> dict[str, Any]:
    g.require(case, "submit")
    who = g.who(actor, effective_date)
    g.check_donor(case, donor)
    # Decree 80/2020 Art. 8: the dossier's items (a rule guard: C05 with a deviation).
    missing = policy.missing_dossier_items(case.documents)
    found = [g.Violation("dossier_incomplete", f"the dossier lacks: {', '.join(missing)}")
             ] if missing else []
    # Decree 80/2020 Art. 8: a document in a foreign language with its Vietnamese translation.
    language = profile.params.get("dossier_translation_language")
    foreign = policy.untranslated_dossier_items(case.documents, str(language.value)) \
        if language is not None else []
    found += [g.Violation("dossier_untranslated", "no Vietnamese translation of: "
                          f"{', '.join(foreign)}")] if foreign else []
    certificate = g.certificate_violation(donor, effective_date, case.province, case.sectors)
    found += [certificate] if certificate else []
    entries = g.resolve(found, deviation, profile, **({"missing": missing} if missing else {}),
                        **({"untranslated": foreign} if foreign else {}))
    return {"rule_profile": profile.ref, "deviations": entries, **who}


def dossier_submitted(self: CaseRecord, rule_profile: str, deviations: list[dict[str, str]],
                      actor_id: str, actor_role: str, effective_date: date) -> None:
    self.status = g.SUBMITTED
    self.submitted_by, self.submitted_on = actor_id, effective_date
    if not self.submissions:
        # The legal basis is the profile in force when the dossier was first submitted.
        self.legal_basis = rule_profile
    self.submissions.append({"on": effective_date, "by": actor_id,
                             "rule_profile": rule_profile})
    g.note_deviations(self, "DossierSubmitted", deviations, effective_date)


def return_dossier(case: CaseRecord, reasons: list[str], actor: Actor,
                   effective_date: date) -> dict[str, Any]:
    g.require(case, "return_dossier")
    return {"reasons": g.texts(reasons, "reasons"), **g.who(actor, effective_date)}


def dossier_returned(self: CaseRecord, reasons: list[str], actor_id: str, actor_role: str,
                     effective_date: date) -> None:
    self.status = g.RETURNED
    self.returns.append({"on": effective_date, "by": actor_id, "reasons": list(reasons)})

