"""``aidtrail audit verify|export|import``: the tamper-evident ledger (SPEC §4)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from application.audit import (
    TamperedError,
    chain_position,
    export_events,
    import_events,
    verify_chain,
)
from interfaces.cli.runner_session import open_runner, progress_bar

app = typer.Typer(help="Tamper evidence: verify the hash chain, export and import events.",
                  no_args_is_help=True)


@app.command("verify")
def verify(expect: str = typer.Option(
        None, "--expect", metavar="HEAD_HASH",
        help="A head hash recorded earlier: fail unless the chain passes through it.")) -> None:
    """Recompute the hash chain from the event store; print the head hash to record."""
    with open_runner() as runner, progress_bar("verifying") as progress:
        result = verify_chain(runner, progress=progress)
        found = chain_position(runner, expect) if expect and result.ok else None
    if result.ok:
        typer.echo(f"ok: {result.count} events; head hash {result.head_hash}")
        if expect and found is None:
            typer.echo(f"MISSING: the recorded head hash {expect} is not in the chain: events "
                       "up to it were lost or changed", err=True)
            raise typer.Exit(1)
        if expect:
            typer.echo(f"the recorded head hash is the chain's at position {found}")
        return
    typer.echo(f"TAMPERED: event {result.problem} at position {result.first_bad_position}: "
               f"{result.detail} ({result.count} events verified before it)", err=True)
    raise typer.Exit(1)


@app.command("export")
def export(out: Path = typer.Option(None, "--out", help="File to write; stdout by default.")
           ) -> None:
    """Stream every event with its hashes as JSON Lines."""
    with open_runner() as runner:
        target = out.open("w", encoding="utf-8") if out else sys.stdout
        try:
            for record in export_events(runner):
                target.write(json.dumps(record, separators=(",", ":")) + "\n")
        finally:
            if out:
                target.close()


@app.command("import")
def import_(file: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Load an export into an empty store, refusing a file whose hashes do not hold."""
    with open_runner() as runner, progress_bar("importing") as progress:
        try:
            result = import_events(runner, file, progress=progress)
        except TamperedError as exc:
            typer.echo(f"aidtrail: refused: {exc}; nothing was imported", err=True)
            raise typer.Exit(1) from None
    if not result.ok:
        typer.echo(f"aidtrail: {result.detail}", err=True)
        raise typer.Exit(1)
    typer.echo(f"imported {result.count} events; head hash {result.head_hash}")
