"""``aidtrail report aid-received``: the periodic report an office files, as a file."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from application.reports import aid_received
from domain.periods import parse_period
from infrastructure.report_layouts import report_layout
from infrastructure.settings import Settings
from interfaces.container import build_container
from interfaces.http.schemas.reports import AidReceivedReport
from interfaces.tables import report as table
from interfaces.tables import report_files

app = typer.Typer(help="Reports an office files.", no_args_is_help=True)
FORMATS = ("xlsx", "csv", "json")


@app.command("aid-received")
def aid_received_report(
    province: str = typer.Option(..., "--province", help="The province, e.g. BN."),
    period: str = typer.Option(..., "--period", help="2026, 2026-H1, 2026-H2 or 2026-06."),
    out: Path = typer.Option(..., "--out", help="File to write."),
    format: str = typer.Option("xlsx", "--format", help="xlsx, csv or json."),  # noqa: A002
    lang: str = typer.Option("vi", "--lang", help="Headers: vi or en."),
    position: int = typer.Option(None, "--position", min=0,
                                 help="Make it at this log position (default: the head)."),
) -> None:
    """Write the report on aid received and used for PROVINCE and PERIOD to FILE."""
    if format not in FORMATS:
        raise typer.BadParameter(f"one of {', '.join(FORMATS)}", param_hint="--format")
    if lang not in ("vi", "en"):
        raise typer.BadParameter("vi or en", param_hint="--lang")
    if not out.parent.is_dir():
        raise typer.BadParameter(f"no such directory: {out.parent}", param_hint="--out")
    chosen = parse_period(period)
    layout = report_layout("aid-received", chosen.end)  # before the work: a period too early
    container = build_container(Settings())
    try:
        report = aid_received(container.services, province, chosen, position)
    finally:
        container.close()
    with out.open("wb") as f:
        if format == "json":
            body = AidReceivedReport.model_validate(table.as_json(report, layout))
            f.write(json.dumps(body.model_dump(mode="json"), ensure_ascii=False,
                               indent=1).encode())
        else:
            (report_files.write_xlsx if format == "xlsx" else report_files.write_csv)(
                f, report, layout, "en" if lang == "en" else "vi")
    typer.echo(f"wrote the {chosen.label} report of {province} ({len(report.rows)} rows, "
               f"log position {report.position}) to {out}")
