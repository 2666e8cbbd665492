"""The projection runner of a command-line session, and its progress bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from infrastructure.settings import Settings
from infrastructure.views import ProjectionRunner
from interfaces.container import build_container


@contextmanager
def open_runner() -> Iterator[ProjectionRunner]:
    container = build_container(Settings())
    try:
        yield container.runner
    finally:
        container.close()


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback drawing a bar on a terminal, silent otherwise."""
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
