"""The demo records exactly the events it recorded when its dataset was still code: the same
donors, cases and commands in the same order with the same effective dates (both backends).

``golden/demo-2026-11-20.jsonl.gz`` is ``aidtrail audit export`` of the demo loaded as of
20 November 2026, one line per event: position, aggregate id, version, topic and the event's
state without its ``timestamp`` (the wall clock of the load, the only field that varies; ids
are derived from references and codes, so they are compared exactly)."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

from application.audit import export_events
from interfaces.container import Container
from interfaces.demo import load_demo

GOLDEN = Path(__file__).parent / "golden" / "demo-2026-11-20.jsonl.gz"
TODAY = date(2026, 11, 20)
RECORDED_EVENTS = 1654  # the demo with the Vietnamese translations of its donors' letters


def normalised(record: dict[str, Any]) -> list[Any]:
    state = json.loads(base64.b64decode(record["state"]))
    state.pop("timestamp")
    return [record["position"], record["originator_id"], record["originator_version"],
            record["topic"], state]


def test_the_demo_records_the_same_events_as_the_recorded_export(container: Container) -> None:
    if container.background is not None:
        container.background.stop()
    load_demo(container.services, TODAY)

    recorded = [json.loads(line) for line in gzip.open(GOLDEN, "rt", encoding="utf-8")]
    exported = [normalised(r) for r in export_events(container.runner)]

    assert len(exported) == len(recorded) == RECORDED_EVENTS
    for mine, theirs in zip(exported, recorded, strict=True):
        assert mine == theirs, f"event at position {theirs[0]} differs"
