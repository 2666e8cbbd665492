"""The projections a runner has set aside after a failure, and when each is tried again."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import infrastructure.views.failures as failures
from application.projections.base import Projection
from infrastructure.logging import get_logger
from infrastructure.views.failures import Backoff, Failure
from infrastructure.views.sql import ViewStore

log = get_logger("aidtrail.projections")


class SetAside:
    """A projection that failed on an event is set aside until its next attempt is due
    (monotonic seconds); the others go on without it. Kept in memory; the failure itself is
    recorded in ``projection_failure`` for every process to see."""

    def __init__(self, store: ViewStore, backoff: Backoff | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.backoff = backoff or Backoff()
        self._clock = clock
        self._attempts: dict[str, int] = {}
        self._retry_at: dict[str, float] = {}
        self._failing_at: dict[str, int] = {}
        self.loaded = False

    def load(self, recorded: dict[str, Failure]) -> None:
        """Failures recorded before this runner started are tried again at once."""
        for name, failure in recorded.items():
            if name not in self._attempts:
                self._attempts[name] = failure.attempts
                self._retry_at[name] = self._clock()
                self._failing_at[name] = failure.position
        self.loaded = True

    def due(self, chosen: Iterable[Projection], known: dict[str, int]) -> list[Projection]:
        """Those of ``chosen`` not waiting for their next attempt; a failure that another
        runner has moved past (``known`` positions) is forgotten."""
        for name, failing_at in list(self._failing_at.items()):
            if known.get(name, 0) >= failing_at:
                self.forget(name)
        now = self._clock()
        return [p for p in chosen if self._retry_at.get(p.name, now) <= now]

    def holds(self, name: str) -> bool:
        return name in self._attempts

    def failed(self, p: Projection, position: int, exc: Exception) -> None:
        attempts = self._attempts.get(p.name, 0) + 1
        delay = self.backoff.delay(attempts)
        self._attempts[p.name] = attempts
        self._retry_at[p.name] = self._clock() + delay
        self._failing_at[p.name] = position
        with self.store.transaction() as tx:
            failure = failures.record(tx, p.name, position, exc, attempts, delay)
        # One line per attempt, so at most one per back-off step; the stack the first time.
        log.error("projection_failed", projection=p.name, position=position,
                  code=failure.code, error_class=failure.error_class, attempt=attempts,
                  retry_in_seconds=delay, exc_info=exc if attempts == 1 else None)

    def recovered(self, p: Projection, position: int) -> None:
        self.forget(p.name)
        log.info("projection_recovered", projection=p.name, position=position)

    def forget(self, name: str) -> None:
        self._attempts.pop(name, None)
        self._retry_at.pop(name, None)
        self._failing_at.pop(name, None)
