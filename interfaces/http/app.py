"""The FastAPI app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.telemetry import TelemetryConfig

from infrastructure.settings import Settings
from interfaces.container import Container, build_container, build_notifier
from interfaces.http.command_threads import CommandThreads
from interfaces.http.cors import AllowedOriginsCORS
from interfaces.http.docs import install_docs
from interfaces.http.errors import install_error_handlers
from interfaces.http.limits import BodySizeLimitMiddleware
from interfaces.http.metric_labels import route_templates
from interfaces.http.metrics_middleware import MetricsMiddleware
from interfaces.http.middleware import RequestContextMiddleware
from interfaces.http.openapi import install_openapi
from interfaces.http.params import refuse_control_characters
from interfaces.http.route_index import install_route_index
from interfaces.http.routes import (
    cases,
    donors,
    health,
    iati,
    metrics,
    notifications,
    ops,
    problems,
    reports,
    views,
)
from interfaces.web.site import install_web

API_PREFIX = "/api/v1"


# No OpenTelemetry is configured here: FastAPI then skips looking up its providers per request.
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


class IndexedFastAPI(FastAPI):
    """FastAPI whose router finds an API route by a lookup (``route_index.py``)."""

    def build_middleware_stack(self) -> Any:
        return install_route_index(self, super().build_middleware_stack())


def _command_threads(container: Container) -> CommandThreads:
    """The app's command threads; idle when a group-commit writer takes the saves, as the
    commands then run on the event loop."""
    writer = getattr(container.app.recorder, "group_commit", None)
    return CommandThreads(container.settings.command_threads, on_loop=writer is not None)


def bind_container(app: FastAPI, container: Container, run_notifier: bool = False) -> None:
    """Everything of the app that comes from its container, set in one place: what the
    routes, the lifespan and the command threads read (``app.state``). The routes and the
    middleware themselves hold nothing of a container, so an app bound again to another
    container of the same settings serves that one (the tests reuse an app so)."""
    app.state.container = container
    # Beside the server's own catch-up of a SQLite file, the notices are sent while it holds
    # the file's projections (one process per file sends them).
    background = container.background
    due = None if background is None else (lambda: background.active)
    app.state.notifier = build_notifier(container, due) if run_notifier else None
    app.state.verifier = container.verifier
    app.state.services = container.services
    app.state.command_threads = _command_threads(container)


def create_app(settings: Settings | None = None, container: Container | None = None,
               run_notifier: bool = False) -> FastAPI:
    """The API. ``run_notifier``: the daily evaluation and the outbox sender run beside it
    (``aidtrail serve`` on SQLite, which has no worker; on PostgreSQL the worker runs them)."""
    owned = container is None
    container = container or build_container(settings or Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        bound: Container = app.state.container
        notifier = app.state.notifier
        if owned:
            bound.start()
        if notifier is not None:
            notifier.start()
        try:
            yield
        finally:
            app.state.command_threads.shutdown()  # the commands under way end first
            if notifier is not None:
                notifier.stop()
            if owned:
                bound.close()

    app = IndexedFastAPI(
        title="AidTrail",
        version="0.1.0",
        summary="Event-sourced case management for foreign non-governmental aid in Vietnam",
        lifespan=lifespan,
        dependencies=[Depends(refuse_control_characters)],
        docs_url=None,  # served from local assets by install_docs
        redoc_url=None,
        telemetry=NO_TELEMETRY,
    )
    bind_container(app, container, run_notifier=run_notifier)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(problems.router)
    for phase in cases.PHASES:
        app.include_router(phase, prefix=f"{API_PREFIX}/cases", tags=["cases"])
    for router in (donors.router, ops.router, views.router, reports.router,
                   notifications.router):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(iati.router, prefix=API_PREFIX)
    install_openapi(app)
    install_docs(app)
    install_web(app)
    app.state.route_templates = route_templates(app)
    # The last added is the outermost: the request id is bound before a body is refused.
    app.add_middleware(BodySizeLimitMiddleware)
    app.add_middleware(RequestContextMiddleware)
    if container.settings.cors_origin_list:  # outside, so that every answer carries CORS
        app.add_middleware(AllowedOriginsCORS, origins=container.settings.cors_origin_list)
    app.add_middleware(MetricsMiddleware)  # outermost: counts the status the client gets
    return app
