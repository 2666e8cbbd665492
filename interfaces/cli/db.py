"""``aidtrail db migrate|backup|restore``: the database schema, and copies of the store."""

from __future__ import annotations

from pathlib import Path

import psycopg
import typer

from infrastructure.backup import BackupError, backup, restore
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


BIN_DIR = typer.Option(None, "--pg-bin-dir", envvar="AIDTRAIL_PG_BIN_DIR",
                       help="PostgreSQL: the folder of pg_dump and pg_restore (PATH by default).")


@app.command("backup")
def backup_(out: Path = typer.Option(..., "--out", help="The backup file to write (new)."),
            bin_dir: str = BIN_DIR) -> None:
    """Copy the whole store (events, idempotency keys, views) while it keeps serving."""
    settings = Settings()
    try:
        backup(settings.database, out, bin_dir)
    except BackupError as exc:
        typer.echo(f"aidtrail: error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"backup written to {out}")


@app.command("restore")
def restore_(file: Path = typer.Argument(..., help="A file written by `aidtrail db backup`."),
             bin_dir: str = BIN_DIR) -> None:
    """Load a backup into an empty database, then check it with `aidtrail audit verify`."""
    settings = Settings()
    try:
        restore(settings.database, file, bin_dir)
    except psycopg.OperationalError:
        typer.echo("aidtrail: error: the database does not answer; nothing was restored",
                   err=True)
        raise typer.Exit(2) from None
    except BackupError as exc:
        typer.echo(f"aidtrail: error: {exc}; nothing was restored", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"restored {file}; run `aidtrail audit verify --expect HEAD_HASH` next")
