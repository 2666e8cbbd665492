"""``aidtrail``: the command-line entry point, which turns a user's mistake into one line.

The commands are in ``interfaces/cli/app.py``; each lives in a sibling module.
"""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from domain.errors import InvalidInputError, NotFoundError
from infrastructure.database import DatabaseUnavailableError, DatabaseURLError
from infrastructure.rule_profiles import RuleDataError
from infrastructure.schema import SchemaVersionError

try:  # typer carries its own copy of click from 0.2x on
    from typer._click import exceptions as click
except ImportError:  # pragma: no cover - an older typer on plain click
    from click import exceptions as click  # type: ignore[no-redef]

from interfaces.cli.app import app

# Errors a user can fix: one clear line, exit status 2, no traceback.
USER_ERRORS = (DatabaseURLError, DatabaseUnavailableError, RuleDataError, SchemaVersionError,
               ValidationError, ValueError, InvalidInputError, NotFoundError)


def _fail(message: str, status: int = 2) -> None:
    typer.echo(f"aidtrail: error: {message}", err=True)
    sys.exit(status)


def _usage(exc: click.UsageError) -> str:
    """A usage error in one line, naming the command's help."""
    line = exc.format_message().strip().splitlines()[0]
    return f"{line} (see `{exc.ctx.command_path} --help`)" if exc.ctx else line


def main() -> None:
    try:
        status = app(standalone_mode=False)
    except click.NoArgsIsHelpError as exc:  # a bare group: its help
        typer.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
        sys.exit(2)
    except click.UsageError as exc:
        _fail(_usage(exc), exc.exit_code)
    except click.ClickException as exc:
        _fail(exc.format_message().strip().splitlines()[0], exc.exit_code)
    except typer.Abort:
        _fail("aborted", 130)
    except USER_ERRORS as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if isinstance(exc, ValidationError):
            message = "; ".join(
                f"AIDTRAIL_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
                for e in exc.errors()
            )
        _fail(message)
    sys.exit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    main()
