"""`aidtrail serve --workers N` on PostgreSQL: N processes share the port, each with its own
SO_REUSEPORT socket, and all of them stop together."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import TEST_SECRET
from tests.support.live_server import free_port

ROOT = Path(__file__).resolve().parents[2]


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1
        return int(response.status)


def test_two_workers_answer_on_one_port_and_stop_together(postgres_url: str,
                                                           tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        env = {**os.environ, "AIDTRAIL_DATABASE_URL": postgres_url,
               "AIDTRAIL_JWT_SECRET": TEST_SECRET, "AIDTRAIL_LOG_FORMAT": "json"}
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "interfaces.cli.main", "serve", "--port", str(port),
             "--workers", "2"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            pids: set[int] = set()
            while time.monotonic() < deadline and len(pids) < 2:
                try:
                    assert _get(f"http://127.0.0.1:{port}/health") == 200
                except OSError:
                    time.sleep(0.2)
                    continue
                pids = {line["pid"] for line in _lines(log) if line.get("event") == "request"}
            assert len(pids) == 2, log.read_text()[-2000:]
        finally:
            server.send_signal(signal.SIGTERM)
            code = server.wait(30)
    assert code == 0
    children = {line["pid"] for line in _lines(log) if "Finished server process" in
                str(line.get("event"))}
    assert children == pids


def _lines(log: Path) -> list[dict[str, object]]:
    out = []
    for raw in log.read_text(errors="replace").splitlines():
        try:
            out.append(json.loads(raw))
        except ValueError:
            continue
    return out


def test_a_scrape_of_any_process_counts_the_requests_of_every_process(postgres_url: str,
                                                                       tmp_path: Path) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        env = {**os.environ, "AIDTRAIL_DATABASE_URL": postgres_url,
               "AIDTRAIL_JWT_SECRET": TEST_SECRET, "AIDTRAIL_LOG_FORMAT": "json"}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "interfaces.cli.main", "serve", "--port", str(port),
             "--workers", "2"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            sent, pids = 0, set()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(pids) < 2:
                try:
                    assert _get(f"http://127.0.0.1:{port}/health") == 200
                    sent += 1
                except OSError:
                    time.sleep(0.2)
                    continue
                pids = {line["pid"] for line in _lines(log) if line.get("event") == "request"}
            assert len(pids) == 2, log.read_text()[-2000:]
            for _ in range(4):  # new connections: the kernel hands them to either process
                with urllib.request.urlopen(  # noqa: S310 - 127.0.0.1
                        f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
                    text = response.read().decode()
                counted = {(s.name, tuple(sorted(s.labels.items()))): s.value
                           for f in text_string_to_metric_families(text) for s in f.samples}
                health = (("method", "GET"), ("route", "/health"), ("status", "200"))
                assert counted[("aidtrail_http_requests_total", health)] == sent
                # each process's pool (8 + 8 overflow), summed over the live processes
                assert counted[("aidtrail_db_pool_connections",
                                (("pool", "events"), ("state", "max")))] == 32
        finally:
            server.send_signal(signal.SIGTERM)
            code = server.wait(30)
    assert code == 0
