"""``aidtrail rules show``: the rule profile in force for a date and province."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from domain.rules import Cited, Param
from infrastructure.province_register import load_register
from infrastructure.rule_profiles import load_rulebook
from infrastructure.settings import Settings
from interfaces.cli.province_entry import print_province

NOT_VERIFIED = "[yellow]NOT VERIFIED[/yellow]"

app = typer.Typer(help="Rule profiles (legal parameters as versioned data).",
                  no_args_is_help=True)


def _row(table: Table, name: str, value: str, cited: Param | Cited | None) -> None:
    if cited is None:
        table.add_row(name, value, NOT_VERIFIED, "no citation", "")
        return
    table.add_row(name, value, "yes" if cited.verified else NOT_VERIFIED, cited.citation,
                  cited.source)


@app.command("show")
def show(
    on: str = typer.Option(None, "--date", help="Date (YYYY-MM-DD); today by default."),
    province: str = typer.Option(None, "--province", help="Province code, e.g. BN."),
) -> None:
    """Print the profile in force: every date, parameter and rule with its source, marking
    each one no source that was read states; with a province, its register entry and the
    focal agency in force first."""
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError:
        raise typer.BadParameter(f"not a date: {on!r} (use YYYY-MM-DD)") from None
    settings = Settings()
    register = load_register(settings.rules_dir)
    if province and register.provinces and register.entry(province) is None:
        raise typer.BadParameter(f"{province!r} is not a province code of the register",
                                 param_hint="--province")
    profile = load_rulebook(settings.rules_dir).in_force(day, province)
    console = Console()
    if province:
        print_province(console, register, province, day)
    console.print(f"[bold]{profile.instrument}[/bold] — {profile.title}")
    until = profile.effective_until.isoformat() if profile.effective_until else "—"
    console.print(f"profile {profile.ref}; in force {profile.effective_from.isoformat()}"
                  f" to {until}; for {day.isoformat()}"
                  + (f", province {province}" if province else ""))
    table = Table("parameter", "value", "verified", "source", "read at")
    for name in ("effective_from", "effective_until"):
        value = getattr(profile, name)
        if value is not None:
            _row(table, name, value.isoformat(), profile.dates.get(name))
    for name, param in sorted(profile.params.items()):
        _row(table, name, str(param.value), param)
    authority = profile.authority
    _row(table, "approval competence", f"default {authority.get('default')}",
         profile.basis("authority_level"))
    for d in authority.get("delegations", []):
        table.add_row("delegation", f"{d['delegate']} for {d['level']} up to {d['max_vnd']} VND",
                      NOT_VERIFIED, "province data", "")
    for name, basis in sorted(profile.bases.items()):
        _row(table, f"rule {name}", "", basis)
    console.print(table)
    unverified = profile.unverified()
    if unverified:
        console.print(f"[yellow]{len(unverified)} parameters are not verified against the "
                      "legal text; they are working defaults, not law.[/yellow]")

