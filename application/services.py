"""Use cases for cases and donors: load, give the domain what it needs, save, retry."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Collection
from datetime import date, datetime, timedelta, timezone
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from application.app import AidTrail
from application.commands.base import CaseCommand, Command, DonorCommand
from application.commands.dossier import draft_facts
from application.commands.opening import OpenCase, RegisterDonor
from application.errors import ConcurrentWriteError, StaleVersionError
from application.handlers.needs import Needs
from application.handlers.registry import CASE_HANDLERS, DONOR_HANDLERS
from application.idempotency import CommandKey, KeyedSave
from application.latest import LatestAggregates
from application.on_loop import blocking, pause
from application.ports import RuleBookPort
from application.profiles import case_profile
from application.rendered import Rendered, RenderedStates
from application.results import CommandResult
from domain.agencies import FocalAgency
from domain.case import AidCase
from domain.donor import Donor
from domain.errors import CodedError, ConflictError, InvalidInputError, NotFoundError
from domain.provinces import ProvinceRegister
from domain.rules import RuleProfile

MAX_RETRIES = 8
# After a sign that another process writes an aggregate too, this many of its next commands
# read what was stored after the state in hand before deciding (``application/latest.py``).
CONTESTED_READS = 16
VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


class Services:
    """The application's commands. Time comes from ``clock``; rules from ``rulebook``."""

    def __init__(self, app: AidTrail, rulebook: RuleBookPort, clock: Callable[[], date],
                 *, latest_size: int = 1000, register: ProvinceRegister | None = None,
                 communes: Collection[str] | None = None) -> None:
        self.app, self.rulebook, self.clock = app, rulebook, clock
        # The province register, and the commune codes when a list is configured.
        self.register, self.communes = register or ProvinceRegister(), communes
        self._rendered = RenderedStates()
        self._latest = LatestAggregates(latest_size)

    # --- reading ------------------------------------------------------------------------------

    def get_case(self, case_id: UUID, version: int | None = None) -> AidCase:
        return self._get(AidCase, case_id, version)

    def head_version(self, case_id: UUID) -> int:
        """The case's latest version, read from the store (0: no such aggregate)."""
        last = self.app.recorder.select_events(case_id, desc=True, limit=1)
        return int(last[0].originator_version) if last else 0

    def rendered_case(self, case_id: UUID, version: int | None = None) -> Rendered:
        """The case's state as JSON bytes at ``version`` (the head by default)."""
        head = self.head_version(case_id)
        if head == 0:
            raise NotFoundError(f"case {case_id} not found", code="case_not_found")
        if version is not None and version > head:
            raise InvalidInputError(f"version {version} is beyond the head ({head})",
                                    code="version_beyond_head", field="version")
        wanted = version or head

        def render() -> Rendered:
            case = self.get_case(case_id, wanted)
            return Rendered(case.version, case.province, json.dumps(
                case.state(), ensure_ascii=False, separators=(",", ":")).encode())

        return self._rendered.get(case_id, wanted, render)

    def version_as_of(self, case_id: UUID, as_of: datetime) -> int:
        """The case's version at a moment (a naive moment is Vietnamese time)."""
        moment = as_of if as_of.tzinfo else as_of.replace(tzinfo=VIETNAM)
        version = 0
        for stored in self.app.events.get(case_id):
            if cast(Any, stored).timestamp > moment:
                break
            version = stored.originator_version
        if version == 0:
            raise NotFoundError(f"case {case_id} did not exist at {as_of.isoformat()}",
                                code="case_not_found")
        return version

    def history(self, case_id: UUID, after_version: int = 0, limit: int = 100
                ) -> list[Any]:
        """The case's events in order, a page at a time."""
        return list(self.app.events.get(case_id, gt=after_version or None, limit=limit))

    def get_donor(self, donor_id: UUID, version: int | None = None) -> Donor:
        return self._get(Donor, donor_id, version)

    def _get(self, kind: type, aggregate_id: UUID, version: int | None, *,
             snapshot: bool = False) -> Any:
        what = "case" if kind is AidCase else "donor"
        try:
            aggregate: Any = blocking(lambda: self.app.load(aggregate_id, version,
                                                            snapshot=snapshot))
        except AggregateNotFoundError:
            raise NotFoundError(f"{what} {aggregate_id} not found",
                                code=f"{what}_not_found") from None
        if not isinstance(aggregate, kind):
            raise NotFoundError(f"{what} {aggregate_id} not found", code=f"{what}_not_found")
        return aggregate

    def profile_for(self, case: AidCase, on: date) -> RuleProfile:
        """The case's own rules: its legal basis once submitted, else those in force ``on``."""
        return case_profile(self.rulebook, case, on)

    # --- commands -------------------------------------------------------------------------------

    def open_case(self, command: OpenCase, once: CommandKey | None = None) -> CommandResult:
        """Open a case. ``once`` (an Idempotency-Key) is recorded with its events."""
        case = self.new_case(command, self.get_donor(command.donor_id))
        try:
            return self._save(case, once)
        except IntegrityError:
            raise ConflictError(f"a case with reference {command.reference!r} exists",
                                code="duplicate_reference") from None

    def new_case(self, command: OpenCase, donor: Donor) -> AidCase:
        """The case ``command`` opens, not saved yet (imports save a whole history at once)."""
        on = command.effective_date or self.clock()
        self._check_commune(command)
        basis = command.legal_basis or self.rulebook.in_force(on, command.province).ref
        return AidCase.open(
            reference=command.reference, donor=donor, **draft_facts(command), legal_basis=basis,
            actor=command.actor, effective_date=on, place=command.place)

    def _check_commune(self, command: OpenCase) -> None:
        """The commune is on the commune list, when one is configured."""
        code = command.place.commune_code if command.place else None
        if code is not None and self.communes is not None and code.strip() not in self.communes:
            raise InvalidInputError(f"commune {code!r} is not on the configured commune list",
                                    code="unknown_commune", field="commune_code")

    def handle_case(self, command: CaseCommand,
                    visible: Callable[[AidCase], bool] | None = None,
                    once: CommandKey | None = None) -> CommandResult:
        """Run one case command; without If-Match a concurrent write is retried.
        ``visible`` says whether the caller may see the case (404 otherwise); ``once`` (an
        Idempotency-Key) is recorded in the transaction of the command's events."""
        handler = CASE_HANDLERS[type(command)]
        return self._run(AidCase, command.case_id, command.expected_version,
                         self._needs_on(command),
                         lambda case, needs: handler(case, command, needs), visible, once)

    def register_donor(self, command: RegisterDonor, once: CommandKey | None = None
                       ) -> CommandResult:
        donor = Donor.register(code=command.code, name=command.name, country=command.country,
                               kind=command.kind, iati_ref=command.iati_ref,
                               actor=command.actor,
                               effective_date=command.effective_date or self.clock())
        try:
            return self._save(donor, once)
        except IntegrityError:
            raise ConflictError(f"a donor with code {command.code!r} exists",
                                code="duplicate_donor") from None

    def handle_donor(self, command: DonorCommand, once: CommandKey | None = None
                     ) -> CommandResult:
        handler = DONOR_HANDLERS[type(command)]
        return self._run(Donor, command.donor_id, command.expected_version,
                         self._needs_on(command),
                         lambda donor, needs: handler(donor, command, needs), once=once)

    # --- the mechanics --------------------------------------------------------------------------

    def _needs_on(self, command: Command) -> date:
        return command.effective_date or self.clock()

    def _run(self, kind: type, aggregate_id: UUID, expected_version: int | None, on: date,
             handle: Callable[[Any, Needs], None],
             visible: Callable[[Any], bool] | None = None,
             once: CommandKey | None = None) -> CommandResult:
        needs = CommandNeeds(self, on)
        reads = 0
        for attempt in range(MAX_RETRIES):
            aggregate, loaded, reads = self._load_for_command(kind, aggregate_id, reads,
                                                              fresh=attempt > 0)
            try:
                if visible is not None and not visible(aggregate):
                    raise NotFoundError(f"{aggregate_id} not found", code="case_not_found")
                if expected_version is not None and aggregate.version != expected_version:
                    raise StaleVersionError(
                        f"the version is {aggregate.version}, not {expected_version}",
                        current_version=aggregate.version)
                # Guards run again on every attempt, on fresh state.
                handle(aggregate, needs)
            except CodedError:
                if loaded:
                    raise
                continue  # refused on remembered state: decided again on the stored one
            try:
                result = self._save(aggregate, once, reads)
            except IntegrityError:
                reads = CONTESTED_READS  # another writer: read what it wrote before deciding
                if expected_version is not None:
                    raise StaleVersionError("the version changed while the command ran") from None
                pause(random.uniform(0, 0.005 * (2 ** attempt)))  # noqa: S311
                continue
            return result
        raise ConcurrentWriteError("too many concurrent writes to the same record; retry")

    def _load_for_command(self, kind: type, aggregate_id: UUID, reads: int, *, fresh: bool
                          ) -> tuple[Any, bool, int]:
        """The aggregate to decide on, whether it is as stored just now, and its ``reads``
        (``application/latest.py``). Not read: the state this process saved last (no query
        at all). Another process may have written since; then its save conflicts (version
        N+1 exists) and the command runs again on a full load, and a refusal decided on
        remembered state is decided again on a full load (``fresh``: snapshot + events)
        before it is given. With ``reads`` left, the state in hand is first brought up to
        date with the events stored after it (one indexed query)."""
        entry = None if fresh else self._latest.take(aggregate_id)
        if entry is None or not isinstance(entry[0], kind):
            return self._get(kind, aggregate_id, None, snapshot=True), True, reads
        cached, reads = entry
        if reads <= 0:
            return cached, False, 0
        aggregate, applied = blocking(lambda: self.app.fast_forward(cached))
        return aggregate, True, CONTESTED_READS if applied else reads - 1

    def _save(self, aggregate: Aggregate, once: CommandKey | None = None, reads: int = 0
              ) -> CommandResult:
        """Append the aggregate's new events; with ``once``, its key and result are written
        in the same transaction (``KeyAlreadyRecorded``: a twin was recorded, nothing is)."""
        status = str(getattr(aggregate, "status", "registered"))
        keyed = {} if once is None else {
            "idempotency": KeyedSave(once, aggregate.id, aggregate.version, status)}
        with self.app.saving(aggregate):
            recordings = self.app.save(aggregate, **keyed)
        self._latest.put(aggregate, reads)
        position = recordings[-1].notification.id if recordings else 0
        return CommandResult(id=aggregate.id, version=aggregate.version, status=status,
                             position=position)


def event_payload(domain_event: Any) -> dict[str, Any]:
    """An event's own attributes, without the library's envelope."""
    skip = {"originator_id", "originator_version", "timestamp"}
    return {k: v for k, v in domain_event.__dict__.items() if k not in skip}


class CommandNeeds:
    """What handlers ask for, computed only when asked; ``donors`` not saved yet (an import's)
    are found before the store's."""

    def __init__(self, services: Services, on: date,
                 donors: dict[UUID, Donor] | None = None) -> None:
        self.services, self.on, self.donors = services, on, donors or {}

    def today(self) -> date:
        return self.services.clock()

    def profile(self) -> RuleProfile:
        return self.services.rulebook.in_force(self.on)

    def case_profile(self, case: AidCase) -> RuleProfile:
        return self.services.profile_for(case, self.on)

    def donor_of(self, case: AidCase) -> Donor:
        return self.donors.get(case.donor_id) or self.services.get_donor(case.donor_id)

    def focal_agency(self, case: AidCase) -> FocalAgency | None:
        return self.services.register.focal_agency(case.province, self.on)
