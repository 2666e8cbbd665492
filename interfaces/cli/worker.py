"""``aidtrail worker``: runs the projections (one active worker each on PostgreSQL, one per
file on SQLite) and the notifier (the daily evaluation and the outbox sender)."""

from __future__ import annotations

import signal
from types import FrameType

import typer

from infrastructure.heap import settle_heap
from infrastructure.logging import configure_logging, get_logger
from infrastructure.settings import Settings
from infrastructure.views.worker import Worker
from interfaces.container import build_container, build_notifier


def worker() -> None:
    """Keep the read models caught up; several may run, one is active per projection."""
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    if settings.database.is_memory:
        typer.echo("aidtrail: the worker needs a database file; an in-memory SQLite "
                   "database lives in one process", err=True)
        raise typer.Exit(2)
    container = build_container(settings)
    running = Worker(container.runner, poll=min(0.5, settings.projection_poll_seconds))
    # On SQLite the notifier runs while this worker holds the file's projections.
    notifier = build_notifier(container, due=lambda: running.sends_notices)
    settle_heap()
    try:
        def stop(signum: int, _: FrameType | None) -> None:
            get_logger("aidtrail.worker").info("stopping", signal=signum)
            running.stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        get_logger("aidtrail.worker").info("worker started", schema=settings.database.schema)
        notifier.start()
        running.run()
    finally:
        notifier.stop()
        container.close()
