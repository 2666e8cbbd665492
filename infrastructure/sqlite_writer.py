"""SQLite has one writer at a time: the writers of this process take turns in arrival order.

Without a queue, each writer polls the file lock (SQLite's busy handler) or the library
pool's writer lock (5 s), and under many concurrent commands some give up with a 503 while
the database is healthy. Here every write transaction of the process, the library's and the
view store's, waits for its turn for at most ``wait`` seconds; only then is it refused.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from infrastructure.database import DatabaseBusyError


class WriterQueue:
    """A re-entrant, first-come first-served lock with a bounded wait."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: deque[tuple[int, threading.Event]] = deque()
        self._owner: int | None = None
        self._depth = 0
        # For the metrics: writes that had to wait, their total wait, and those refused.
        self.waits = 0
        self.wait_seconds = 0.0
        self.timeouts = 0

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def held_here(self) -> bool:
        """This thread has the turn (inside a write of its own)."""
        return self._owner == threading.get_ident()

    @contextmanager
    def turn(self, wait: float) -> Iterator[None]:
        self._acquire(wait)
        try:
            yield
        finally:
            self._release()

    def _acquire(self, wait: float) -> None:
        me = threading.get_ident()
        with self._mutex:
            if self._owner in (None, me):
                self._owner, self._depth = me, self._depth + 1
                return
            called = threading.Event()
            self._waiting.append((me, called))
        started = time.monotonic()
        handed = called.wait(wait)  # the previous writer hands its turn over (owner, depth set)
        with self._mutex:
            self.waits += 1
            self.wait_seconds += time.monotonic() - started
            if handed or called.is_set():  # or handed over just as the wait ran out
                return
            self._waiting.remove((me, called))
            self.timeouts += 1
        raise DatabaseBusyError(
            f"no turn to write within {wait:g} s: the database is busy with other writers")

    def _release(self) -> None:
        with self._mutex:
            self._depth -= 1
            if self._depth:
                return
            self._owner = None
            if self._waiting:
                self._owner, called = self._waiting.popleft()
                self._depth = 1
                called.set()


_queues: dict[str, WriterQueue] = {}
_guard = threading.Lock()


def writer_queue(sqlite_path: str) -> WriterQueue:
    """The one queue of this process for the SQLite database at ``sqlite_path``."""
    memory = sqlite_path == ":memory:" or "mode=memory" in sqlite_path
    key = ":memory:" if memory else os.path.realpath(sqlite_path)
    with _guard:
        return _queues.setdefault(key, WriterQueue())
