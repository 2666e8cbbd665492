"""``aidtrail iati export``: the cases past approval as one IATI 2.03 file."""

from __future__ import annotations

from pathlib import Path

import typer

from application.iati import ReportingOrg
from application.iati_export import export_activities, list_case_ids, select_cases
from infrastructure.iati_validation import IatiValidator
from infrastructure.settings import Settings
from interfaces.container import build_container

app = typer.Typer(help="IATI 2.03 publication.", no_args_is_help=True)


@app.command("export")
def export(
    out: Path = typer.Option(..., "--out", help="File to write (iati-activities XML)."),
    province: str = typer.Option(None, "--province", help="Only this province, e.g. BN."),
    include_pipeline: bool = typer.Option(False, "--include-pipeline",
                                          help="Also cases not yet approved."),
) -> None:
    """Write every valid case to FILE; list the cases left out and why (exit status 1)."""
    if not out.parent.is_dir():
        raise typer.BadParameter(f"no such directory: {out.parent}", param_hint="--out")
    settings = Settings()
    org = ReportingOrg(ref=settings.reporting_org_ref, name=settings.reporting_org_name,
                       type=settings.reporting_org_type)
    validator = IatiValidator(settings.iati_dir)
    container = build_container(settings)
    try:
        cases = select_cases(container.services, list_case_ids(container.app),
                             province=province, include_pipeline=include_pipeline)
        result = export_activities(container.services, cases, org=org, validator=validator,
                                   publications=container.iati_publications)
    finally:
        container.close()
    out.write_bytes(result.xml)
    typer.echo(f"wrote {len(result.published)} activities to {out}")
    if not validator.available:
        typer.echo(f"warning: UNVALIDATED export: {validator.unavailable_reason}; "
                   "set AIDTRAIL_IATI_DIR to the IATI 2.03 schema and codelists", err=True)
    for reference, problems in sorted(result.excluded.items()):
        typer.echo(f"left out {reference}:", err=True)
        for problem in problems:
            where = f" at {problem.path}" if problem.path else ""
            typer.echo(f"  - [{problem.rule}] {problem.message}{where}", err=True)
    if result.excluded:
        typer.echo(f"{len(result.excluded)} cases were left out", err=True)
        raise typer.Exit(1)
