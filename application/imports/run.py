"""Import the plans: each donor and each case built in memory through its ordinary handlers
and saved with all its events in one transaction, so it is recorded whole or not at all.

A rule guard's refusal is recorded as a deviation naming the sheet and row (the compliance
view then shows the history honestly); any other refusal makes the row, and its case, bad.
A donor or case already in the store is compared with what the workbook would record:
the same events (their times aside) → unchanged, nothing written; else it is reported as
changed, never applied.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from application.commands.opening import OpenCase, RegisterDonor
from application.handlers.registry import CASE_HANDLERS, DONOR_HANDLERS
from application.imports.cells import Problem, Row
from application.imports.plan import Book, Plan, case_plans, donor_plans, orphans
from application.services import CommandNeeds, Services
from domain.donor import Donor
from domain.errors import CodedError, InvalidInputError, RuleViolationError
from domain.values import Deviation

LEGACY = "recorded from a legacy workbook: the fact predates its record in AidTrail"
Progress = Callable[[int, int], None]
HANDLERS: dict[type, Any] = {**CASE_HANDLERS, **DONOR_HANDLERS}


@dataclass
class ImportReport:
    written: list[str] = field(default_factory=list)  # donor codes and case references
    unchanged: list[str] = field(default_factory=list)
    changed: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    deviations: int = 0
    events: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.changed


class Importer:
    def __init__(self, services: Services, book: Book, actor_id: str) -> None:
        self.services = services
        self.donor_plans = donor_plans(book, actor_id)
        self.case_plans = case_plans(book, actor_id)
        self.donors: dict[UUID, Donor] = {}
        self.report = ImportReport()
        self.changed: set[str] = set()  # keys in the store that the workbook would change
        self._references()
        self.orphans = orphans(book, self.donor_plans, self.case_plans)

    def _references(self) -> None:
        """Cases naming a donor neither in the workbook nor in the store, or a province the
        province register does not know (old codes are known: they are kept as they were),
        are bad rows."""
        known = self.services.register.provinces
        for plan in self.case_plans.values():
            province = plan.row.text("province", "")
            if known and province and province not in known:
                plan.problems.append(plan.row.problem(
                    "province", f"{province!r} is not a province code of the register"))
            donor_id = Donor.create_id(plan.donor_code)
            if plan.donor_code not in self.donor_plans and \
                    self.services.head_version(donor_id) == 0:
                plan.problems.append(plan.row.problem(
                    "donor_code", f"no donor {plan.donor_code!r} in the workbook or the store"))

    def run(self, write: bool, strict: bool, progress: Progress | None = None) -> ImportReport:
        """Check every plan; then, when ``write`` (and not ``strict`` with a bad row), save
        each good one. In a dry run ``written`` names what would be recorded."""
        report, plans = self.report, [*self.donor_plans.values(), *self.case_plans.values()]
        report.dry_run = not write
        total = 2 * len(plans) if write else len(plans)
        built = []
        for done, plan in enumerate(plans, 1):
            aggregate = self._build(plan)
            if aggregate is not None and plan.key not in report.unchanged and not plan.problems:
                built.append((plan, aggregate))
            if progress:
                progress(done, total)
        report.problems = [*self.orphans, *(p for plan in plans for p in plan.problems)]
        good = [(p, a) for p, a in built if p.key not in self.changed]
        report.written = [p.key for p, _ in good]
        report.events = sum(len(a.pending_events) for _, a in good)
        report.deviations = sum(p.deviations for p, _ in good)
        if not write or (strict and not report.ok):
            if write:
                report.written, report.events = [], 0
            return report
        for done, (_, aggregate) in enumerate(good, len(plans) + 1):
            self.services.app.save(aggregate)
            if progress:
                progress(done, total)
        return report

    def _build(self, plan: Plan) -> Any:
        if plan.problems:
            return None
        try:
            aggregate = self._first(plan)
        except CodedError as exc:
            plan.problems.append(plan.row.problem(getattr(exc, "field", "") or "", str(exc)))
            return None
        rows: list[Row] = [plan.row] * len(aggregate.pending_events)
        for row, command in plan.steps:
            if not self._step(plan, aggregate, row, command):
                return None
            rows += [row] * (len(aggregate.pending_events) - len(rows))
        if self.services.head_version(aggregate.id) > 0:
            self._compare(plan, aggregate, rows)
        if isinstance(aggregate, Donor) and plan.key not in self.changed:
            self.donors[aggregate.id] = aggregate  # its cases are checked against it
        return aggregate

    def _first(self, plan: Plan) -> Any:
        first = plan.first
        if isinstance(first, RegisterDonor):  # registered on its first dated fact
            on = min([c.effective_date for _, c in plan.steps if c.effective_date]
                     + [c.first.effective_date for c in self.case_plans.values()
                        if c.donor_code == plan.key and not c.problems and c.first is not None
                        and c.first.effective_date], default=None)
            if on is None:
                raise InvalidInputError(f"donor {plan.key} has no certificate and no case to "
                                        "date its registration", field="code")
            return Donor.register(code=first.code, name=first.name, country=first.country,
                                  kind=first.kind, iati_ref=first.iati_ref, actor=first.actor,
                                  effective_date=on)
        assert isinstance(first, OpenCase)
        donor_plan = self.donor_plans.get(plan.donor_code)
        if donor_plan is not None and (donor_plan.problems or donor_plan.key in self.changed):
            raise InvalidInputError(f"its donor {donor_plan.key} is not imported (see its "
                                    "rows)", field="donor_code")
        donor_id = first.donor_id
        donor = self.donors.get(donor_id) or self.services.get_donor(donor_id)
        return self.services.new_case(first, donor)

    def _step(self, plan: Plan, aggregate: Any, row: Row, command: Any) -> bool:
        needs = CommandNeeds(self.services, command.effective_date, self.donors)
        try:
            try:
                HANDLERS[type(command)](aggregate, command, needs)
            except RuleViolationError:
                if not any(f.name == "deviation" for f in dataclasses.fields(command)):
                    raise
                deviation = Deviation(reason=LEGACY, document=f"{row.sheet} row {row.number}")
                HANDLERS[type(command)](aggregate, dataclasses.replace(
                    command, deviation=deviation), needs)
                plan.deviations += 1
        except CodedError as exc:
            plan.problems.append(row.problem(getattr(exc, "field", "") or "",
                                             f"{type(command).__name__}: {exc}"))
            return False
        return True

    def _compare(self, plan: Plan, aggregate: Any, rows: list[Row]) -> None:
        stored = list(self.services.app.events.get(aggregate.id))
        planned = aggregate.collect_events()
        for i, event in enumerate(planned):
            if i >= len(stored) or _body(event) != _body(stored[i]):
                row = rows[i]
                self.report.changed.append(row.problem("", f"{plan.key} differs from what was "
                                                           "imported before: not applied"))
                self.changed.add(plan.key)
                return
        self.report.unchanged.append(plan.key)


def _body(event: Any) -> tuple[str, dict[str, Any]]:
    return type(event).__qualname__, {k: v for k, v in event.__dict__.items()
                                      if k != "timestamp"}
