"""A legacy workbook imported through the ordinary commands: checked before anything is
written, each case whole or not at all, rule breaches kept as deviations, and a rerun of the
same file recording nothing (both backends)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from application.imports.columns import SHEETS
from application.imports.run import Importer, ImportReport
from application.projections.queries import query_portfolio
from bench.legacy_workbook import legacy_rows
from domain.case import AidCase
from interfaces.cli.main import main
from interfaces.container import Container
from interfaces.legacy.reader import WorkbookError, read_book
from interfaces.legacy.template import write_template
from tests.conftest import TEST_SECRET


def workbook(path: Path, sheets: dict[str, list[dict[str, Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        columns = [c[0] for c in SHEETS[name]]
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
    book.save(path)
    return path


def template_rows(tmp_path: Path) -> dict[str, list[dict[str, Any]]]:
    """The template's own example rows, as a starting point."""
    write_template(tmp_path / "template.xlsx")
    book, _ = read_book(tmp_path / "template.xlsx")
    return {sheet: [dict(r.values) for r in rows] for sheet, rows in book.items()}


def a_case(rows: dict[str, list[dict[str, Any]]], reference: str) -> None:
    """Another case like the template's, under another reference."""
    base = rows["cases"][0]["reference"]
    for sheet in ("cases", "documents", "decisions", "transactions", "reports"):
        rows[sheet] += [{**r, "reference": reference} for r in rows[sheet]
                        if r["reference"] == base]


def run(container: Container, path: Path, write: bool = True, strict: bool = False
        ) -> ImportReport:
    book, problems = read_book(path)
    assert problems == []
    return Importer(container.services, book, "legacy-import").run(write=write, strict=strict)


@pytest.fixture
def started(container: Container) -> Iterator[Container]:
    if container.background is not None:
        container.background.stop()
    yield container


def case(container: Container, reference: str) -> Any:
    return container.services.get_case(AidCase.create_id(reference))


def test_the_template_imports_as_it_is_and_a_rerun_records_nothing(
        started: Container, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    dry = run(started, path, write=False)
    assert dry.ok and dry.dry_run and len(dry.written) == 2 and started.runner.head() == 0
    first = run(started, path)
    assert first.ok and sorted(first.written) == ["BG-2019-0007", "SAKURA-JP"]
    head = started.runner.head()
    assert head == first.events > 10
    imported = case(started, "BG-2019-0007")
    assert imported.status == "in_implementation" and imported.province == "BG"
    assert imported.totals["received"] == Decimal(7500000)
    assert imported.opened_on.isoformat() == "2019-07-10"
    again = run(started, path)
    assert again.ok and again.written == [] and sorted(again.unchanged) == [
        "BG-2019-0007", "SAKURA-JP"]
    assert started.runner.head() == head


def test_a_rule_broken_in_the_past_is_recorded_with_a_deviation_naming_its_row(
        started: Container, tmp_path: Path) -> None:
    rows = template_rows(tmp_path)
    rows["transactions"][0]["aid_account"] = None  # cash must go through the aid account
    report = run(started, workbook(tmp_path / "late.xlsx", rows))
    assert report.ok and report.deviations >= 1
    deviations = case(started, "BG-2019-0007").deviations
    assert any(d["document"] == "transactions row 2" for d in deviations), deviations


def test_a_changed_row_is_reported_and_not_applied(started: Container, tmp_path: Path) -> None:
    rows = template_rows(tmp_path)
    run(started, workbook(tmp_path / "first.xlsx", rows))
    head = started.runner.head()
    rows["transactions"][0]["amount"] = 7600000
    report = run(started, workbook(tmp_path / "changed.xlsx", rows))
    assert [(p.sheet, p.row) for p in report.changed] == [("transactions", 2)]
    assert not report.ok and started.runner.head() == head
    assert case(started, "BG-2019-0007").totals["received"] == Decimal(7500000)


def test_bad_rows_are_listed_and_good_cases_written_whole_unless_strict(
        started: Container, tmp_path: Path) -> None:
    rows = template_rows(tmp_path)
    a_case(rows, "BG-2019-0008")
    a_case(rows, "BG-2019-0009")
    rows["cases"][1]["planned_start"] = "31/02/2019"  # no such day
    rows["cases"][1]["province"] = "ZZ"  # no such province either
    # A procedure step refused (not a rule): a report before the case was approved.
    rows["reports"][2]["submitted_on"] = rows["reports"][2]["accepted_on"] = "2019-07-11"
    rows["reports"][2]["period_start"], rows["reports"][2]["period_end"] = \
        "2019-01-01", "2019-06-30"
    path = workbook(tmp_path / "mixed.xlsx", rows)
    strict = run(started, path, strict=True)
    assert not strict.ok and started.runner.head() == 0
    where = {(p.sheet, p.row, p.column) for p in strict.problems}
    assert {("cases", 3, "planned_start"), ("cases", 3, "province")} <= where
    assert any(p.sheet == "reports" and p.row == 4 for p in strict.problems), strict.problems
    lenient = run(started, path)
    assert sorted(lenient.written) == ["BG-2019-0007", "SAKURA-JP"]
    assert started.services.head_version(AidCase.create_id("BG-2019-0009")) == 0  # not half
    assert started.services.head_version(AidCase.create_id("BG-2019-0008")) == 0


def test_a_file_that_is_not_a_workbook_or_has_unknown_columns_is_refused(
        tmp_path: Path) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    with pytest.raises(WorkbookError, match="not an Excel workbook"):
        read_book(text)
    rows = {"donors": [{"code": "X"}]}
    path = workbook(tmp_path / "odd.xlsx", rows)
    book = openpyxl.load_workbook(path)
    book["donors"].cell(1, 7, "colour")
    book.save(path)
    _, problems = read_book(path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("donors", 1, "colour")]


def test_a_provinces_decade_imports_and_the_views_hold_the_workbooks_totals(
        container: Container, tmp_path: Path) -> None:
    rows, sums = legacy_rows(donors=30, cases=300)
    report = run(container, workbook(tmp_path / "decade.xlsx", rows))
    assert report.ok, report.problems[:3]
    assert len(report.written) == 330
    container.start()
    assert any(container.wait_for_views(container.runner.head()) for _ in range(1000))
    with container.views.transaction(write=False) as tx:
        page = query_portfolio(tx, provinces=None, filters={"province": ["BG"]},
                               group_by=["province"], cursor=None, limit=10, sort=None)
    assert page.totals is not None and page.totals["case_count"] == 300
    for name, expected in sums.items():
        assert Decimal(page.totals[name]) == expected, name


def test_the_command_line_checks_then_imports_the_template(
        started: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AIDTRAIL_DATABASE_URL", started.settings.database_url)
    monkeypatch.setenv("AIDTRAIL_JWT_SECRET", TEST_SECRET)
    path = tmp_path / "legacy.xlsx"
    for argv, expected in ((["template", "--out", str(path)], "wrote the import template"),
                           ([str(path), "--dry-run"], "would record 2 donors and cases"),
                           ([str(path)], "recorded 2 donors and cases"),
                           ([str(path)], "2 unchanged")):
        monkeypatch.setattr(sys, "argv", ["aidtrail", "import", *argv])
        with pytest.raises(SystemExit) as stopped:
            main()
        out = capsys.readouterr().out
        assert stopped.value.code == 0 and expected in out, out


def test_rows_naming_nothing_and_rows_given_twice_are_bad_rows(
        started: Container, tmp_path: Path) -> None:
    rows = template_rows(tmp_path)
    rows["transactions"].append({**rows["transactions"][0], "reference": "BG-2019-0999"})
    rows["certificates"].append({**rows["certificates"][0], "donor_code": "NOPE"})
    rows["cases"].append({**rows["cases"][0], "title": "The same reference again"})
    report = run(started, workbook(tmp_path / "odd.xlsx", rows), write=False)
    where = {(p.sheet, p.row, p.column) for p in report.problems}
    assert {("transactions", 3, "reference"), ("certificates", 3, "donor_code"),
            ("cases", 3, "")} <= where, report.problems
    assert "BG-2019-0007" not in report.written  # neither row of the reference given twice


def test_a_donor_is_dated_by_its_facts_and_a_changed_donor_holds_back_its_cases(
        started: Container, tmp_path: Path) -> None:
    rows = template_rows(tmp_path)
    alone = {"donors": rows["donors"]}  # no certificate, no case: nothing dates it
    report = run(started, workbook(tmp_path / "alone.xlsx", alone))
    assert [p.column for p in report.problems] == ["code"] and report.written == []
    with_case = {k: v for k, v in rows.items() if k != "certificates"}
    first = run(started, workbook(tmp_path / "first.xlsx", with_case))
    assert "SAKURA-JP" in first.written  # registered on its case's opening day
    again = run(started, workbook(tmp_path / "full.xlsx", rows))  # now with a certificate
    assert [p.reason for p in again.changed] == [
        "SAKURA-JP differs from what was imported before: not applied"]
    assert again.written == []
