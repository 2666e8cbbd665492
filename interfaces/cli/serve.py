"""``aidtrail serve``: the HTTP API, in one process or several."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Any

import typer
import uvicorn

from infrastructure.database import ping
from infrastructure.logging import configure_logging, get_logger
from infrastructure.schema import require_current
from infrastructure.settings import Settings
from infrastructure.views.sql import ViewStore


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(
        1, min=1, max=64,
        help="Serving processes (PostgreSQL only). Each listens on the port with "
             "SO_REUSEPORT, so the kernel spreads connections over all of them."),
    reuse_port: bool = typer.Option(False, "--reuse-port", hidden=True,
                                    help="Listen with SO_REUSEPORT (one of several)."),
) -> None:
    """Serve the HTTP API (OpenAPI at /docs and /openapi.json)."""
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    log = get_logger("aidtrail")
    if workers > 1:
        if settings.database.kind != "postgres":
            raise ValueError("--workers above 1 needs PostgreSQL (on SQLite the projections "
                             "run inside the one serving process)")
        if not hasattr(socket, "SO_REUSEPORT"):
            raise ValueError("--workers above 1 needs SO_REUSEPORT (Linux, BSD, macOS)")
        ping(settings.database)
        _check_schema(settings)  # once here, rather than once per serving process
        log.info("serving", host=host, port=port, database=settings.database.kind,
                 workers=workers)
        raise typer.Exit(_supervise(host, port, workers))
    ping(settings.database)
    from interfaces.http.app import create_app

    api = create_app(settings)
    if reuse_port:
        # One of several processes: our own socket, so that each process accepts its own
        # connections (uvicorn's --workers shares one socket, and in practice one process
        # then takes every keep-alive connection).
        sock = _reuse_port_socket(host, port)
        uvicorn.Server(uvicorn_config(api, settings, host, port)).run(sockets=[sock])
        return
    log.info("serving", host=host, port=port, database=settings.database.kind)
    uvicorn.Server(uvicorn_config(api, settings, host, port)).run()


def uvicorn_config(api: Any, settings: Settings, host: str, port: int) -> uvicorn.Config:
    """The server's options: forwarded headers are believed only from the configured proxies."""
    trusted = settings.forwarded_allow_ips
    return uvicorn.Config(api, host=host, port=port, log_config=None, access_log=False,
                          server_header=False, proxy_headers=trusted is not None,
                          forwarded_allow_ips=trusted)


def _check_schema(settings: Settings) -> None:
    if settings.migrates:
        return
    views = ViewStore(settings.database)
    try:
        require_current(views)
    finally:
        views.close()


def _reuse_port_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _supervise(host: str, port: int, workers: int) -> int:
    """Start ``workers`` serving processes; stop them all when one ends or on a signal."""
    command = [sys.executable, "-m", "interfaces.cli.main", "serve", "--host", host,
               "--port", str(port), "--reuse-port"]
    metrics_dir = _metrics_dir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    try:
        children = [subprocess.Popen(command, env=env)  # noqa: S603 - our argv
                    for _ in range(workers)]
        return _watch(children)
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)


def _metrics_dir() -> Path:
    """A new, empty folder where the serving processes keep their counters, so that a
    scrape of any one of them counts them all (prometheus-client's multiprocess mode)."""
    return Path(tempfile.mkdtemp(prefix="aidtrail-metrics-"))


def _watch(children: list[subprocess.Popen[bytes]]) -> int:
    stopping = False

    def stop(signum: int, _: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    while any(child.poll() is None for child in children):
        ended = [c for c in children if c.poll() is not None]
        if ended and not stopping:  # one died: the others go too
            code = next((_status(c) for c in ended if c.returncode), 1)
            stop(signal.SIGTERM, None)
        time.sleep(0.2)
    if not stopping:
        code = next((_status(c) for c in children if c.returncode), 0)
    return code


def _status(child: subprocess.Popen[bytes]) -> int:
    """An exit status for the shell: a child killed by signal N gives 128 + N."""
    return child.returncode if child.returncode > 0 else 128 - child.returncode
