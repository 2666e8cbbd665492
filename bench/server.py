"""Processes the bench starts: the HTTP server (uvicorn, as `aidtrail serve` runs it), the
projection worker, and small Python children; each on 127.0.0.1 and always stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BENCH_SECRET = "bench-secret-for-hs256-signing-at-least-32-bytes"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of an AidTrail process pointed at ``database_url``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDTRAIL_")}
    env.update({
        "AIDTRAIL_DATABASE_URL": database_url,
        "AIDTRAIL_JWT_SECRET": BENCH_SECRET,
        "AIDTRAIL_LOG_FORMAT": "json",
        "AIDTRAIL_LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    })
    env.update(extra)
    return env


class Process:
    def __init__(self, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.proc = proc
        self.log = log

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _spawn(args: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> Process:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    return Process(proc, log)


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def postgres_cpu(conninfo: str) -> Callable[[], float] | None:
    """A meter of the CPU seconds the PostgreSQL cluster behind ``conninfo`` has used: the
    postmaster, its live processes, and the backends it has reaped (their time is added to
    its children's). None when the server is not a local process this user can read."""
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            row = conn.execute("SELECT current_setting('data_directory')").fetchone()
        if row is None:
            return None
        postmaster = int((Path(str(row[0])) / "postmaster.pid").read_text().split()[0])
        _stat(postmaster)
    except (OSError, ValueError, IndexError, TypeError, psycopg.Error):
        return None
    tick = os.sysconf("SC_CLK_TCK")

    def used() -> float:
        fields = _stat(postmaster)
        total = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        try:
            children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text()
        except OSError:
            children = ""
        for child in children.split():
            try:
                f = _stat(int(child))
            except (OSError, ValueError, IndexError):
                continue  # exited meanwhile: its time is in the postmaster's cutime now
            total += int(f[11]) + int(f[12])
        return total / tick

    return used


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its child processes (``serve --workers``), from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
        for p in pids:
            fields = _stat(p)
            total += (int(fields[11]) + int(fields[12])) / tick
    except (OSError, ValueError, IndexError):
        return float("nan")
    return total


def context_switches(pid: int) -> float:
    """Voluntary context switches of every thread of ``pid`` and its child processes so
    far (a thread's count is lost when it ends; the server's threads live as long as it)."""
    total = 0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for p in [pid, *map(int, children)]:
            for status in Path(f"/proc/{p}/task").glob("*/status"):
                for line in status.read_text().splitlines():
                    if line.startswith("voluntary_ctxt_switches:"):
                        total += int(line.split()[1])
    except (OSError, ValueError):
        return float("nan")
    return float(total)


class Served:
    def __init__(self, base: str, pid: int) -> None:
        self.base, self.pid = base, pid


@contextmanager
def uvicorn_server(app: str, env: dict[str, str], log: Path, *, workers: int = 1,
                   ready_path: str = "/ready", timeout: float = 60.0, cwd: Path = ROOT
                   ) -> Iterator[Served]:
    """Serve ``app`` (a ``module:factory``) the way ``aidtrail serve`` does: uvicorn with its
    defaults from uvicorn[standard] (uvloop, httptools), no access log, no server header.
    With ``workers`` above 1 it is ``aidtrail serve --workers N`` itself (one SO_REUSEPORT
    socket per process; uvicorn's own --workers shares one socket and one process ends up
    with every keep-alive connection). ``cwd`` is the tree it runs from."""
    port = free_port()
    if workers > 1:
        args = [sys.executable, "-m", "interfaces.cli.main", "serve", "--host", "127.0.0.1",
                "--port", str(port), "--workers", str(workers)]
    else:
        args = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1",
                "--port", str(port), "--no-access-log", "--no-server-header",
                "--no-proxy-headers", "--log-level", "warning", "--loop", "auto",
                "--http", "auto"]
    server = _spawn(args, env, log, cwd)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(server, base + ready_path, timeout)
        yield Served(base, server.pid)
    finally:
        server.stop()


def _wait_ready(server: Process, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"server exited ({server.proc.returncode}):\n{server.tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - 127.0.0.1
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server not ready within {timeout} s:\n{server.tail()}")


@contextmanager
def worker(env: dict[str, str], log: Path) -> Iterator[Process]:
    """``aidtrail worker`` (the projections, on either backend) in a subprocess."""
    proc = _spawn([sys.executable, "-m", "interfaces.cli.main", "worker"], env, log)
    try:
        yield proc
    finally:
        proc.stop()


def run_child(module: str, args: list[str], env: dict[str, str], timeout: float,
              on_start: Callable[[int], object] | None = None) -> str:
    """Run ``python -m module args`` to completion; return its stdout (last line is JSON).
    ``on_start(pid)`` is called once the child prints a line ``ready`` (its set-up done: a
    profiler attached then sees only the work), or at once if it never does."""
    proc = subprocess.Popen([sys.executable, "-m", module, *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    before = ""
    if on_start:
        assert proc.stdout is not None
        while (line := proc.stdout.readline()) and line.strip() != "ready":
            before += line
        on_start(proc.pid)
    try:
        out, err = proc.communicate(timeout=timeout)
        out = before + out
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    if proc.returncode != 0:
        raise RuntimeError(f"{module} failed ({proc.returncode}):\n{err[-3000:]}")
    return out
