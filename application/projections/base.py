"""The projection port: a read model built from the event log in batches, exactly once."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Literal, Protocol
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

Dialect = Literal["sqlite", "postgres"]


class ViewTransaction(Protocol):
    """One database transaction on the view tables.

    SQL is written with ``%s`` placeholders on both dialects (a literal ``%`` is written
    ``%%``); the SQLite adapter converts them. Table names go through ``table()`` so that a
    shadow rebuild writes to ``<name>__shadow`` without the projection knowing.
    """

    dialect: Dialect

    def table(self, name: str) -> str: ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


class ViewStorePort(Protocol):
    """Opens transactions on the database that holds the events and the views."""

    dialect: Dialect

    def transaction(self, suffix: str = "", *, write: bool = True,
                    durable: bool = True) -> AbstractContextManager[ViewTransaction]: ...


class RunnerPort(Protocol):
    """What use cases (audit, read-your-writes) need from the projection runner."""

    app: Any

    @property
    def store(self) -> ViewStorePort: ...

    def catch_up(self, until: int | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 names: Iterable[str] | None = None) -> int: ...

    def position(self, name: str) -> int: ...

    def head(self) -> int: ...


class StoredNotification:
    """One event of the log as stored; the domain event is decoded only when asked for."""

    __slots__ = ("position", "originator_id", "originator_version", "topic", "state",
                 "_mapper", "_event")

    def __init__(self, position: int, originator_id: UUID | str, originator_version: int,
                 topic: str, state: bytes, mapper: Mapper[Any] | None = None) -> None:
        self.position = position
        self.originator_id = originator_id
        self.originator_version = originator_version
        self.topic = topic
        self.state = state
        self._mapper = mapper
        self._event: Any = None

    @property
    def event(self) -> Any:
        if self._event is None:
            if self._mapper is None:
                raise RuntimeError("no mapper to decode this notification")
            self._event = self._mapper.to_domain_event(StoredEvent(
                originator_id=self.originator_id, originator_version=self.originator_version,
                topic=self.topic, state=self.state))
        return self._event


class Projection(ABC):
    """A read model: its tables, and how a batch of events changes them.

    ``process_batch`` runs inside the transaction that also advances the tracking row, so
    it must only write through ``tx`` and must not commit.
    """

    name: str
    tables: list[str]

    @abstractmethod
    def schema(self, dialect: Dialect, suffix: str = "") -> list[str]:
        """``CREATE TABLE IF NOT EXISTS`` statements; every table name gets ``suffix``."""

    @abstractmethod
    def process_batch(self, tx: ViewTransaction, events: Sequence[StoredNotification]) -> None:
        """Apply events (in log order, none seen before by this projection)."""
