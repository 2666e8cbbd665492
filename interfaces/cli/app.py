"""The ``aidtrail`` command table: one sub-command or group per sibling module."""

from __future__ import annotations

from importlib.metadata import version as package_version

import typer

from interfaces.cli import (
    audit,
    db,
    demo,
    iati,
    importing,
    notify,
    projections,
    report,
    rules,
    token,
    user,
    worker,
)
from interfaces.cli.lazy_group import LazyGroup

app = typer.Typer(
    name="aidtrail",
    cls=LazyGroup,  # `serve` is imported when it is used: see lazy_group.py
    help="AidTrail: event-sourced case management for foreign non-governmental aid.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aidtrail {package_version('aidtrail')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Event-sourced case management for foreign non-governmental aid in Vietnam."""


app.add_typer(rules.app, name="rules")
app.add_typer(token.app, name="token")
app.command("worker")(worker.worker)
app.add_typer(projections.app, name="projections")
app.add_typer(audit.app, name="audit")
app.add_typer(iati.app, name="iati")
app.add_typer(demo.app, name="demo")
app.add_typer(db.app, name="db")
app.add_typer(report.app, name="report")
app.command("import")(importing.import_)
app.add_typer(notify.app, name="notify")
app.add_typer(user.app, name="user")
