"""``aidtrail rules show --province``: the province register entry and the agencies in force."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table

from domain.provinces import ProvinceRegister


def _mark(verified: bool) -> str:
    return "yes" if verified else "[yellow]NOT VERIFIED[/yellow]"


def print_province(console: Console, register: ProvinceRegister, code: str, day: date) -> None:
    """The province register entry for ``code`` and the agencies in force on ``day``."""
    entry = register.entry(code)
    if entry is None:
        console.print(f"[yellow]province {code} is not in the province register[/yellow]")
        return
    table = Table("province", "value", "verified", "source")
    table.add_row("code", f"{entry.code}: {entry.name_vi} ({entry.name_en}), {entry.kind}",
                  _mark(entry.verified), entry.source)
    holder = register.resolve(code, day)
    if entry.successor:
        table.add_row("merged", f"into {entry.successor} on {entry.merged_on}",
                      _mark(entry.verified), entry.source)
    absorbed = sorted(register.covering(code, day) - {holder})
    table.add_row(f"on {day.isoformat()}", f"{holder}" + (
        f", which includes {', '.join(absorbed)}" if absorbed else ""), "", "")
    agency = register.focal_agency(code, day)
    if agency is not None:
        since = agency.effective_from.isoformat() if agency.effective_from else "—"
        table.add_row("focal agency", f"{agency.name} (from {since})", _mark(agency.verified),
                      agency.source)
        table.add_row("managing agency", agency.managing_agency, _mark(agency.verified),
                      agency.source)
    console.print(table)
