"""The workspace served for the browser: the real app on a fresh SQLite store, as
``aidtrail serve`` runs it, on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI

from infrastructure.settings import Settings
from interfaces.container import Container
from tests.conftest import SHARED, TEST_SECRET
from tests.support.live_server import served_as_cli


@dataclass(frozen=True)
class Site:
    url: str
    app: FastAPI
    settings: Settings

    @property
    def container(self) -> Container:
        container: Container = self.app.state.container
        return container


def site_settings(folder: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{folder / 'aidtrail.sqlite'}",
                    jwt_secret=TEST_SECRET, iati_dir=SHARED / "iati", log_format="json",
                    projection_poll_seconds=0.05)


@contextmanager
def served_site(folder: Path) -> Iterator[Site]:
    settings = site_settings(folder)
    with served_as_cli(settings) as (app, url):
        yield Site(url, app, settings)
