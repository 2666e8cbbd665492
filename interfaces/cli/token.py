"""``aidtrail token issue``: mint a local HS256 token (prints only the token)."""

from __future__ import annotations

from datetime import timedelta

import typer

from infrastructure.settings import Settings
from infrastructure.tokens import issue_token

app = typer.Typer(help="Bearer tokens for the API.", no_args_is_help=True)


@app.command("issue")
def issue(
    sub: str = typer.Option(..., "--sub", help="Who the token is for (subject)."),
    role: list[str] = typer.Option(..., "--role", help="A role; repeat for several."),
    province: list[str] = typer.Option(
        [], "--province", help="A province code; repeat for several; none or '*' for all."),
    ttl: int = typer.Option(480, "--ttl", min=1, help="Minutes until it expires."),
) -> None:
    """Print a signed token with the given subject, roles and provinces."""
    settings = Settings()
    if ttl * 60 > settings.jwt_max_lifetime_seconds:  # the server would refuse it
        typer.echo(f"error: --ttl {ttl} is longer than the {settings.jwt_max_lifetime_seconds} "
                   "seconds a token may live (AIDTRAIL_JWT_MAX_LIFETIME_SECONDS)", err=True)
        raise typer.Exit(2)
    secret = settings.resolved_jwt_secret()
    typer.echo(issue_token(secret, sub=sub, roles=role, provinces=province,
                           ttl=timedelta(minutes=ttl)))
