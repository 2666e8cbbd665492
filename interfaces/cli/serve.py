"""``aidtrail serve``: the HTTP API, in one process or several.

The only command that needs the HTTP app (importing it costs about 0.4 s, as much as the rest
of the command line): ``interfaces/cli/lazy_group.py`` imports this module only when ``serve``
runs or ``aidtrail --help`` lists it.
"""

from __future__ import annotations

import socket
from typing import Any

import typer
import uvicorn

from infrastructure.database import ping
from infrastructure.heap import settle_heap
from infrastructure.logging import configure_logging, get_logger
from infrastructure.schema import require_current
from infrastructure.settings import Settings
from infrastructure.views.sql import ViewStore
from interfaces.cli.supervise import reuse_port_socket, supervise
from interfaces.container import Container
from interfaces.http.app import create_app

app = typer.Typer(add_completion=False)  # one command, looked up by `aidtrail`


@app.command("serve")
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
            raise ValueError("--workers above 1 needs PostgreSQL (a SQLite file has one "
                             "serving process)")
        if not hasattr(socket, "SO_REUSEPORT"):
            raise ValueError("--workers above 1 needs SO_REUSEPORT (Linux, BSD, macOS)")
        ping(settings.database)
        _check_schema(settings)  # once here, rather than once per serving process
        log.info("serving", host=host, port=port, database=settings.database.kind,
                 workers=workers)
        raise typer.Exit(supervise(host, port, workers))
    ping(settings.database)
    # On SQLite, unless `aidtrail worker` is to, this process keeps the views and sends the
    # notices.
    api = create_app(settings, run_notifier=settings.projections_in_process)
    settle_heap()
    if not reuse_port:
        _first_account_hint(api.state.container)
    if reuse_port:
        # One of several processes: our own socket, so that each process accepts its own
        # connections (uvicorn's --workers shares one socket, and in practice one process
        # then takes every keep-alive connection).
        sock = reuse_port_socket(host, port)
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


FIRST_ACCOUNT = ("No workspace account exists yet. Create the first one with\n"
                 "  aidtrail user add --username NAME --role ROLE --province CODE\n"
                 "(repeat --role and --province for several, --province '*' for all; the "
                 "password is asked for), then sign in at /signin.")


def _first_account_hint(container: Container) -> None:
    """How to make the first account, printed while there is none."""
    if container.accounts.count() == 0:
        typer.echo(FIRST_ACCOUNT, err=True)


def _check_schema(settings: Settings) -> None:
    if settings.migrates:
        return
    views = ViewStore(settings.database)
    try:
        require_current(views)
    finally:
        views.close()
