"""``serve --workers N``: N serving processes on one port (SO_REUSEPORT), watched together."""

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


def reuse_port_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def supervise(host: str, port: int, workers: int) -> int:
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
