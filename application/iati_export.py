"""IATI export use cases: choose the cases, map, validate, and record the first publication.

A case that does not validate is reported (its reference and problems), never published in
an altered form. An activity keeps the identifier it was first published under.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.utils import get_topic
from lxml import etree

from application.iati import (
    Problem,
    ReportingOrg,
    activities_document,
    activity_element,
    activity_identifier,
)
from application.services import Services
from domain.case import AidCase
from domain.case_guards import IATI_STATUS, PRE_APPROVAL, REJECTED
from domain.errors import ConflictError, InvalidInputError, NotFoundError

PAST_APPROVAL = tuple(s for s in IATI_STATUS if s not in PRE_APPROVAL + (REJECTED,))
OPENED_TOPIC = get_topic(AidCase.Opened)  # type: ignore[attr-defined]
_PERIOD = frozenset({"planned_start", "planned_end"})


class IatiValidatorPort(Protocol):
    available: bool

    def validate(self, xml_bytes: bytes, today: date | None = None) -> list[Problem]: ...


class PublicationsPort(Protocol):
    def record(self, case_id: str, identifier: str) -> str: ...

    def identifier(self, case_id: str) -> str | None: ...


@dataclass
class IatiExport:
    xml: bytes
    published: list[str] = field(default_factory=list)  # case references
    excluded: dict[str, list[Problem]] = field(default_factory=dict)
    validated: bool = True


def list_case_ids(app: Any, page_size: int = 500) -> Iterator[UUID]:
    """Every case id, oldest first, from the notification log's ``Opened`` events.

    Kept behind this function so that the ``case_summary`` view can replace it.
    """
    start: int | None = None
    while True:
        page = app.recorder.select_notifications(start, page_size, topics=[OPENED_TOPIC],
                                                 inclusive_of_start=start is None)
        for notification in page:
            yield UUID(str(notification.originator_id))
        if len(page) < page_size:
            return
        start = page[-1].id


def select_cases(services: Services, case_ids: Iterable[UUID], *, province: str | None = None,
                 donor_id: UUID | None = None, status: str | None = None,
                 include_pipeline: bool = False,
                 sees: Callable[[str], bool] = lambda _: True) -> list[AidCase]:
    """The cases to export: filtered, past approval unless the pipeline is asked for, and
    only in the caller's provinces."""
    if status is not None and status not in IATI_STATUS:
        raise InvalidInputError(f"unknown status {status!r}", code="invalid_status",
                                field="status")
    if status is not None and status not in PAST_APPROVAL and not include_pipeline:
        raise InvalidInputError(f"{status} cases are in the pipeline: add include_pipeline",
                                code="pipeline_not_included", field="status")
    chosen = []
    # A province asked for covers the provinces merged into it by today (SPEC §1.1).
    covered = services.register.covering(province, services.clock()) if province else None
    for case_id in case_ids:
        case = services.get_case(case_id)
        if not sees(case.province) or (covered is not None and case.province not in covered) \
                or (donor_id and case.donor_id != donor_id) \
                or (status and case.status != status) \
                or (not include_pipeline and case.status not in PAST_APPROVAL):
            continue
        chosen.append(case)
    return chosen


def export_case(services: Services, case_id: UUID, *, org: ReportingOrg,
                validator: IatiValidatorPort, publications: PublicationsPort,
                sees: Callable[[str], bool] = lambda _: True) -> IatiExport:
    """One case as an IATI file, or the reasons it cannot be published (409 or 422)."""
    case = services.get_case(case_id)
    if not sees(case.province):
        raise NotFoundError(f"case {case_id} not found", code="case_not_found")
    result = export_activities(services, [case], org=org, validator=validator,
                               publications=publications)
    problems = result.excluded.get(case.reference)
    if problems:
        listed = [p.to_dict() for p in problems]
        if any(p.rule == "iati_identifier_changed" for p in problems):
            raise ConflictError(problems[0].message, code="iati_identifier_changed",
                                reference=case.reference, problems=listed)
        raise InvalidInputError(f"case {case.reference} cannot be published in IATI: "
                                f"{problems[0].message}" + (f" (and {len(problems) - 1} more)"
                                                            if len(problems) > 1 else ""),
                                code="iati_activity_invalid", reference=case.reference,
                                problems=listed)
    return result


def export_activities(services: Services, cases: Iterable[AidCase | UUID], *,
                      org: ReportingOrg, validator: IatiValidatorPort,
                      publications: PublicationsPort) -> IatiExport:
    """The valid cases as one IATI file; the others are listed with their problems."""
    today = services.clock()
    result = IatiExport(xml=b"", validated=validator.available)
    elements = []
    donors: dict[UUID, dict[str, Any]] = {}
    for item in cases:
        case = item if isinstance(item, AidCase) else services.get_case(item)
        element, problems = _checked(services, case, org, validator, publications, today,
                                     donors)
        if problems:
            result.excluded[case.reference] = problems
            continue
        identifier = activity_identifier(org.ref, case.reference)
        recorded = publications.record(str(case.id), identifier)
        if recorded != identifier:  # another export recorded a different one meanwhile
            result.excluded[case.reference] = [_changed(recorded, identifier)]
            continue
        elements.append(element)
        result.published.append(case.reference)
    result.xml = activities_document(elements)
    return result


def validate_cases(services: Services, case_ids: Iterable[UUID], *, org: ReportingOrg,
                   validator: IatiValidatorPort,
                   publications: PublicationsPort | None = None) -> dict[str, list[Problem]]:
    """The problems of each case that would not be published (none: every case is fine).

    Records nothing: it answers "would these cases export cleanly?".
    """
    today = services.clock()
    report = {}
    donors: dict[UUID, dict[str, Any]] = {}
    for case_id in case_ids:
        case = services.get_case(case_id)
        _, problems = _checked(services, case, org, validator, publications, today, donors)
        if problems:
            report[case.reference] = problems
    return report


def _checked(services: Services, case: AidCase, org: ReportingOrg,
             validator: IatiValidatorPort, publications: PublicationsPort | None, today: date,
             donors: dict[UUID, dict[str, Any]]) -> tuple[etree._Element, list[Problem]]:
    identifier = activity_identifier(org.ref, case.reference)
    problems = []
    recorded = publications.identifier(str(case.id)) if publications else None
    if recorded is not None and recorded != identifier:
        problems.append(_changed(recorded, identifier))
    if case.donor_id not in donors:
        donors[case.donor_id] = services.get_donor(case.donor_id).state()
    element = activity_element(case.state(), donors[case.donor_id], org, today,
                               original_period=_original_period(services, case),
                               location=_location(services, case, today))
    # Validated alone, so that every problem belongs to this case.
    problems += validator.validate(activities_document([element]), today)
    return element, problems


def _location(services: Services, case: AidCase, today: date) -> tuple[str, str | None]:
    """The province (and commune) the case was opened in; and the province that holds it on
    ``today`` when a merger has changed the map since (SPEC §1.1)."""
    register = services.register
    opened = register.entry(case.province)
    name = f"{opened.name_vi if opened else case.province} ({case.province})"
    commune = (case.place or {}).get("commune_name")
    holder = register.resolve(case.province, today)
    if holder == case.province:
        return (f"{commune}, {name}" if commune else name), None
    now, merged_on = register.entry(holder), opened.merged_on if opened else None
    return (f"{commune}, {name}" if commune else name), (
        f"Since {merged_on}, part of {now.name_vi if now else holder} ({holder})")


def _changed(recorded: str, identifier: str) -> Problem:
    return Problem("iati_identifier_changed",
                   f"the activity was published as {recorded!r}; it would now be "
                   f"{identifier!r}, and a published identifier must never change",
                   recorded, "iati-identifier")


def _original_period(services: Services, case: AidCase) -> tuple[date, date] | None:
    """The planned period at approval, when an approved amendment has moved it since."""
    if not any(a["status"] == "approved" and _PERIOD & set(a["changes"])
               for a in case.amendments):
        return None
    for event in services.app.events.get(case.id):
        changes = getattr(event, "changes", None) or {}
        if type(event).__name__ == "AmendmentApproved" and _PERIOD & set(changes):
            before = services.get_case(case.id, event.originator_version - 1)
            return before.planned_start, before.planned_end
    return None
