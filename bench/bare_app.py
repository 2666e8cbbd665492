"""ASGI factory for uvicorn: a bare FastAPI baseline served the same way as AidTrail (this
module imports nothing of AidTrail, so the baseline process carries none of it)."""

from __future__ import annotations

from fastapi import FastAPI


def bare() -> FastAPI:
    """A small JSON object returned from a synchronous (``def``) endpoint, which the framework
    runs on its worker threads, and from an ``async`` one, as AidTrail's command routes are;
    no middleware, no database."""
    app = FastAPI()

    @app.get("/ready")
    def ready() -> dict[str, str]:
        return {"status": "ready"}

    @app.post("/bare")
    def bare_post(body: dict[str, object]) -> dict[str, object]:
        return {"id": "00000000-0000-0000-0000-000000000000", "version": 1,
                "status": "ok", "position": len(body)}

    @app.post("/bare-async")
    async def bare_async_post(body: dict[str, object]) -> dict[str, object]:
        return {"id": "00000000-0000-0000-0000-000000000000", "version": 1,
                "status": "ok", "position": len(body)}

    return app
