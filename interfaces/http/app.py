"""The FastAPI app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from infrastructure.settings import Settings
from interfaces.container import Container, build_container
from interfaces.http.errors import install_error_handlers
from interfaces.http.limits import BodySizeLimitMiddleware
from interfaces.http.middleware import RequestContextMiddleware
from interfaces.http.openapi import install_openapi
from interfaces.http.params import refuse_control_characters
from interfaces.http.routes import cases, donors, health, iati, ops, problems, views

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    owned = container is None
    container = container or build_container(settings or Settings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if owned:
            container.start()
        try:
            yield
        finally:
            if owned:
                container.close()

    app = FastAPI(
        title="AidTrail",
        version="0.1.0",
        summary="Event-sourced case management for foreign non-governmental aid in Vietnam",
        lifespan=lifespan,
        dependencies=[Depends(refuse_control_characters)],
    )
    app.state.container = container
    app.state.verifier = container.verifier
    app.state.services = container.services
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(problems.router)
    for router in (cases.router, donors.router, ops.router, views.router):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(iati.router, prefix=API_PREFIX)
    install_openapi(app)
    # The last added is the outermost: the request id is bound before a body is refused.
    app.add_middleware(BodySizeLimitMiddleware)
    app.add_middleware(RequestContextMiddleware)
    return app
