"""The report on aid received and used, for a province and a period, made at a log position
so that it can be made again identically (the cases and donors as they stood there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from application.log_position import versions_at
from application.services import Services
from domain.errors import InvalidInputError
from domain.periods import Period
from domain.reports import SECTIONS, case_rows, totals


@dataclass(frozen=True)
class AidReceivedReport:
    province: str
    period: Period
    position: int
    made_on: date
    rows: list[dict[str, Any]]  # sorted by section, category, donor and reference
    totals: dict[str, Any]  # VND sums of every money column, and per section
    rule_profile: str


def aid_received(services: Services, province: str, period: Period,
                 position: int | None = None) -> AidReceivedReport:
    head = services.app.recorder.max_notification_id() or 0
    if position is not None and not 0 <= position <= head:
        raise InvalidInputError(f"position {position} is beyond the log head ({head})",
                                code="position_beyond_head", field="position")
    at = head if position is None else position
    versions = list(versions_at(services, at))
    donors = {i: services.get_donor(i, v).name for k, i, v in versions if k == "donor"}
    # The province as it is on the period's last day: BN after 1 July 2025 covers BG's cases.
    covered = services.register.scope([province], period.end)
    rows = []
    for kind, case_id, version in versions:
        if kind == "case":
            case = services.get_case(case_id, version)
            if case.province in covered:
                rows.extend(case_rows(case, donors.get(case.donor_id, ""), period))
    rows.sort(key=lambda r: (SECTIONS.index(r["section"]), r["category"], r["donor"],
                             r["reference"]))
    by_section = {s: totals([r for r in rows if r["section"] == s]) for s in SECTIONS}
    profile = services.rulebook.in_force(period.end, province).ref
    return AidReceivedReport(province, period, at, services.clock(), rows,
                             {**totals(rows), "sections": by_section}, profile)
