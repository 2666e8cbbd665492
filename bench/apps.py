"""ASGI factories for uvicorn: the AidTrail app exactly as `aidtrail serve` builds it, and a
bare FastAPI baseline served the same way."""

from __future__ import annotations

from fastapi import FastAPI


def aidtrail() -> FastAPI:
    """What ``interfaces/cli/serve.py`` does before ``uvicorn.run``."""
    from infrastructure.database import ping
    from infrastructure.logging import configure_logging
    from infrastructure.settings import Settings
    from interfaces.http.app import create_app

    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    ping(settings.database)
    return create_app(settings)


def bare() -> FastAPI:
    """One synchronous (``def``) endpoint returning a small JSON object, no database."""
    app = FastAPI()

    @app.get("/ready")
    def ready() -> dict[str, str]:
        return {"status": "ready"}

    @app.post("/bare")
    def bare_post(body: dict[str, object]) -> dict[str, object]:
        return {"id": "00000000-0000-0000-0000-000000000000", "version": 1,
                "status": "ok", "position": len(body)}

    return app
