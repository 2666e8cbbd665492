"""The notifier run by ``aidtrail worker`` (and ``aidtrail notify run``): the daily evaluation
once a day from the configured hour (Vietnam time), and the outbox drained every poll."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from application.notifications.outbox import STATE, stamp
from application.notifications.service import Notifications
from infrastructure.clock import VIETNAM, now_utc
from infrastructure.logging import get_logger
from infrastructure.notify.sender import Sender
from infrastructure.views.sql import ViewStore

log = get_logger("aidtrail.notify")


class Notifier:
    def __init__(self, notifications: Notifications, sender: Sender, store: ViewStore, *,
                 hour: int, poll: float, clock: Callable[[], datetime] = now_utc,
                 due: Callable[[], bool] | None = None) -> None:
        self.notifications, self.sender, self.store = notifications, sender, store
        self.hour, self.poll, self.clock = hour, poll, clock
        # Whether to tick now (None: always): on SQLite, while this process holds the
        # file's projections, so that one process per file sends.
        self.due = due
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self, now: datetime) -> None:
        """Evaluate today once (several workers may: the keys keep it once), then send."""
        local = now.astimezone(VIETNAM)
        day = local.date()
        if local.hour >= self.hour and not self._evaluated(day.isoformat()):
            added = self.notifications.evaluate(day, now)
            with self.store.transaction() as tx:
                tx.execute(f"INSERT INTO {STATE} (name, value) VALUES (%s, %s) "
                           "ON CONFLICT (name) DO NOTHING", (f"evaluated:{day}", stamp(now)))
            log.info("daily evaluation", day=day.isoformat(), added=added)
        self.sender.drain(now, day)

    def _evaluated(self, day: str) -> bool:
        with self.store.transaction(write=False) as tx:
            return bool(tx.fetchall(f"SELECT 1 FROM {STATE} WHERE name = %s",
                                    (f"evaluated:{day}",)))

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                if self.due is None or self.due():
                    self.tick(self.clock())
            except Exception:  # noqa: BLE001 - an outage must not end the notifier
                log.exception("notifier tick failed; retrying")
            self.stopping.wait(self.poll)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="aidtrail-notifier", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
