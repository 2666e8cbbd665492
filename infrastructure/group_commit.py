"""Group commit: the saves of concurrent commands written by one writer, several per transaction.

Each command thread hands its stored events (and its Idempotency-Key, if any) to the process's
one writer and waits. The writer takes what is queued, and when the previous batch had company
it waits up to ``wait`` seconds for more (never when commands come one at a time); then it
commits them in one transaction and answers each on its own: its notification ids, or the
refusal of that command alone. A command is answered only after its batch has committed.

Threads' saves are committed one transaction at a time (the ``turn``). A save on a thread
that finds nothing queued and no commit under way commits itself, in its own thread: a lone
command pays neither a wait nor the hand-over to the writer thread and back (two wake-ups,
which cost milliseconds on a busy machine); saves that arrive while a commit is under way
queue for the writer. A save of a command run on the event loop (``application/on_loop.py``)
goes to the writer, which cannot block the loop: the loop goes on with other requests, and
the writer answers all of a batch's commands on the loop with one call.

Where the recorder can also commit from an event loop (PostgreSQL, ``commit_on_loop``), the
saves of commands run on a loop are committed by that loop itself instead (``LoopWriter``):
no wait, no timer. While one batch is in the database the loop goes on with its other
requests, and what they save meanwhile is the next batch. Such a commit does not take the
``turn``: PostgreSQL's table lock in the append function orders it with the thread's. The
writer thread would need the interpreter lock back from the busy loop after each wait;
measured at c=16, its batches took every client's command (16 of 16) and the loop stood idle
while each one committed.
"""

from __future__ import annotations

import asyncio
import copy
import queue
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from eventsourcing.persistence import StoredEvent

from application.idempotency import KeyedSave
from application.on_loop import on_loop, wait_for
from infrastructure.database import DatabaseUnavailableError

MAX_COMMANDS = 64  # per batch
MAX_BYTES = 1 << 20  # of event state per batch: a larger save still goes, alone or last
ANSWER_WAIT = 60.0  # a writer that does not answer within this is taken for a lost database


@dataclass
class Pending:
    """One command's save, waiting for its batch: ``ids`` or ``error`` once ``done``."""

    events: Sequence[StoredEvent]
    keyed: KeyedSave | None
    ids: list[int] | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)
    future: asyncio.Future[None] | None = None  # answered on its event loop instead

    @property
    def size(self) -> int:
        return sum(len(e.state) for e in self.events)


Commit = Callable[[list[Pending]], None]  # sets ids or error on every pending it is given
CommitOnLoop = Callable[[list[Pending]], Awaitable[None]]  # the same, awaited on a loop


class GroupCommit:
    """The writer of one process (started on the first save, stopped by ``close``)."""

    def __init__(self, commit: Commit, wait: float,
                 commit_on_loop: CommitOnLoop | None = None) -> None:
        self._commit, self._wait = commit, wait
        self._commit_on_loop = commit_on_loop
        self._loop_writers: dict[asyncio.AbstractEventLoop, LoopWriter] = {}
        self._queue: queue.SimpleQueue[Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self._turn = threading.Lock()  # held while a transaction is being committed
        self._counting = threading.Lock()
        self._handed = 0
        self._company = False  # the last batch had more than one command
        # For the metrics and the bench: batches committed and the commands in them.
        self.batches = 0
        self.commands = 0

    @property
    def handed(self) -> int:
        """Saves handed to the writer and not answered yet."""
        return self._handed

    def save(self, events: Sequence[StoredEvent], keyed: KeyedSave | None) -> list[int]:
        """The notification ids of ``events``, once committed; the command's own error else."""
        pending = Pending(events, keyed)
        if on_loop() and self._commit_on_loop is not None:
            self._on_loop(pending)
        elif on_loop():
            self._await(pending)
        elif self._queue.empty() and self._turn.acquire(blocking=False):
            try:  # nothing to wait for: committed here, as without group commit
                self._commit([pending])
                self.batches += 1
                self.commands += 1
            finally:
                self._turn.release()
        else:
            self._hand_over(pending)
        if pending.error is not None:
            raise copy.copy(pending.error)  # an error of the batch is raised in each thread
        assert pending.ids is not None
        return pending.ids

    def _hand_over(self, pending: Pending) -> None:
        self._started()
        with self._counting:
            self._handed += 1
        self._queue.put(pending)
        answered = pending.done.wait(ANSWER_WAIT)
        with self._counting:
            self._handed -= 1
        if not answered:
            raise DatabaseUnavailableError("the database did not commit within "
                                           f"{ANSWER_WAIT:g} s")

    def _await(self, pending: Pending) -> None:
        """Hand ``pending`` to the writer and give the event loop back until it is answered
        (a command run ``on_loop``: the writer settles its future on the loop)."""
        pending.future = asyncio.get_running_loop().create_future()
        self._started()
        self._answered(pending.future, lambda: self._queue.put(pending))

    def _on_loop(self, pending: Pending) -> None:
        """Commit ``pending`` with the other saves of this event loop, by the loop itself."""
        loop = asyncio.get_running_loop()
        writer = self._loop_writers.get(loop)
        if writer is None:
            for known in list(self._loop_writers):  # loops of other threads too
                if known.is_closed():
                    self._loop_writers.pop(known, None)
            assert self._commit_on_loop is not None
            writer = self._loop_writers[loop] = LoopWriter(self._commit_on_loop, self)
        self._answered(writer.submit(pending), lambda: None)

    def _answered(self, future: asyncio.Future[None], hand: Callable[[], None]) -> None:
        """``hand()`` over the save whose answer settles ``future``, and give the event loop
        back until then (or a lost database, after ``ANSWER_WAIT``)."""
        expiry = asyncio.get_running_loop().call_later(ANSWER_WAIT, _expire, future)
        with self._counting:
            self._handed += 1
        hand()
        try:
            wait_for(future)
        finally:
            expiry.cancel()
            with self._counting:
                self._handed -= 1

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(ANSWER_WAIT)
            self._thread = None

    def _started(self) -> None:
        if self._thread is None:
            with self._start:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="group-commit",
                                                    daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            with self._turn:
                batch, stop = self._gather(first)
                try:
                    self._commit(batch)
                except BaseException as exc:  # noqa: BLE001 - every waiter gets its answer
                    for pending in batch:
                        if pending.ids is None and pending.error is None:
                            pending.error = exc
                self.batches += 1
                self.commands += len(batch)
            _answer(batch)
            self._company = len(batch) > 1
            if stop:
                return

    def _gather(self, first: Pending) -> tuple[list[Pending], bool]:
        """``first`` and what joins it; True when the writer is to stop after it."""
        batch, size = [first], first.size
        deadline = time.monotonic() + self._wait
        while len(batch) < MAX_COMMANDS and size < MAX_BYTES:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                remaining = deadline - time.monotonic()
                if self._wait <= 0 or remaining <= 0 or not (self._company or len(batch) > 1):
                    break
                try:
                    item = self._queue.get(timeout=remaining)
                except queue.Empty:
                    break
            if item is None:
                return batch, True
            batch.append(item)
            size += item.size
        return batch, False


class LoopWriter:
    """The committer of one event loop's saves: a batch is what was saved while the one
    before it was in the database (or, for the first, during the loop's turn)."""

    def __init__(self, commit: CommitOnLoop, counts: GroupCommit) -> None:
        self._commit, self._counts = commit, counts
        self._queued: list[Pending] = []
        self._running = False
        self._task: asyncio.Task[None] | None = None  # held: the loop keeps only a weak one

    def submit(self, pending: Pending) -> asyncio.Future[None]:
        loop = asyncio.get_running_loop()
        future = pending.future = loop.create_future()
        self._queued.append(pending)
        if not self._running:
            self._running = True
            self._task = loop.create_task(self._drain())
        return future

    async def _drain(self) -> None:
        try:
            while self._queued:
                batch = self._take()
                try:
                    await self._commit(batch)
                except BaseException as exc:  # noqa: BLE001 - every waiter gets its answer
                    for pending in batch:
                        if pending.ids is None and pending.error is None:
                            pending.error = exc
                    if not isinstance(exc, Exception):
                        raise
                finally:
                    self._counts.batches += 1
                    self._counts.commands += len(batch)
                    _settle([p.future for p in batch if p.future is not None])
        finally:
            self._running = False

    def _take(self) -> list[Pending]:
        batch: list[Pending] = []
        size = 0
        while self._queued and len(batch) < MAX_COMMANDS and size < MAX_BYTES:
            pending = self._queued.pop(0)
            batch.append(pending)
            size += pending.size
        return batch


def _answer(batch: list[Pending]) -> None:
    """Wake each waiter: a thread by its event, a loop once for all of its commands."""
    loops: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
    for pending in batch:
        if pending.future is None:
            pending.done.set()
        else:
            loops.setdefault(pending.future.get_loop(), []).append(pending.future)
    for loop, futures in loops.items():
        try:
            loop.call_soon_threadsafe(_settle, futures)
        except RuntimeError:  # its loop has closed: nobody waits any more
            pass


def _settle(futures: list[asyncio.Future[None]]) -> None:
    for future in futures:
        if not future.done():  # its request may have been cancelled meanwhile
            future.set_result(None)


def _expire(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_exception(DatabaseUnavailableError(
            f"the database did not commit within {ANSWER_WAIT:g} s"))
