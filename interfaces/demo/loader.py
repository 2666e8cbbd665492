"""Plan the demo from its data, check the store, then record it through the services."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from application.services import Services
from domain.case import AidCase
from domain.donor import Donor
from interfaces.demo.case_plan import CasePlan
from interfaces.demo.dataset import Dataset, load_dataset
from interfaces.demo.donors import plan_donors
from interfaces.demo.schedule import DemoStepError, ProgressCallback, Schedule

__all__ = ["DemoConflictError", "DemoPlan", "DemoStepError", "DemoSummary", "load_demo",
           "plan_demo"]


class DemoConflictError(Exception):
    """The store holds some of the demo's donors or cases, but not all of them."""


@dataclass(frozen=True)
class DemoSummary:
    """What ``load_demo`` recorded (or found, when the demo was already loaded)."""

    donors: int
    cases: int
    events: int
    by_state: dict[str, int]
    # Case reference -> the compliance codes meant to be open on ``today`` (empty: a clean
    # case). History aside: the revoked cases also carry a C07 resolved by their revocation.
    intended_flags: dict[str, list[str]]
    by_form: dict[str, int] = field(default_factory=dict)
    by_currency: dict[str, int] = field(default_factory=dict)
    already_loaded: bool = False


@dataclass
class DemoPlan:
    """Every step of the demo as of ``today``, and what it is meant to show."""

    data: Dataset
    schedule: Schedule
    intended: dict[str, list[str]] = field(default_factory=dict)
    forms: Counter[str] = field(default_factory=Counter)
    currencies: Counter[str] = field(default_factory=Counter)

    def ids(self) -> dict[UUID, str]:
        """The aggregates the demo creates, each with what names it (code or reference)."""
        donors = {Donor.create_id(d.code): f"a donor with code {d.code!r}"
                  for d in self.data.donors}
        cases = {AidCase.create_id(r): f"a case with reference {r!r}" for r in self.intended}
        return donors | cases


def plan_demo(services: Services, today: date, data: Dataset | None = None) -> DemoPlan:
    data = data or load_dataset()
    plan = DemoPlan(data, Schedule(services, today, data.seed))
    plan_donors(plan.schedule, data)
    _plan_cases(plan)
    return plan


def _plan_cases(plan: DemoPlan) -> None:
    demo, numbers = plan.schedule, Counter[tuple[str, int]]()
    cases = [CasePlan(demo, plan.data, spec, index) for index, spec in enumerate(plan.data.cases)]
    # References count up per province and year in the order the cases were opened.
    for case in sorted(cases, key=lambda p: (p.open_on, p.index)):
        key = (case.spec.province, case.open_on.year)
        numbers[key] += demo.rng.randint(1, 6)
        case.reference = f"{key[0]}-{key[1]}-{numbers[key]:04d}"
    for case in cases:
        case.build()
        plan.intended[case.reference] = sorted(case.spec.flags)
        plan.forms[case.spec.form] += 1
        plan.currencies[case.spec.currency] += 1


def _already_loaded(services: Services, plan: DemoPlan) -> bool:
    """True when the store holds every donor and case of the demo, False when it holds none;
    ``DemoConflictError`` names the first one present when only some are."""
    ids = plan.ids()
    present = [what for i, what in ids.items() if services.head_version(i) > 0]
    if present and len(present) < len(ids):
        raise DemoConflictError(
            f"{present[0]} already exists in this store ({len(present)} of the demo's "
            f"{len(ids)} donors and cases do): nothing recorded; load the demo into an "
            "empty store")
    return bool(present)


def load_demo(services: Services, today: date,
              progress: ProgressCallback | None = None) -> DemoSummary:
    """Record the demo dataset as of ``today`` (not after the services' clock date; pass the
    clock's date for the intended flags to be the ones open now).

    Everything is checked before anything is written. ``progress(done, total)`` is called
    after each recorded command. Loading into a store that holds the whole demo records
    nothing (the summary says ``already_loaded``); a store that holds some of its donors or
    cases raises ``DemoConflictError``.
    """
    plan = plan_demo(services, today)
    summary = DemoSummary(donors=len(plan.data.donors), cases=len(plan.intended), events=0,
                          by_state={}, intended_flags=plan.intended, by_form=dict(plan.forms),
                          by_currency=dict(plan.currencies))
    if _already_loaded(services, plan):
        return DemoSummary(**{**summary.__dict__, "already_loaded": True})
    if today > services.clock():
        raise ValueError(f"the demo's today ({today}) is after the services' clock "
                         f"({services.clock()})")
    events, by_state = plan.schedule.run(progress)
    return DemoSummary(**{**summary.__dict__, "events": events, "by_state": by_state})
