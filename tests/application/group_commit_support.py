"""What the group-commit tests share: a container that batches, its recorder, events made
up for it, and a disbursement to run."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

from eventsourcing.persistence import StoredEvent

from application.commands.funds import RecordDisbursement
from application.idempotency import CommandKey, KeyedSave
from domain.money import Money
from infrastructure.postgres_factory import AppendingRecorder
from infrastructure.settings import Settings
from infrastructure.sqlite_factory import KeyedSQLiteApplicationRecorder
from interfaces.container import Container, build_container
from tests.application.support import OWNER
from tests.conftest import TEST_SECRET

Recorder = AppendingRecorder | KeyedSQLiteApplicationRecorder


def batching(url: str) -> Iterator[Container]:
    """A container on ``url`` whose saves go through group commit (2 ms)."""
    c = build_container(Settings(database_url=url, jwt_secret=TEST_SECRET,
                                 inprocess_projections=False, group_commit_wait_ms=2))
    try:
        yield c
    finally:
        c.close()


def recorder_of(container: Container) -> Recorder:
    recorder = container.app.recorder
    assert isinstance(recorder, Recorder) and recorder.group_commit is not None
    return recorder


def events(originator: uuid.UUID, versions: range) -> list[StoredEvent]:
    return [StoredEvent(originator_id=originator, originator_version=v, topic="test:Event",
                        state=b"{}") for v in versions]


def keyed(key: str, originator: uuid.UUID) -> KeyedSave:
    return KeyedSave(CommandKey("someone", key, "print"), originator, 1, "ok")


def versions(recorder: Recorder, originator: uuid.UUID) -> list[int]:
    return [e.originator_version for e in recorder.select_events(originator)]


def disburse(container: Container, case_id: uuid.UUID, note: str,
             expected: int | None = None) -> Callable[[], object]:
    command = RecordDisbursement(case_id=case_id, actor=OWNER, amount=Money.of("1", "USD"),
                                 vnd_rate=Decimal("25000"), aid_account="VCB-1", note=note,
                                 effective_date=date(2025, 3, 1), expected_version=expected)
    return lambda: container.services.handle_case(command)


def notes(container: Container, case_id: uuid.UUID) -> list[str]:
    case = container.services.get_case(case_id)
    return [t["note"] for t in case.state()["transactions"] if t["kind"] == "disbursed"]
