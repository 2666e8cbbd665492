"""``aidtrail demo load``: a realistic demo dataset, and tokens to explore it with."""

from __future__ import annotations

from datetime import timedelta

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from infrastructure.clock import today_in_vietnam
from infrastructure.settings import Settings
from infrastructure.tokens import issue_token
from interfaces.container import Container, build_container
from interfaces.demo import (
    DemoConflictError,
    DemoStepError,
    DemoSummary,
    load_dataset,
    load_demo,
)

app = typer.Typer(help="Demo data: donors, certificates and aid cases in every state.",
                  no_args_is_help=True)

# What each role might look at first (one-line curl examples).
_EXAMPLES = {
    "aid_owner": "/api/v1/views/cases?status=in_implementation",
    "focal_officer": "/api/v1/views/cases?status=under_appraisal",
    "approver": "/api/v1/views/cases?status=appraised",
    "registry_officer": "/api/v1/views/donors",
    "auditor": "/api/v1/audit/verify",
    "viewer": "/api/v1/views/portfolio",
}


@app.command("load")
def load(
    tokens: bool = typer.Option(False, "--tokens",
                                help="Also print a token and a curl example for each role."),
    base_url: str = typer.Option("http://127.0.0.1:8000", "--base-url",
                                 help="The server the curl examples call."),
    ttl: int = typer.Option(480, "--ttl", min=1, help="Minutes until the tokens expire."),
) -> None:
    """Load the demo dataset into the configured store (once; a second run changes nothing)."""
    settings = Settings()
    secret = settings.resolved_jwt_secret() if tokens else ""  # fail before loading anything
    container = build_container(settings)
    try:
        summary = _load(container)
    except (DemoConflictError, DemoStepError) as exc:
        typer.echo(f"aidtrail: error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        container.close()
    if summary.already_loaded:
        typer.echo("the demo is already loaded in this store: nothing recorded")
    else:
        flagged = sum(1 for codes in summary.intended_flags.values() if codes)
        typer.echo(f"{len(summary.by_state)} states, {len(summary.by_form)} aid forms, "
                   f"{flagged} cases meant to raise compliance flags")
        typer.echo(f"loaded {summary.donors} donors, {summary.cases} cases, "
                   f"{summary.events} events")
    if tokens:
        _print_tokens(secret, base_url.rstrip("/"), ttl)


def _load(container: Container) -> DemoSummary:
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task("loading the demo", total=None)
        return load_demo(container.services, today_in_vietnam(),
                         progress=lambda done, total: bar.update(task, completed=done,
                                                                 total=total))


def _print_tokens(secret: str, base_url: str, ttl: int) -> None:
    typer.echo(f"\ntokens (every province, valid {ttl} minutes):")
    for role, sub in load_dataset().demo_users.items():
        token = issue_token(secret, sub=sub, roles=[role], provinces=["*"],
                            ttl=timedelta(minutes=ttl))
        typer.echo(f"\n{role} ({sub}):\n{token}")
        typer.echo(f"curl -H 'Authorization: Bearer {token}' '{base_url}{_EXAMPLES[role]}'")
