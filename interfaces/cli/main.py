"""``aidtrail``: the command-line entry point; sub-commands live in sibling modules."""

from __future__ import annotations

import sys
from importlib.metadata import version as package_version

import typer
from pydantic import ValidationError

from infrastructure.database import DatabaseUnavailableError, DatabaseURLError
from infrastructure.rule_profiles import RuleDataError
from infrastructure.schema import SchemaVersionError
from interfaces.cli import audit, db, demo, iati, projections, rules, serve, token, worker

app = typer.Typer(
    name="aidtrail",
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


app.command("serve")(serve.serve)
app.add_typer(rules.app, name="rules")
app.add_typer(token.app, name="token")
app.command("worker")(worker.worker)
app.add_typer(projections.app, name="projections")
app.add_typer(audit.app, name="audit")
app.add_typer(iati.app, name="iati")
app.add_typer(demo.app, name="demo")
app.add_typer(db.app, name="db")

# Errors a user can fix: one clear line, exit status 2, no traceback.
USER_ERRORS = (DatabaseURLError, DatabaseUnavailableError, RuleDataError, SchemaVersionError,
               ValidationError, ValueError)


def main() -> None:
    try:
        app()
    except USER_ERRORS as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if isinstance(exc, ValidationError):
            message = "; ".join(
                f"AIDTRAIL_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
                for e in exc.errors()
            )
        typer.echo(f"aidtrail: error: {message}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
