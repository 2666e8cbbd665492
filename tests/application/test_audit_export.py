"""Export streams every event with its hashes; import refuses broken files and non-empty stores."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from application.audit import TamperedError, export_events, import_events, verify_chain
from infrastructure.settings import Settings
from infrastructure.throwaway_postgres import fresh_schema
from infrastructure.views import ProjectionRunner
from interfaces.cli.main import app as cli
from interfaces.container import Container, build_container
from tests.application.test_projection_runner import gap, record
from tests.conftest import TEST_SECRET


@contextmanager
def open_runner(container: Container) -> Iterator[ProjectionRunner]:
    yield container.runner


@contextmanager
def empty_store(container: Container, request: pytest.FixtureRequest,
                tmp_path: Path) -> Iterator[ProjectionRunner]:
    """A second, empty store on the same backend as ``container``."""
    if container.database.kind == "postgres":
        base = request.getfixturevalue("postgres_base_url")
        with fresh_schema(base) as url:
            other = build_container(Settings(database_url=url, jwt_secret=TEST_SECRET))
            with open_runner(other) as runner:
                yield runner
            other.close()
    else:
        other = build_container(Settings(database_url=f"sqlite:///{tmp_path / 'other.sqlite'}",
                                         jwt_secret=TEST_SECRET))
        with open_runner(other) as runner:
            yield runner
        other.close()


@pytest.fixture
def source(container: Container) -> Iterator[ProjectionRunner]:
    with open_runner(container) as runner:
        record(container.app, tallies=2)
        with gap(container.app, runner.store):
            record(container.app, tallies=2)
        yield runner


def lines(runner: ProjectionRunner) -> list[str]:
    return [json.dumps(r) for r in export_events(runner)]


def test_an_export_has_every_event_in_log_order_with_the_ledger_hashes(
        source: ProjectionRunner) -> None:
    records = [json.loads(line) for line in lines(source)]
    assert [r["position"] for r in records] == [*range(1, 11), *range(16, 26)]
    head = verify_chain(source).head_hash
    assert records[-1]["chain_hash"] == head
    first = source.app.recorder.select_notifications(1, 1)[0]
    assert base64.b64decode(records[0]["state"]) == first.state
    assert set(records[0]) == {"position", "originator_id", "originator_version", "topic",
                               "state", "event_hash", "chain_hash"}


def test_an_export_imported_into_an_empty_store_rebuilds_the_same_head_hash(
        source: ProjectionRunner, container: Container, request: pytest.FixtureRequest,
        tmp_path: Path) -> None:
    exported = lines(source)
    expected = verify_chain(source)
    with empty_store(container, request, tmp_path) as target:
        progress: list[tuple[int, int]] = []
        result = import_events(target, exported, progress=lambda d, t: progress.append((d, t)))
        assert (result.ok, result.count, result.head_hash) == (True, 20, expected.head_hash)
        assert progress[-1] == (20, 20)
        target.rebuild("audit_ledger")
        again = verify_chain(target)
        assert (again.ok, again.count, again.head_hash) == (True, 20, expected.head_hash)
        # Positions are renumbered without the source's gap; the hashes do not depend on them.
        assert target.head() == 20


def test_an_import_refuses_a_file_with_one_altered_line_and_names_its_position(
        source: ProjectionRunner, container: Container, request: pytest.FixtureRequest,
        tmp_path: Path) -> None:
    exported = lines(source)
    record_ = json.loads(exported[12])
    state = bytearray(base64.b64decode(record_["state"]))
    state[2] ^= 1
    record_["state"] = base64.b64encode(bytes(state)).decode()
    exported[12] = json.dumps(record_)
    with empty_store(container, request, tmp_path) as target:
        with pytest.raises(TamperedError, match=f"position {record_['position']}: the event"):
            import_events(target, exported)
        assert target.head() == 0


def test_an_import_refuses_a_file_with_a_line_removed_at_the_next_position(
        source: ProjectionRunner, container: Container, request: pytest.FixtureRequest,
        tmp_path: Path) -> None:
    exported = lines(source)
    following = json.loads(exported[4])["position"]
    del exported[3]
    with empty_store(container, request, tmp_path) as target:
        with pytest.raises(TamperedError, match=f"position {following}: the chain is broken"):
            import_events(target, exported)
        assert target.head() == 0


def test_an_import_refuses_a_store_that_is_not_empty(source: ProjectionRunner) -> None:
    with pytest.raises(ValueError, match="not empty"):
        import_events(source, lines(source))


def test_the_cli_exports_verifies_and_imports(
        source: ProjectionRunner, container: Container, request: pytest.FixtureRequest,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIDTRAIL_JWT_SECRET", TEST_SECRET)
    monkeypatch.setenv("AIDTRAIL_DATABASE_URL", container.settings.database_url)
    out = tmp_path / "events.jsonl"
    cli_runner = CliRunner()
    assert cli_runner.invoke(cli, ["audit", "export", "--out", str(out)]).exit_code == 0
    verified = cli_runner.invoke(cli, ["audit", "verify"])
    head = verify_chain(source).head_hash
    assert verified.exit_code == 0 and f"20 events; head hash {head}" in verified.output
    status = cli_runner.invoke(cli, ["projections", "status"])
    assert status.exit_code == 0 and "audit_ledger" in status.output
    assert cli_runner.invoke(cli, ["projections", "verify", "audit_ledger"]).exit_code == 0
    with source.store.transaction() as tx:
        tx.execute("UPDATE audit_ledger SET topic = 'x' WHERE position = 3")
    differs = cli_runner.invoke(cli, ["projections", "verify", "audit_ledger"])
    assert differs.exit_code == 1 and "topic: 'x' (live)" in differs.output
    rebuilt = cli_runner.invoke(cli, ["projections", "rebuild", "--all"])
    assert rebuilt.exit_code == 0 and "audit_ledger: 20 events replayed" in rebuilt.output
    with empty_store(container, request, tmp_path) as target:
        monkeypatch.setenv("AIDTRAIL_DATABASE_URL", _url(target))
        imported = cli_runner.invoke(cli, ["audit", "import", str(out)])
        assert imported.exit_code == 0, imported.output
        assert f"imported 20 events; head hash {head}" in imported.output
        again = cli_runner.invoke(cli, ["audit", "import", str(out)])
        assert again.exit_code != 0


def _url(runner: ProjectionRunner) -> str:
    db = runner.store.database
    if db.kind == "sqlite":
        return f"sqlite:///{db.sqlite_path}"
    info = db.conninfo
    host = info.get("host", "")
    return (f"postgresql://{info.get('user', 'postgres')}@/{info['dbname']}"
            f"?host={host}&port={info.get('port', '5432')}&schema={db.schema}")


def test_the_worker_command_refuses_an_in_memory_sqlite_database(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIDTRAIL_DATABASE_URL", "sqlite:///:memory:")
    result = CliRunner().invoke(cli, ["worker"])
    assert result.exit_code == 2 and "database file" in result.output
