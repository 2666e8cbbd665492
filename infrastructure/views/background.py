"""A background thread for the in-process projections (SQLite, or `serve` without a worker)."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from infrastructure.logging import get_logger
from infrastructure.views.lease import FileLease
from infrastructure.views.runner import ProjectionRunner

log = get_logger("aidtrail.projections")


# Events per transaction of the live catch-up. On SQLite a transaction of the views holds
# the one writer and commands wait behind it: at 390 commands/s, c=16, the p99 of commands
# was 290 ms with pages of up to 4,000 events, 152 ms with 32, 69 ms with 8, for the same
# CPU per command (bench/RESULTS.md, "Write path").
LIVE_PAGE = 8


class BackgroundCatchUp:
    """The embedded default's runner: a daemon thread that keeps the views caught up.

    With a ``lease`` (a SQLite file's), it catches up only while it holds it: a process that
    holds it already (an `aidtrail worker`, another server) runs them, and this one stands
    by, trying again at each tick."""

    def __init__(self, runner: ProjectionRunner, interval: float = 0.2,
                 page: int = LIVE_PAGE, lease: FileLease | None = None) -> None:
        self.runner = runner
        self.interval = interval
        self.page = page
        self.lease = lease
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.runner.setup()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="projections", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                return  # still inside a catch-up: it lets go of the lease on its way out
            self._thread = None
        if self.lease is not None:
            self.lease.release()

    def nudge(self) -> None:
        """Catch up now rather than at the next tick (after a write)."""
        self._wake.set()

    def wait_for(self, position: int, timeout: float,
                 names: Iterable[str] | None = None) -> bool:
        self.nudge()
        return self.runner.wait_for(position, timeout, names)

    @property
    def active(self) -> bool:
        """Whether this process runs the projections (holds the lease, or needs none)."""
        return self.lease is None or self.lease.held

    def _run(self) -> None:
        try:
            self._loop()
        finally:
            if self.lease is not None:
                self.lease.release()

    def _loop(self) -> None:
        standing_by = False
        while not self._stop.is_set():
            try:
                if self.lease is None or self.lease.try_acquire():
                    if standing_by:
                        log.info("projections active")
                        standing_by = False
                    self.runner.catch_up(page=self.page)
                elif not standing_by:
                    log.info("projections run by another process; standing by",
                             lock=self.lease.path.name)
                    standing_by = True
            except Exception:  # noqa: BLE001 - the loop must survive; the next tick retries
                log.exception("projection catch-up failed")
            self._wake.wait(self.interval)
            self._wake.clear()
