"""What an import did (or would do), in a few lines: the bad and changed rows, then the count."""

from __future__ import annotations

import typer

from application.imports.run import ImportReport


def summarise(report: ImportReport) -> None:
    for problem in [*report.problems, *report.changed]:
        typer.echo(f"  {problem}", err=True)
    verb = "would record" if report.dry_run else "recorded"
    typer.echo(f"{verb} {len(report.written)} donors and cases whole ({report.events} events, "
               f"{report.deviations} deviations); {len(report.unchanged)} unchanged, "
               f"{len(report.changed)} changed (not applied), {len(report.problems)} bad rows")
    if not report.ok:
        raise typer.Exit(1)
