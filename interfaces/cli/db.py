"""``aidtrail db migrate``: create or update the database schema (tables, types, functions)."""

from __future__ import annotations

import typer

from infrastructure.logging import configure_logging
from infrastructure.schema import SCHEMA_VERSION
from infrastructure.settings import Settings
from interfaces.container import build_container

app = typer.Typer(help="The database schema.", no_args_is_help=True)


@app.command("migrate")
def migrate() -> None:
    """Bring the schema to the version this code needs (safe to run again)."""
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    container = build_container(settings, migrate=True)
    container.close()
    where = (settings.database.sqlite_path if settings.database.kind == "sqlite"
             else f"PostgreSQL schema {settings.database.schema or 'public'}")
    typer.echo(f"schema at version {SCHEMA_VERSION} ({where})")
