"""The real app behind a real HTTP server (uvicorn in a thread on 127.0.0.1, a free port):
for tests that need concurrent clients or a browser, which the in-process TestClient cannot
give."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from infrastructure.settings import Settings
from interfaces.cli.serve import uvicorn_config
from interfaces.http.app import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(config: uvicorn.Config, *, startup_timeout: float = 15.0) -> Iterator[str]:
    """Run a uvicorn server in a thread until the block ends; yield its base URL."""
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://{config.host}:{config.port}"
    finally:
        server.should_exit = True
        thread.join(15)


@contextmanager
def live_server(app: Any, *, startup_timeout: float = 15.0) -> Iterator[str]:
    """Serve ``app`` until the block ends; yield its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_config=None,
                            access_log=False, lifespan="on", timeout_graceful_shutdown=5)
    with running(config, startup_timeout=startup_timeout) as url:
        yield url


@contextmanager
def served_as_cli(settings: Settings) -> Iterator[tuple[Any, str]]:
    """The app as ``aidtrail serve`` builds and serves it (on SQLite with the notifier beside
    it); yield the app and its base URL."""
    app = create_app(settings, run_notifier=settings.database.kind == "sqlite")
    config = uvicorn_config(app, settings, "127.0.0.1", free_port())
    config.timeout_graceful_shutdown = 5
    with running(config) as url:
        yield app, url
