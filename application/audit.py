"""Tamper evidence (SPEC §4): a SHA-256 chain over every stored event, verified, exported."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any, Literal
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from application.projections.base import (
    Dialect,
    Projection,
    RunnerPort,
    StoredNotification,
    ViewTransaction,
)

LEDGER = "audit_ledger"
COLUMNS = ("position", "originator_id", "originator_version", "topic", "event_hash",
           "chain_hash")
GENESIS = "0" * 64
PAGE = 1000
INSERT_BYTES = 256 * 1024
Progress = Callable[[int, int], None]
Problem = Literal["altered", "removed", "inserted", "reordered"]


def event_hash(originator_id: UUID | str, originator_version: int, topic: str,
               state: bytes) -> str:
    """SHA-256 of ``"<originator id>\\n<version>\\n<topic>\\n"`` (UTF-8) followed by the
    stored state bytes.

    The log position is deliberately left out: positions are renumbered when an export is
    imported into another store (the log may have gaps), and the chain already fixes order.
    """
    return sha256(f"{originator_id}\n{originator_version}\n{topic}\n".encode() + state).hexdigest()


def chain_hash(previous: str, event: str) -> str:
    """SHA-256 of the two hex digests concatenated; the first event follows ``GENESIS``."""
    return sha256((previous + event).encode()).hexdigest()


class AuditLedgerProjection(Projection):
    """``audit_ledger``: one row per stored event with its hash and the chained hash."""

    name = LEDGER
    tables = [LEDGER]

    def schema(self, dialect: Dialect, suffix: str = "") -> list[str]:
        return [f"CREATE TABLE IF NOT EXISTS {LEDGER}{suffix} (position BIGINT PRIMARY KEY, "
                "originator_id TEXT NOT NULL, originator_version BIGINT NOT NULL, "
                "topic TEXT NOT NULL, event_hash TEXT NOT NULL, chain_hash TEXT NOT NULL)"]

    def process_batch(self, tx: ViewTransaction, events: Sequence[StoredNotification]) -> None:
        table = tx.table(LEDGER)
        last = tx.fetchall(f"SELECT chain_hash FROM {table} ORDER BY position DESC LIMIT 1")
        chain = str(last[0][0]) if last else GENESIS
        rows = []
        for e in events:  # event_hash and chain_hash inlined: this loop sees every event
            digest = sha256(f"{e.key}\n{e.originator_version}\n{e.topic}\n".encode()
                            + e.state).hexdigest()
            chain = sha256((chain + digest).encode()).hexdigest()
            rows.append((e.position, e.key, e.originator_version, e.topic, digest, chain))
        tx.insert_rows(table, COLUMNS, rows)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head_hash: str
    first_bad_position: int | None = None
    problem: Problem | None = None
    detail: str = ""


class TamperedError(Exception):
    """An export or import file does not match its own hashes."""


def _ledger_page(runner: RunnerPort, after: int, upto: int,
                 limit: int | None = None) -> list[tuple[Any, ...]]:
    with runner.store.transaction(write=False) as tx:
        return tx.fetchall(f"SELECT position, event_hash, chain_hash FROM {LEDGER} "
                           "WHERE position > %s AND position <= %s ORDER BY position"
                           + (f" LIMIT {int(limit)}" if limit else ""), (after, upto))


def _store_pages(runner: RunnerPort, stop: int) -> Iterator[Sequence[Any]]:
    start = 1
    while start <= stop:
        page = runner.app.recorder.select_notifications(start, PAGE, stop=stop)
        if not page:
            return
        yield page
        start = page[-1].id + 1


def _store_rows(runner: RunnerPort, stop: int) -> Iterator[Any]:
    for page in _store_pages(runner, stop):
        yield from page


def _recorded_chains(runner: RunnerPort, after: int, upto: int) -> list[tuple[Any, ...]]:
    with runner.store.transaction(write=False) as tx:
        return tx.fetchall(f"SELECT position, chain_hash FROM {LEDGER} "
                           "WHERE position > %s AND position <= %s ORDER BY position",
                           (after, upto))


def _chain_page(chain: str, page: Sequence[Any]) -> list[str]:
    """The chained hashes of a page, without a function call per row (the hot loop)."""
    digests = [sha256(f"{n.originator_id}\n{n.originator_version}\n{n.topic}\n".encode()
                      + n.state).hexdigest() for n in page]
    chains = []
    for digest in digests:
        chain = sha256((chain + digest).encode()).hexdigest()
        chains.append(chain)
    return chains


def _ledger_head(runner: RunnerPort) -> tuple[int, str]:
    position = runner.position(LEDGER)
    with runner.store.transaction(write=False) as tx:
        rows = tx.fetchall(f"SELECT chain_hash FROM {LEDGER} WHERE position = %s", (position,))
    return position, str(rows[0][0]) if rows else GENESIS


def verify_chain(runner: RunnerPort, progress: Progress | None = None) -> VerifyResult:
    """Recompute the chain from the event store and compare it with the ledger.

    New events are ledgered first; a forged row placed after the ledger's head therefore
    looks like a new event, which is why the head hash must be recorded outside the system.
    """
    runner.catch_up(names=[LEDGER])
    stop, _ = _ledger_head(runner)
    chain, count, after = GENESIS, 0, 0

    def bad(position: int, problem: Problem, detail: str) -> VerifyResult:
        return VerifyResult(False, count, chain, position, problem, detail)

    for page in _store_pages(runner, stop):
        chains = _chain_page(chain, page)
        if _recorded_chains(runner, after, page[-1].id) == [(n.id, c) for n, c in
                                                            zip(page, chains, strict=True)]:
            chain, count, after = chains[-1], count + len(page), page[-1].id
            if progress:
                progress(after, stop)
            continue
        # Something differs in this page: walk it row by row to name the first problem.
        rows = _ledger_page(runner, after, page[-1].id)
        for i, n in enumerate(page):
            if i == len(rows) or n.id < rows[i][0]:
                return bad(n.id, "inserted", "the store has an event the ledger never recorded")
            position, recorded, chained = rows[i]
            if position < n.id:
                return bad(position, "removed", "the ledger recorded an event the store lacks")
            digest = event_hash(n.originator_id, n.originator_version, n.topic, n.state)
            if digest != recorded:
                moved = _ledger_position_of(runner, digest)
                if moved is not None:
                    return bad(n.id, "reordered", f"this event was recorded at position {moved}")
                return bad(n.id, "altered", "the stored event differs from the one recorded")
            if chains[i] != chained:
                return bad(n.id, "altered", "the ledger's chained hash was changed")
            chain, count = chains[i], count + 1
        return bad(rows[len(page)][0], "removed", "the ledger recorded an event the store lacks")
    leftover = _ledger_page(runner, after, stop, limit=1)
    if leftover:
        return bad(leftover[0][0], "removed", "the ledger recorded an event the store lacks")
    if progress:
        progress(stop, stop)
    return VerifyResult(True, count, chain)


def chain_position(runner: RunnerPort, chained: str) -> int | None:
    """The log position whose chained hash is ``chained`` (a head hash recorded earlier)."""
    with runner.store.transaction(write=False) as tx:
        rows = tx.fetchall(f"SELECT position FROM {LEDGER} WHERE chain_hash = %s LIMIT 1",
                           (chained.strip().lower(),))
    return int(rows[0][0]) if rows else None


def _ledger_position_of(runner: RunnerPort, digest: str) -> int | None:
    with runner.store.transaction(write=False) as tx:
        rows = tx.fetchall(f"SELECT position FROM {LEDGER} WHERE event_hash = %s LIMIT 1",
                           (digest,))
    return int(rows[0][0]) if rows else None


def export_events(runner: RunnerPort) -> Iterator[dict[str, Any]]:
    """Every stored event in log order with the hashes the ledger recorded for it."""
    runner.catch_up(names=[LEDGER])
    stop, _ = _ledger_head(runner)
    ledger: dict[int, tuple[str, str]] = {}  # one page at a time, never the whole log
    for n in _store_rows(runner, stop):
        if n.id not in ledger:
            with runner.store.transaction(write=False) as tx:
                rows = tx.fetchall(f"SELECT position, event_hash, chain_hash FROM {LEDGER} "
                                   "WHERE position >= %s ORDER BY position LIMIT %s",
                                   (n.id, PAGE))
            ledger = {int(p): (str(e), str(c)) for p, e, c in rows}
        hashes: tuple[str | None, str | None] = ledger.get(n.id, (None, None))
        yield {"position": n.id, "originator_id": str(n.originator_id),
               "originator_version": n.originator_version, "topic": n.topic,
               "state": base64.b64encode(n.state).decode("ascii"),
               "event_hash": hashes[0], "chain_hash": hashes[1]}


def _records(source: Path | Sequence[str]) -> Iterator[dict[str, Any]]:
    lines: Iterable[str] = source.open(encoding="utf-8") if isinstance(source, Path) else source
    try:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise TamperedError(f"line {number} is not JSON: {exc.msg}") from None
                if not isinstance(record, dict):
                    raise TamperedError(f"line {number} is not an event record")
                yield record
    finally:
        close = getattr(lines, "close", None)
        if close:
            close()


def _checked(source: Path | Sequence[str]) -> Iterator[tuple[StoredEvent, str]]:
    """Each record as a StoredEvent, after checking its hash and its link in the chain."""
    chain = GENESIS
    for r in _records(source):
        where = f"position {r.get('position')}"
        try:
            stored = StoredEvent(originator_id=UUID(r["originator_id"]),
                                 originator_version=int(r["originator_version"]),
                                 topic=str(r["topic"]),
                                 state=base64.b64decode(r["state"], validate=True))
        except (KeyError, ValueError, TypeError) as exc:
            raise TamperedError(f"{where}: malformed record ({exc})") from None
        digest = event_hash(stored.originator_id, stored.originator_version, stored.topic,
                            stored.state)
        if digest != r.get("event_hash"):
            raise TamperedError(f"{where}: the event does not match its event_hash")
        chain = chain_hash(chain, digest)
        if chain != r.get("chain_hash"):
            raise TamperedError(f"{where}: the chain is broken (event removed, inserted "
                                "or reordered before it)")
        yield stored, chain


def import_events(runner: RunnerPort, source: Path | Sequence[str],
                  progress: Progress | None = None) -> VerifyResult:
    """Load an export into an empty store: the whole file is checked before anything is
    written, then the events are inserted in batches and the ledger is built."""
    if runner.head():
        raise ValueError("the target event store is not empty; import needs an empty store")
    total, head = 0, GENESIS
    for _, chained in _checked(source):
        total, head = total + 1, chained
    batch: list[StoredEvent] = []
    done = size = 0
    for stored, _ in _checked(source):
        batch.append(stored)
        size += len(stored.state)
        # psycopg's pipeline mode (used by the recorder) stalls on one very large statement
        # (psycopg issue #685): insert by count and by bytes.
        if len(batch) == PAGE or size >= INSERT_BYTES:
            runner.app.recorder.insert_events(batch)
            done, batch, size = done + len(batch), [], 0
            if progress:
                progress(done, total)
    if batch:
        runner.app.recorder.insert_events(batch)
    if progress:
        progress(total, total)
    runner.catch_up(names=[LEDGER])
    _, ledgered = _ledger_head(runner)
    if ledgered != head:
        return VerifyResult(False, total, ledgered, None, None,
                            f"imported head hash {ledgered} differs from the file's {head}")
    return VerifyResult(True, total, head)
