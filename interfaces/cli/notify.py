"""``aidtrail notify subscribe|unsubscribe|list|evaluate|status|run``: reminders and alerts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import typer

from infrastructure.clock import now_utc, today_in_vietnam
from infrastructure.logging import configure_logging
from infrastructure.settings import Settings
from interfaces.container import Container, build_container, build_notifier

app = typer.Typer(help="Reminders and alerts: subscriptions, the daily evaluation, the outbox.",
                  no_args_is_help=True)


@contextmanager
def _container() -> Iterator[Container]:
    container = build_container(Settings())
    try:
        yield container
    finally:
        container.close()


@app.command("subscribe")
def subscribe(
    email: str = typer.Option(None, "--email", help="Send e-mails to this address."),
    webhook: str = typer.Option(None, "--webhook", help="POST signed JSON to this URL."),
    role: str = typer.Option(None, "--role", help="A role (with --province)."),
    province: str = typer.Option(None, "--province", help="A province code, or * for all."),
    person: str = typer.Option(None, "--person", help="A named person (their user id)."),
    lang: str = typer.Option("vi", "--lang", help="vi (default) or en."),
) -> None:
    """Subscribe a role in a province, or a person, by e-mail or webhook."""
    if (email is None) == (webhook is None):
        raise typer.BadParameter("give one of --email and --webhook", param_hint="--email")
    with _container() as c:
        found = c.notifications.subscribe(
            role=role, province=province, person=person,
            channel="email" if email else "webhook", address=email or webhook, language=lang,
            created_by="cli", now=now_utc())
    typer.echo(f"subscription {found.id}")
    if found.secret:  # shown once: the receiver checks signatures with it
        typer.echo(f"webhook secret {found.secret}")


@app.command("unsubscribe")
def unsubscribe(subscription_id: str = typer.Argument(..., help="The subscription's id.")) -> None:
    """Remove a subscription; its notices not yet sent are cancelled."""
    with _container() as c:
        c.notifications.unsubscribe(subscription_id)
    typer.echo(f"removed {subscription_id}")


@app.command("list")
def list_subscriptions() -> None:
    """Every subscription: id, whom, how, language."""
    with _container() as c:
        for s in c.notifications.subscriptions():
            whom = f"person {s.person}" if s.person else f"{s.role} in {s.province}"
            typer.echo(f"{s.id}  {whom}  {s.channel} {s.address}  {s.language}")


@app.command("evaluate")
def evaluate(
    on: str = typer.Option(None, "--date", help="The day to evaluate (default: today)."),
) -> None:
    """Enqueue the reminders and overdue notices due on a day (safe to run again)."""
    day = date.fromisoformat(on) if on else today_in_vietnam()
    with _container() as c:
        c.runner.catch_up()
        added = c.notifications.evaluate(day, now_utc())
    typer.echo(f"{added} new notices for {day.isoformat()}")


@app.command("status")
def status() -> None:
    """The outbox by status and channel; pending rows of a channel not configured are held."""
    settings = Settings()
    with _container() as c:
        counts = c.notifications.counts()
    if not counts:
        typer.echo("the outbox is empty")
    for (state, channel), count in sorted(counts.items()):
        held = state == "pending" and channel not in settings.notify_channels
        typer.echo(f"{channel:8} {'held' if held else state:8} {count}")


@app.command("run")
def run(once: bool = typer.Option(False, "--once", help="One pass, then exit (cron).")) -> None:
    """Evaluate once a day and send what is due (what `aidtrail worker` does as well)."""
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    with _container() as c:
        notifier = build_notifier(c)
        if once:
            notifier.tick(now_utc())
        else:
            notifier.run()
