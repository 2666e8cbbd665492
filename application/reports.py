"""The report on aid received and used, for a province and a period, made at a log position
so that it can be made again identically (the cases and donors as they stood there)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from application.projections.aggregates import CASE_TOPIC, DONOR_TOPIC
from application.services import Services
from domain.errors import InvalidInputError
from domain.reports import SECTIONS, Period, case_rows, totals

PAGE = 500


@dataclass(frozen=True)
class AidReceivedReport:
    province: str
    period: Period
    position: int
    made_on: date
    rows: list[dict[str, Any]]  # sorted by section, category, donor and reference
    totals: dict[str, Any]  # VND sums of every money column, and per section
    rule_profile: str


def _versions(services: Services, position: int) -> Iterator[tuple[str, UUID, int]]:
    """(kind, id, version) of every case and donor as of ``position``."""
    seen: dict[UUID, tuple[str, int]] = {}
    start: int | None = None
    while True:
        page = services.app.recorder.select_notifications(
            start, PAGE, stop=position, inclusive_of_start=start is None)
        for n in page:
            kind = "case" if n.topic.startswith(CASE_TOPIC) else \
                "donor" if n.topic.startswith(DONOR_TOPIC) else None
            if kind:
                seen[UUID(str(n.originator_id))] = (kind, n.originator_version)
        if len(page) < PAGE:
            break
        start = page[-1].id
    for aggregate_id, (kind, version) in seen.items():
        yield kind, aggregate_id, version


def aid_received(services: Services, province: str, period: Period,
                 position: int | None = None) -> AidReceivedReport:
    head = services.app.recorder.max_notification_id() or 0
    if position is not None and not 0 <= position <= head:
        raise InvalidInputError(f"position {position} is beyond the log head ({head})",
                                code="position_beyond_head", field="position")
    at = head if position is None else position
    versions = list(_versions(services, at))
    donors = {i: services.get_donor(i, v).name for k, i, v in versions if k == "donor"}
    rows = []
    for kind, case_id, version in versions:
        if kind == "case":
            case = services.get_case(case_id, version)
            if case.province == province:
                rows.extend(case_rows(case, donors.get(case.donor_id, ""), period))
    rows.sort(key=lambda r: (SECTIONS.index(r["section"]), r["category"], r["donor"],
                             r["reference"]))
    by_section = {s: totals([r for r in rows if r["section"] == s]) for s in SECTIONS}
    profile = services.rulebook.in_force(period.end, province).ref
    return AidReceivedReport(province, period, at, services.clock(), rows,
                             {**totals(rows), "sections": by_section}, profile)
