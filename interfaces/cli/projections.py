"""``aidtrail projections status|rebuild|verify``: the read models and their positions."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from infrastructure.views import ProjectionRunner, failures
from interfaces.cli.runner_session import open_runner, progress_bar

app = typer.Typer(help="Read models: positions, rebuilds, replay-and-compare.",
                  no_args_is_help=True)


def _known(runner: ProjectionRunner, name: str) -> str:
    if name not in runner.projections:
        raise typer.BadParameter(f"no projection named {name!r}; known: "
                                 f"{', '.join(sorted(runner.projections))}", param_hint="NAME")
    return name


@app.command("status")
def status() -> None:
    """Each projection's position, the log head, the lag, and a failure (exit 1 if any)."""
    with open_runner() as runner:
        head = runner.head()
        failing = runner.failures()
        table = Table("projection", "position", "head", "lag", "status")
        for name, position in runner.positions().items():
            f = failing.get(name)
            state = "ok" if f is None else (
                f"failing at {f.position}: {f.code} ({f.error_class}), attempt {f.attempts}, "
                f"since {f.failed_since}")
            table.add_row(name, str(position), str(head), str(head - position), state)
    Console(width=200).print(table)
    if failing:
        typer.echo(f"{failures.summary(list(failing.values()))}", err=True)
        raise typer.Exit(1)


@app.command("rebuild")
def rebuild(
    name: str = typer.Argument(None, help="The projection to rebuild."),
    every: bool = typer.Option(False, "--all", help="Rebuild every projection."),
) -> None:
    """Empty a projection and replay the whole log into it."""
    if bool(name) == every:
        raise typer.BadParameter("name one projection or pass --all")
    with open_runner() as runner:
        chosen = list(runner.projections) if every else [_known(runner, name)]
        with progress_bar(f"rebuilding {', '.join(chosen)}") as progress:
            count = runner.rebuild_many(chosen, progress=progress)  # one pass over the log
        failing = runner.failures()
        for each in chosen:
            typer.echo(f"{each}: {count} events replayed, at {runner.position(each)}")
    stopped = [failing[each] for each in chosen if each in failing]
    if stopped:
        typer.echo(failures.summary(stopped), err=True)
        raise typer.Exit(1)


@app.command("verify")
def verify(name: str = typer.Argument(..., help="The projection to compare.")) -> None:
    """Rebuild into shadow tables from position 0 and diff them with the live tables."""
    with open_runner() as runner, progress_bar(f"replaying {_known(runner, name)}") as progress:
        differences = runner.verify(name, progress=progress)
    for difference in differences:
        typer.echo(str(difference))
    if differences:
        typer.echo(f"{name}: {len(differences)} rows differ from a replay", err=True)
        raise typer.Exit(1)
    typer.echo(f"{name}: identical to a replay from position 0")
