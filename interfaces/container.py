"""Composition root: builds the application and its adapters from settings."""

from __future__ import annotations

from dataclasses import dataclass

from application.app import AidTrail
from infrastructure.database import DatabaseConfig, library_env
from infrastructure.rule_profiles import RuleBook, load_rulebook
from infrastructure.settings import Settings


@dataclass
class Container:
    settings: Settings
    database: DatabaseConfig
    rulebook: RuleBook
    app: AidTrail

    def close(self) -> None:
        self.app.close()


def build_container(settings: Settings) -> Container:
    database = settings.database
    rulebook = load_rulebook(settings.rules_dir)
    env = library_env(database, cipher_key=settings.cipher_key, pool_size=settings.pool_size)
    app = AidTrail(env=env)
    return Container(settings=settings, database=database, rulebook=rulebook, app=app)
