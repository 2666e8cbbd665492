"""The projections' figures, read from the database at scrape time, so they are the same
whichever process answers and include the work of `aidtrail worker` processes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from infrastructure.views.lag import age_of_first_unprocessed


class ProjectionCollector:
    """Each projection's position, lag and failure, read from the database at scrape time."""

    def __init__(self, container: Any) -> None:
        self.container = container

    def collect(self) -> Iterator[Metric]:
        runner = self.container.runner
        head = runner.head()
        failing = runner.failures()
        labels = ["projection"]
        metrics = {
            "position": GaugeMetricFamily("aidtrail_projection_position",
                                          "The last event position the projection has "
                                          "applied", labels=labels),
            "lag_events": GaugeMetricFamily("aidtrail_projection_lag_events",
                                            "Events recorded but not yet applied",
                                            labels=labels),
            "lag_seconds": GaugeMetricFamily("aidtrail_projection_lag_seconds",
                                             "Age of the oldest event not yet applied",
                                             labels=labels),
            "failing": GaugeMetricFamily("aidtrail_projection_failing", "1 while the "
                                         "projection fails on an event", labels=labels),
            "attempts": GaugeMetricFamily("aidtrail_projection_failure_attempts",
                                          "Attempts at the event it fails on (0: none)",
                                          labels=labels),
        }
        for name, position in sorted(runner.positions().items()):
            failure = failing.get(name)
            metrics["position"].add_metric([name], position)
            metrics["lag_events"].add_metric([name], max(0, head - position))
            metrics["lag_seconds"].add_metric(
                [name], age_of_first_unprocessed(self.container.app, position, head))
            metrics["failing"].add_metric([name], 0 if failure is None else 1)
            metrics["attempts"].add_metric([name], 0 if failure is None else failure.attempts)
        yield GaugeMetricFamily("aidtrail_events_head", "Position of the last recorded event",
                                value=head)
        yield from metrics.values()
