"""Behaviour has not changed: the golden store (``tests/golden``, made by an earlier version
of this code with ``python -m tests.golden.make``) imports into an empty store, every aggregate
loads with the state it had at every version, the views rebuilt from it are the recorded
ones, ``audit verify`` gives the recorded head hash, and the OpenAPI document is the recorded
one except for its prose (on SQLite and PostgreSQL)."""

from __future__ import annotations

import gzip
import json
from typing import Any

from application.audit import import_events, verify_chain
from interfaces.container import Container
from interfaces.http.app import create_app
from tests.golden import record


def _imported(container: Container) -> dict[str, Any]:
    imported = import_events(container.runner, record.store_lines())
    assert imported.ok, imported.detail
    recorded: dict[str, Any] = json.loads(record.RECORDED.read_text())
    return recorded


def _first_difference(actual: list[Any], expected: list[Any]) -> str:
    for i, (a, e) in enumerate(zip(actual, expected, strict=False)):
        if a != e:
            return f"row {i}: {a} != recorded {e}"
    return f"{len(actual)} rows != recorded {len(expected)}"


def test_the_golden_store_verifies_to_the_recorded_head_hash(container: Container) -> None:
    recorded = _imported(container)

    verified = verify_chain(container.runner)

    assert verified.ok
    assert (verified.count, verified.head_hash) == (recorded["count"], recorded["head_hash"])


def test_every_aggregate_loads_with_its_recorded_state_at_every_version(
    container: Container,
) -> None:
    recorded = _imported(container)
    changed: dict[str, int | str] = {}

    for aggregate_id, expected in recorded["aggregates"].items():
        kind, states = expected["kind"], expected["states"]
        if record.head_digest(container, kind, aggregate_id) != states[-1]:
            changed[aggregate_id] = "head"
            continue
        actual = record.state_digests(container, aggregate_id)
        if actual != states:
            changed[aggregate_id] = next((v for v, (a, e) in enumerate(
                zip(actual, states, strict=False), start=1) if a != e), len(actual))

    assert changed == {}, "aggregate id -> first version whose state changed"


def test_the_views_rebuilt_from_the_golden_store_are_the_recorded_views(
    container: Container,
) -> None:
    _imported(container)
    container.runner.rebuild_many(list(container.runner.projections))
    with gzip.open(record.VIEWS, "rt", encoding="utf-8") as f:
        recorded = json.load(f)

    views = record.view_dump(container)

    assert sorted(views) == sorted(recorded)
    changed = {table: _first_difference(rows, recorded[table])
               for table, rows in views.items() if rows != recorded[table]}
    assert changed == {}


def test_the_openapi_document_is_the_recorded_one_but_for_its_prose(
    container: Container,
) -> None:
    current = create_app(container=container).openapi()
    recorded = json.loads(record.OPENAPI.read_text())

    assert record.without_documentation(current) == record.without_documentation(recorded)
