"""What the golden store records, computed the same way when it is made and when it is checked.

- ``store.jsonl.gz``: an ``aidtrail audit export`` of the demo dataset and a few long walks;
- ``recorded.json``: the head hash and count that ``audit verify`` gives once it is imported,
  and, for every aggregate, a digest of its state at every version;
- ``views.json.gz``: every view table rebuilt from the imported store, canonically dumped;
- ``openapi.json``: the OpenAPI document, compared without its documentation fields.
"""

from __future__ import annotations

import gzip
import json
from datetime import date, datetime
from decimal import Decimal
from hashlib import sha256
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.case import AidCase
from interfaces.container import Container

GOLDEN = Path(__file__).resolve().parent
STORE = GOLDEN / "store.jsonl.gz"
RECORDED = GOLDEN / "recorded.json"
VIEWS = GOLDEN / "views.json.gz"
OPENAPI = GOLDEN / "openapi.json"
DOCUMENTATION = {"description", "summary", "title"}  # stripped where their value is text
EXAMPLES = {"example", "examples"}
NAMED = {"properties", "schemas", "paths", "responses", "headers", "parameters"}


def store_lines() -> list[str]:
    with gzip.open(STORE, "rt", encoding="utf-8") as f:
        return f.read().splitlines()


def aggregates(lines: list[str]) -> dict[str, str]:
    """Each aggregate's id and kind ("case" or "donor"), in order of first event."""
    found: dict[str, str] = {}
    for line in lines:
        record = json.loads(line)
        kind = "case" if record["topic"].startswith(f"{AidCase.__module__}:AidCase") else "donor"
        found.setdefault(record["originator_id"], kind)
    return found


def digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sha256(text.encode()).hexdigest()


def state_digests(container: Container, aggregate_id: str) -> list[str]:
    """The aggregate's state after each of its events (versions 1, 2, …): its events read
    once and applied in turn, as the repository replays them for ``?version=N``."""
    aggregate: Any = None
    digests = []
    events: Any = container.app.events.get(UUID(aggregate_id))
    for event in events:
        aggregate = event.mutate(aggregate)
        digests.append(digest(aggregate.state()))
    return digests


def head_digest(container: Container, kind: str, aggregate_id: str) -> str:
    """The head state as the API renders it: a case as ``GET /cases/{id}``, a donor as
    ``Donor.state()``."""
    services, uuid = container.services, UUID(aggregate_id)
    if kind == "case":
        return digest(json.loads(services.rendered_case(uuid).body))
    return digest(services.get_donor(uuid).state())


def _canonical(value: Any) -> Any:
    """One spelling per value on both backends (PostgreSQL's types, SQLite's affinities)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral_value() \
            else format(value, "f")
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, UUID):
        return str(value)
    return value


def _columns(container: Container, table: str) -> list[str]:
    with container.views.transaction(write=False) as tx:
        if tx.dialect == "postgres":
            return [str(r[0]) for r in tx.fetchall(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema() ORDER BY ordinal_position", (table,))]
        return [str(r[1]) for r in tx.fetchall(f"PRAGMA table_info({table})")]


def view_dump(container: Container) -> dict[str, list[dict[str, Any]]]:
    """Every row of every view table, as {column: value}, in a canonical order."""
    dump: dict[str, list[dict[str, Any]]] = {}
    for projection in container.runner.projections.values():
        for table in projection.tables:
            columns = _columns(container, table)
            with container.views.transaction(write=False) as tx:
                rows = tx.fetchall(f"SELECT {', '.join(columns)} FROM {table}")
            dicts = [{c: _canonical(v) for c, v in zip(columns, row, strict=True)}
                     for row in rows]
            dump[table] = sorted(dicts, key=lambda d: json.dumps(d, sort_keys=True))
    return dump


def without_documentation(node: Any, names: bool = False) -> Any:
    """The OpenAPI document less its prose and examples; ``names``: the keys of this mapping
    are names (a property called ``title``), not fields of the document."""
    if isinstance(node, list):
        return [without_documentation(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: without_documentation(value, key in NAMED and not names)
            for key, value in node.items()
            if names or not (key in EXAMPLES or key in DOCUMENTATION and isinstance(value, str))}
