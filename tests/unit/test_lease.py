"""The lease that lets one process at a time run a SQLite file's projections."""

from __future__ import annotations

from pathlib import Path

from infrastructure.database import parse_database_url
from infrastructure.views.lease import FileLease, lease_path


def test_of_two_leases_on_one_file_one_holds_it_until_it_lets_go(tmp_path: Path) -> None:
    path = lease_path(parse_database_url(f"sqlite:///{tmp_path / 'office.sqlite'}"))
    assert path is not None
    first, second = FileLease(path), FileLease(path)
    assert first.try_acquire() and first.held
    assert not second.try_acquire() and not second.held
    first.release()
    assert second.try_acquire()
    assert not first.try_acquire()
    second.release()


def test_a_lease_whose_lock_file_was_removed_is_given_up_for_the_new_file(
        tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite.projections.lock"
    first, second = FileLease(path), FileLease(path)
    assert first.try_acquire()
    path.unlink()  # someone cleaned the folder: a process may now lock a new file
    assert second.try_acquire()
    assert not first.try_acquire() and not first.held  # so the first stands by
    second.release()


def test_a_file_reached_through_a_link_has_the_same_lease(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "data")
    direct = lease_path(parse_database_url(f"sqlite:///{tmp_path / 'data' / 'office.sqlite'}"))
    linked = lease_path(parse_database_url(f"sqlite:///{tmp_path / 'link' / 'office.sqlite'}"))
    assert direct == linked == tmp_path.resolve() / "data" / "office.sqlite.projections.lock"


def test_postgresql_and_an_in_memory_database_have_no_lease_file() -> None:
    assert lease_path(parse_database_url("sqlite:///:memory:")) is None
    assert lease_path(parse_database_url("postgresql://someone@localhost/aid")) is None
