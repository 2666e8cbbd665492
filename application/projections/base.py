"""The projection port: a read model built from the event log in batches, exactly once."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, Protocol, cast
from uuid import UUID

from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    TranscodingNotRegisteredError,
    UUIDAsHex,
    find_id_convertor,
)
from eventsourcing.utils import resolve_topic

from application.transcodings import DateAsISO

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

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Sequence[Sequence[Any]]) -> None:
        """Insert new rows (no conflict expected): ``COPY`` on PostgreSQL, else INSERTs."""
        ...


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
                 "_mapper", "_event", "_key")

    def __init__(self, position: int, originator_id: UUID | str, originator_version: int,
                 topic: str, state: bytes, mapper: Mapper[Any] | None = None) -> None:
        self.position = position
        self.originator_id = originator_id
        self.originator_version = originator_version
        self.topic = topic
        self.state = state
        self._mapper = mapper
        self._event: Any = None
        self._key: str | None = None

    @property
    def key(self) -> str:
        """``str(originator_id)``, computed once (the views key their rows by it)."""
        if self._key is None:
            self._key = str(self.originator_id)
        return self._key

    @property
    def event(self) -> Any:
        if self._event is None:
            if self._mapper is None:
                raise RuntimeError("no mapper to decode this notification")
            self._event = decoder_for(self._mapper)(self)
        return self._event


class EventDecoder:
    """``Mapper.to_domain_event`` without its per-event overhead, for the mapper's usual
    configuration (JSON, no cipher, no compressor): the same domain event objects.

    A rebuild decodes every event of the log, so the library's generic path (a StoredEvent
    per event, a transcoding object call per encoded value) is a visible part of its cost.
    Anything unusual, and any error, goes through the mapper itself.
    """

    def __init__(self, mapper: Mapper[Any]) -> None:
        self.mapper = mapper
        transcoder = mapper.transcoder
        self.fast = (mapper.cipher is None and mapper.compressor is None
                     and type(mapper).to_domain_event is Mapper.to_domain_event
                     and isinstance(transcoder, JSONTranscoder)
                     and type(transcoder).decode is JSONTranscoder.decode
                     and type(transcoder)._decode_obj is JSONTranscoder._decode_obj)
        self._classes: dict[tuple[str, type], tuple[type, Callable[[Any], Any], int]] = {}
        if not self.fast:
            return
        assert isinstance(transcoder, JSONTranscoder)
        plain: dict[type, Callable[[str], Any]] = {
            UUIDAsHex: UUID, DecimalAsStr: Decimal, DatetimeAsISO: datetime.fromisoformat,
            DateAsISO: date.fromisoformat}
        decoders = {name: plain.get(type(t), t.decode) for name, t in transcoder.names.items()}

        def hook(d: dict[str, Any]) -> Any:
            if len(d) == 2 and "_type_" in d and "_data_" in d:
                try:
                    decode = decoders[d["_type_"]]
                except KeyError:
                    raise TranscodingNotRegisteredError(d["_type_"]) from None
                return decode(d["_data_"])
            return d

        self._loads = json.JSONDecoder(object_hook=hook).decode

    def __call__(self, n: StoredNotification) -> Any:
        if not self.fast:
            return self._slow(n)
        oid = n.originator_id
        plan = self._classes.get((n.topic, type(oid)))
        try:
            if plan is None:
                cls = resolve_topic(n.topic)
                plan = (cls, find_id_convertor(cls, cast(Hashable, type(oid))),
                        getattr(cls, "class_version", 1))
                self._classes[(n.topic, type(oid))] = plan
            cls, convert, class_version = plan
            state = self._loads(n.state.decode("utf8"))
            state["originator_id"] = convert(oid)
            state["originator_version"] = n.originator_version
            from_version = state.pop("class_version", 1)
            while from_version < class_version:
                getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
                from_version += 1
        except Exception:  # noqa: BLE001 - the mapper raises its own, documented error
            return self._slow(n)
        event: Any = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return event

    def _slow(self, n: StoredNotification) -> Any:
        return self.mapper.to_domain_event(StoredEvent(
            originator_id=n.originator_id, originator_version=n.originator_version,
            topic=n.topic, state=n.state))


_decoders: dict[int, EventDecoder] = {}


def decoder_for(mapper: Mapper[Any]) -> EventDecoder:
    decoder = _decoders.get(id(mapper))
    if decoder is None or decoder.mapper is not mapper:
        if len(_decoders) > 16:  # tests build many applications: keep a few
            _decoders.clear()
        decoder = _decoders[id(mapper)] = EventDecoder(mapper)
    return decoder


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
