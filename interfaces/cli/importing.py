"""``aidtrail import``: the legacy workbook's template, and importing one."""

from __future__ import annotations

from pathlib import Path

import typer

from application.imports.run import Importer
from infrastructure.settings import Settings
from interfaces.cli.runner_session import progress_bar
from interfaces.container import build_container
from interfaces.legacy.reader import read_book
from interfaces.legacy.summary import summarise
from interfaces.legacy.template import write_template

TEMPLATE = "template"


def import_(
    target: str = typer.Argument(..., help="The workbook to import, or `template`."),
    out: Path = typer.Option(None, "--out", help="With `template`: the file to write."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row; write nothing."),
    strict: bool = typer.Option(False, "--strict", help="One bad row: write nothing."),
    actor: str = typer.Option("legacy-import", "--actor",
                              help="Who is recorded as having entered the facts."),
) -> None:
    """Import donors, certificates and cases (with their documents, decisions, money and
    reports) from a workbook made from `aidtrail import template --out FILE`."""
    if target == TEMPLATE:
        if out is None or not out.parent.is_dir():
            raise typer.BadParameter("the template needs --out FILE in an existing directory",
                                     param_hint="--out")
        write_template(out)
        typer.echo(f"wrote the import template to {out}")
        return
    path = Path(target)
    if not path.is_file():
        raise typer.BadParameter(f"no such file: {path}", param_hint="TARGET")
    book, header_problems = read_book(path)
    container = build_container(Settings())
    try:
        importer = Importer(container.services, book, actor)
        with progress_bar("import") as progress:
            report = importer.run(write=not dry_run and not header_problems, strict=strict,
                                  progress=progress)
    finally:
        container.close()
    report.problems[:0] = header_problems
    summarise(report)
