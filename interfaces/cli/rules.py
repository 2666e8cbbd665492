"""``aidtrail rules show``: the rule profile in force for a date and province."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from infrastructure.province_register import load_register
from infrastructure.rule_profiles import load_rulebook
from infrastructure.settings import Settings
from interfaces.cli.province_entry import print_province

app = typer.Typer(help="Rule profiles (legal parameters as versioned data).",
                  no_args_is_help=True)


@app.command("show")
def show(
    on: str = typer.Option(None, "--date", help="Date (YYYY-MM-DD); today by default."),
    province: str = typer.Option(None, "--province", help="Province code, e.g. BN."),
) -> None:
    """Print the profile in force, marking every parameter that is not verified; with a
    province, its register entry and the focal agency in force first."""
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError:
        raise typer.BadParameter(f"not a date: {on!r} (use YYYY-MM-DD)") from None
    settings = Settings()
    profile = load_rulebook(settings.rules_dir).in_force(day, province)
    console = Console()
    if province:
        print_province(console, load_register(settings.rules_dir), province, day)
    console.print(f"[bold]{profile.instrument}[/bold] — {profile.title}")
    until = profile.effective_until.isoformat() if profile.effective_until else "—"
    console.print(f"profile {profile.ref}; in force {profile.effective_from.isoformat()}"
                  f" to {until}; for {day.isoformat()}"
                  + (f", province {province}" if province else ""))
    table = Table("parameter", "value", "verified", "source")
    for name, param in sorted(profile.params.items()):
        mark = "yes" if param.verified else "[yellow]NOT VERIFIED[/yellow]"
        table.add_row(name, str(param.value), mark, param.citation)
    authority = profile.authority
    table.add_row("approval competence", f"default {authority.get('default')}",
                  "yes" if authority.get("verified") else "[yellow]NOT VERIFIED[/yellow]",
                  str(authority.get("citation", "")))
    for d in authority.get("delegations", []):
        table.add_row("delegation", f"{d['delegate']} for {d['level']} up to {d['max_vnd']} VND",
                      "[yellow]NOT VERIFIED[/yellow]", "province data")
    console.print(table)
    unverified = profile.unverified()
    if unverified:
        console.print(f"[yellow]{len(unverified)} parameters are not verified against the "
                      "legal text; they are working defaults, not law.[/yellow]")

