"""One app per test process for each shape of settings, bound again to each test's container.

Building the app costs about 0.2 s of CPU (FastAPI builds each route's dependencies and their
pydantic adapters for every app), and some 800 tests each need one over a fresh store. The app
holds nothing of a container outside ``bind_container`` (a test in ``test_app_binding.py``
fails otherwise), so an app built once serves every container whose settings are the same
apart from the store's address.
"""

from __future__ import annotations

from fastapi import FastAPI

from interfaces.container import Container
from interfaces.http.app import bind_container, create_app

_APPS: dict[str, FastAPI] = {}


def shape(container: Container) -> str:
    """What an app may take from a container when it is built: every setting but the store's
    address, and the kind of store."""
    settings = container.settings
    kind = settings.database_url.split(":", 1)[0]
    return kind + settings.model_dump_json(exclude={"database_url"})


def app_for(container: Container) -> FastAPI:
    """An app serving ``container``: built for the first container of its shape, bound again
    after that. Not for tests of the app's own lifespan or of ``create_app``'s arguments."""
    key = shape(container)
    app = _APPS.get(key)
    if app is None:
        app = _APPS[key] = create_app(container=container)
    else:
        bind_container(app, container)
    return app
