"""ASGI factory for uvicorn: the AidTrail app exactly as `aidtrail serve` builds it."""

from __future__ import annotations

from fastapi import FastAPI

from infrastructure.database import ping
from infrastructure.heap import settle_heap
from infrastructure.logging import configure_logging
from infrastructure.settings import Settings
from interfaces.http.app import create_app


def aidtrail() -> FastAPI:
    """What ``interfaces/cli/serve.py`` does before ``uvicorn.run``."""
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    ping(settings.database)
    app = create_app(settings)
    settle_heap()
    return app
