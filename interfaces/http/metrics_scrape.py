"""A scrape: the counted series (of every process, in multiprocess mode) and the figures read
from the database (projections, notification outbox)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

from interfaces.http.metrics import MULTIPROCESS, OWN
from interfaces.http.outbox_metrics import OutboxCollector
from interfaces.http.pool_metrics import POOLS
from interfaces.http.projection_metrics import ProjectionCollector


class _Scrape:
    def __init__(self, sources: Iterable[Any]) -> None:
        self.sources = list(sources)

    def collect(self) -> Iterator[Metric]:
        for source in self.sources:
            yield from source.collect()


def exposition(container: Any) -> bytes:
    """The Prometheus text format: the counters (of every process, in multiprocess mode),
    the projections' and the outbox's figures."""
    POOLS.refresh(container, force=True)
    counted: CollectorRegistry = OWN
    if MULTIPROCESS:
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    read = [ProjectionCollector(container), OutboxCollector(container)]
    return generate_latest(_Scrape([counted, *read]))  # type: ignore[arg-type]
