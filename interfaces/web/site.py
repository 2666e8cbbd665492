"""The workspace on the app: pages at ``/`` and their assets at ``/static``."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from interfaces.web.pages import ROUTERS
from interfaces.web.templating import STATIC


def install_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # Browsers ask for /favicon.ico whatever a page names: they get the page's icon.
    app.add_api_route("/favicon.ico", _icon, include_in_schema=False)
    for router in ROUTERS:
        app.include_router(router, include_in_schema=False)


def _icon() -> FileResponse:
    return FileResponse(STATIC / "aidtrail.svg", media_type="image/svg+xml",
                        headers={"Cache-Control": "max-age=86400"})
