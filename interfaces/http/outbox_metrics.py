"""The notification outbox's figures, read from the database at scrape time: the sender runs in
`aidtrail worker` (or `notify run`), which serves no HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from application.notifications.outbox import STATUSES
from application.notifications.rules import CHANNELS


class OutboxCollector:
    """Notices by channel and status, and the delivery attempts that failed."""

    def __init__(self, container: Any) -> None:
        self.container = container

    def collect(self) -> Iterator[Metric]:
        notifications = self.container.notifications
        counts, failed = notifications.counts(), notifications.failed_attempts()
        outbox = GaugeMetricFamily("aidtrail_notification_outbox", "Notices in the outbox by "
                                   "status (pending and sending: not delivered yet)",
                                   labels=["channel", "status"])
        failures = CounterMetricFamily("aidtrail_notification_delivery_failures",
                                       "Delivery attempts that failed", labels=["channel"])
        for channel in CHANNELS:
            for status in STATUSES:
                outbox.add_metric([channel, status], counts.get((status, channel), 0))
            failures.add_metric([channel], failed.get(channel, 0))
        yield outbox
        yield failures
