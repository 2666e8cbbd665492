"""Every command of the command line, misused (an unknown option, a bad value, a name that
does not exist, a database that is not there), says so in one line and exits non-zero."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import typer

from interfaces.cli.main import app, main
from interfaces.legacy.template import write_template

NO_DATABASE = "postgresql://nobody@127.0.0.1:1/none"
PASSWORD = "a passphrase long enough"

# Arguments each command accepts; run against a database that does not answer.
USES_DATABASE: dict[str, list[str]] = {
    "serve": [], "worker": [], "projections status": [], "projections rebuild": ["--all"],
    "projections verify": ["case_summary"], "audit verify": [], "audit export": [],
    "audit import": ["{file}"], "iati export": ["--out", "{dir}/out.xml"], "demo load": [],
    "db migrate": [], "db restore": ["{file}"],
    "report aid-received": ["--province", "BN", "--period", "2026", "--out", "{dir}/r.xlsx"],
    "import": ["{workbook}"],
    "notify subscribe": ["--role", "focal_officer", "--province", "BN", "--email", "a@b.example"],
    "notify unsubscribe": ["some-id"], "notify list": [], "notify status": [],
    "notify evaluate": ["--date", "2026-03-01"], "notify run": ["--once"],
    "user add": ["--username", "lan", "--role", "viewer", "--province", "BN"],
    "user disable": ["--username", "lan"], "user enable": ["--username", "lan"],
    "user reset-password": ["--username", "lan"], "user list": [],
}
NO_DATABASE_NEEDED = {"rules show", "token issue"}
# Commands whose refusal names the tool that failed rather than the database.
NAMES_ITS_TOOL = {"db backup": ["--out", "{dir}/backup.dump"]}

# A bad value for each command that takes one (on a working SQLite store).
BAD_VALUES: list[list[str]] = [
    ["projections", "verify", "nosuch"],
    ["projections", "rebuild", "nosuch"],
    ["projections", "rebuild"],
    ["rules", "show", "--date", "2026-13-01"],
    ["rules", "show", "--province", "ZZ"],
    ["token", "issue", "--sub", "x", "--role", "no_such_role"],
    ["token", "issue", "--sub", "x", "--role", "viewer", "--ttl", "0"],
    ["token", "issue"],
    ["demo", "load", "--ttl", "zero"],
    ["serve", "--port", "eighty"],
    ["audit", "import", "{dir}/nosuch.jsonl"],
    ["iati", "export", "--out", "{dir}/nosuch/out.xml"],
    ["iati", "export"],
    ["report", "aid-received", "--province", "BN", "--period", "2026-H3", "--out", "{dir}/r"],
    ["report", "aid-received", "--province", "BN", "--period", "2021", "--out", "{dir}/r"],
    ["import", "{dir}/nosuch.xlsx"],
    ["import", "template"],
    ["import", "{file}"],
    ["report", "aid-received", "--province", "BN", "--period", "2026", "--out", "{dir}/r",
     "--format", "pdf"],
    ["notify", "evaluate", "--date", "2026-13-01"],
    ["notify", "subscribe", "--role", "viewer", "--province", "BN", "--email", "a@b.example"],
    ["notify", "subscribe", "--role", "focal_officer", "--province", "BN"],
    ["notify", "unsubscribe", "nosuch"],
    ["user", "add", "--username", "lan", "--role", "no_such_role", "--province", "BN"],
    ["user", "add", "--username", "lan", "--role", "viewer", "--province", "ZZ"],
    ["user", "disable", "--username", "nobody"],
    ["user", "reset-password", "--username", "nobody"],
]


def commands() -> list[str]:
    """Every command of the application, by its path (``projections verify``)."""
    found: list[str] = []

    def walk(command: object, path: list[str]) -> None:
        children = getattr(command, "commands", None)
        if children is None:
            found.append(" ".join(path))
            return
        for name, child in children.items():
            walk(child, [*path, name])

    walk(typer.main.get_command(app), [])
    return sorted(found)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    sys.argv = ["aidtrail", *argv]
    given, sys.stdin = sys.stdin, io.StringIO(PASSWORD + "\n")  # for `user add` and reset
    try:
        with pytest.raises(SystemExit) as stopped:
            main()
    finally:
        sys.stdin = given
    out, err = capsys.readouterr()
    code = stopped.value.code
    return code if isinstance(code, int) else 1, out, err


def assert_one_line(code: int, out: str, err: str) -> None:
    assert code != 0
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aidtrail: error: "), err


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AIDTRAIL_DATABASE_URL", f"sqlite:///{tmp_path / 'aidtrail.sqlite'}")
    monkeypatch.setenv("AIDTRAIL_JWT_SECRET", "x" * 40)
    monkeypatch.setenv("AIDTRAIL_AUTO_MIGRATE", "true")
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    (tmp_path / "export.jsonl").write_text("")
    write_template(tmp_path / "legacy.xlsx")
    return tmp_path


def fill(args: list[str], folder: Path) -> list[str]:
    return [a.format(dir=folder, file=folder / "export.jsonl", workbook=folder / "legacy.xlsx")
            for a in args]


def test_every_command_is_tried_with_and_without_a_database() -> None:
    assert set(commands()) == set(USES_DATABASE) | NO_DATABASE_NEEDED | set(NAMES_ITS_TOOL)


@pytest.mark.parametrize("command", commands())
def test_an_unknown_option_is_one_line_naming_the_commands_help(
        command: str, store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*command.split(), "--no-such-option"], capsys)
    assert_one_line(code, out, err)
    assert "No such option: --no-such-option" in err and f"aidtrail {command} --help" in err


@pytest.mark.parametrize("command", sorted(USES_DATABASE))
def test_a_database_that_does_not_answer_is_one_line(
        command: str, store: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIDTRAIL_DATABASE_URL", NO_DATABASE)
    code, out, err = run([*command.split(), *fill(USES_DATABASE[command], store)], capsys)
    assert_one_line(code, out, err)
    assert "does not answer" in err


@pytest.mark.parametrize("command", sorted(NAMES_ITS_TOOL))
def test_a_tool_that_cannot_reach_the_database_is_one_line(
        command: str, store: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIDTRAIL_DATABASE_URL", NO_DATABASE)
    code, out, err = run([*command.split(), *fill(NAMES_ITS_TOOL[command], store)], capsys)
    assert_one_line(code, out, err)
    assert "Connection refused" in err or "does not answer" in err


@pytest.mark.parametrize("command", ["projections status", "audit verify", "demo load"])
def test_a_store_without_the_schema_is_one_line_naming_the_migration(
        command: str, store: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIDTRAIL_AUTO_MIGRATE", "false")
    code, out, err = run(command.split(), capsys)
    assert_one_line(code, out, err)
    assert "aidtrail db migrate" in err


@pytest.mark.parametrize("argv", BAD_VALUES, ids=" ".join)
def test_a_bad_value_is_one_line(argv: list[str], store: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(fill(argv, store), capsys)
    assert_one_line(code, out, err)
