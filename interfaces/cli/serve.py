"""``aidtrail serve``: the HTTP API."""

from __future__ import annotations

import typer
import uvicorn

from infrastructure.database import ping
from infrastructure.logging import configure_logging, get_logger
from infrastructure.settings import Settings


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Serve the HTTP API (OpenAPI at /docs and /openapi.json)."""
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    ping(settings.database)
    from interfaces.http.app import create_app

    api = create_app(settings)
    get_logger("aidtrail").info("serving", host=host, port=port,
                                database=settings.database.kind)
    uvicorn.run(api, host=host, port=port, log_config=None, access_log=False,
                proxy_headers=False, server_header=False)
