"""Auditors' promises on real cases: time travel is exact at every version, and an export
imported into an empty store rebuilds every view identically."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from application.audit import export_events, import_events, verify_chain
from application.commands.funds import RecordDisbursement
from domain.money import Money
from infrastructure.settings import Settings
from infrastructure.throwaway_postgres import fresh_schema
from interfaces.container import Container, build_container
from interfaces.demo import load_demo
from tests.application.support import OWNER, walk_to_implementation
from tests.conftest import TEST_SECRET


@pytest.fixture
def other(container: Container, request: pytest.FixtureRequest, tmp_path: Path
          ) -> Iterator[Container]:
    """A second, empty store on the same backend."""
    if container.database.kind == "postgres":
        with fresh_schema(request.getfixturevalue("postgres_base_url")) as url:
            target = build_container(Settings(database_url=url, jwt_secret=TEST_SECRET))
            yield target
            target.close()
    else:
        target = build_container(Settings(
            database_url=f"sqlite:///{tmp_path / 'other.sqlite'}", jwt_secret=TEST_SECRET))
        yield target
        target.close()


def _rows(container: Container, table: str) -> list[tuple[object, ...]]:
    with container.views.transaction(write=False) as tx:
        columns = [r[0] for r in tx.fetchall(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND table_schema = current_schema() ORDER BY ordinal_position", (table,))] \
            if tx.dialect == "postgres" else [r[1] for r in tx.fetchall(
                f"PRAGMA table_info({table})")]
        order = ", ".join(str(i + 1) for i in range(len(columns)))
        return tx.fetchall(f"SELECT * FROM {table} ORDER BY {order}")


def test_the_state_at_each_version_equals_the_state_after_that_command(
    container: Container,
) -> None:
    services = container.services
    case_id = walk_to_implementation(services, received="1000")
    after: dict[int, dict[str, object]] = {}
    for amount in ("100", "250", "50"):
        services.handle_case(RecordDisbursement(case_id=case_id, actor=OWNER,
                                                amount=Money.of(amount, "USD"),
                                                vnd_rate=Decimal("25000"), aid_account="VCB-1",
                                                effective_date=date(2025, 3, 1)))
        case = services.get_case(case_id)
        after[case.version] = case.state()
    history = services.history(case_id, limit=1000)
    assert [e.originator_version for e in history] == list(range(1, len(history) + 1))
    for version, state in after.items():
        assert services.get_case(case_id, version).state() == state
    for version in range(1, len(history) + 1):
        assert services.get_case(case_id, version).version == version


def test_export_then_import_then_rebuild_gives_every_view_identical(
    container: Container, other: Container,
) -> None:
    load_demo(container.services, today=container.services.clock())
    container.runner.catch_up()
    source = verify_chain(container.runner)
    lines = [json.dumps(record) for record in export_events(container.runner)]

    imported = import_events(other.runner, lines)
    other.runner.rebuild_many(list(other.runner.projections))

    assert imported.ok and imported.head_hash == source.head_hash
    assert verify_chain(other.runner).head_hash == source.head_hash
    for projection in container.runner.projections.values():
        for table in projection.tables:
            assert _rows(other, table) == _rows(container, table), table
