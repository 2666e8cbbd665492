"""``aidtrail user add|disable|enable|reset-password|list``: the workspace's local accounts."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from infrastructure.accounts import AccountError
from infrastructure.clock import now_utc
from infrastructure.logging import configure_logging, get_logger
from infrastructure.settings import Settings
from interfaces.container import Container, build_container

HOW_TO_TYPE_IT = ("The password is never an argument: it is asked for twice at a prompt, "
                  "or, when standard input is not a terminal, read from its first line "
                  "(printf '%s\\n' \"$PASSWORD\" | aidtrail user ...).")
app = typer.Typer(help="The workspace's local accounts. " + HOW_TO_TYPE_IT,
                  no_args_is_help=True)
log = get_logger("aidtrail.accounts")


@contextmanager
def _container() -> Iterator[Container]:
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    container = build_container(settings)
    try:
        yield container
    except AccountError as exc:
        typer.echo(f"aidtrail: error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        container.close()


def read_password() -> str:
    """From the terminal (hidden, asked twice) or the first line of piped standard input."""
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


@app.command("add")
def add(
    username: str = typer.Option(..., "--username", help="The name to sign in with."),
    role: list[str] = typer.Option(..., "--role", help="A role; repeat for several."),
    province: list[str] = typer.Option(
        ..., "--province", help="A province code (old or new); repeat for several; '*' for all."),
    lang: str = typer.Option("vi", "--lang", help="vi (default) or en."),
) -> None:
    """Add an account. The password is asked for at a prompt or read from standard input."""
    password = read_password()
    with _container() as c:
        account = c.accounts.add(username, role, province, password=password, lang=lang,
                                 register=c.register, now=now_utc())
    log.info("account_added", username=account.username, roles=sorted(account.roles))
    typer.echo(f"account {account.username} added")


@app.command("disable")
def disable(username: str = typer.Option(..., "--username", help="The account.")) -> None:
    """Disable an account: it cannot sign in, and its open sessions end at once."""
    with _container() as c:
        c.accounts.disable(username, now_utc())
        c.web_sessions.end_all(username.strip().lower())
    log.info("account_disabled", username=username.strip().lower())
    typer.echo(f"account {username.strip().lower()} disabled")


@app.command("enable")
def enable(username: str = typer.Option(..., "--username", help="The account.")) -> None:
    """Enable a disabled account again."""
    with _container() as c:
        c.accounts.enable(username, now_utc())
    log.info("account_enabled", username=username.strip().lower())
    typer.echo(f"account {username.strip().lower()} enabled")


@app.command("reset-password")
def reset_password(username: str = typer.Option(..., "--username", help="The account.")) -> None:
    """Set a new password (prompt or standard input); the account's sessions end."""
    password = read_password()
    with _container() as c:
        c.accounts.set_password(username, password, now_utc())
        c.web_sessions.end_all(username.strip().lower())
    log.info("account_password_reset", username=username.strip().lower())
    typer.echo(f"password of {username.strip().lower()} reset")


@app.command("list")
def list_accounts() -> None:
    """Every account: username, roles, provinces, language, and whether it is disabled."""
    with _container() as c:
        accounts = c.accounts.all()
    for a in accounts:
        provinces = "*" if a.provinces is None else ",".join(sorted(a.provinces))
        typer.echo(f"{a.username}  {','.join(sorted(a.roles))}  {provinces}  {a.lang}"
                   f"{'  disabled' if a.disabled else ''}")
