"""The province register is rule data: 63 provinces before 1 July 2025, 34 after, each sourced,
and the focal agency of each province by date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrastructure.communes import load_communes
from infrastructure.province_register import load_register
from infrastructure.rule_profiles import RuleDataError
from interfaces.cli.main import app as cli

BEFORE, AFTER = date(2025, 6, 30), date(2025, 7, 1)


def test_the_register_has_63_provinces_before_1_july_2025_and_34_from_then() -> None:
    provinces = load_register().provinces.values()

    assert len([p for p in provinces if p.exists_on(BEFORE)]) == 63
    assert len([p for p in provinces if p.exists_on(AFTER)]) == 34
    assert len([p for p in provinces if p.exists_on(AFTER) and p.kind == "city"]) == 6


def test_every_merged_province_names_a_successor_that_exists_after_the_merger() -> None:
    register = load_register()
    for p in register.provinces.values():
        if p.successor is not None:
            successor = register.entry(p.successor)
            assert successor is not None and successor.exists_on(AFTER), p.code
            assert p.merged_on == AFTER, p.code


def test_every_entry_has_names_and_a_source_and_is_verified_only_from_a_source_read() -> None:
    for p in load_register().provinces.values():
        assert p.name_vi and p.name_en and p.source, p.code
        if p.verified:
            assert not p.source.startswith("not read"), p.code


def test_bac_giang_is_part_of_bac_ninh_from_1_july_2025_and_not_before() -> None:
    register = load_register()

    assert register.resolve("BG", BEFORE) == "BG"
    assert register.resolve("BG", AFTER) == "BN"
    assert register.covering("BN", AFTER) == register.covering("BG", AFTER) == {"BN", "BG"}
    assert register.covering("BN", BEFORE) == {"BN"}


def test_three_provinces_merged_into_phu_tho_and_hai_duong_into_hai_phong() -> None:
    register = load_register()

    assert register.scope(["PT"], AFTER) == {"PT", "VP", "HB"}
    assert register.renames(AFTER)["HD"] == "HP"
    assert register.renames(BEFORE) == {}


def test_a_code_the_register_does_not_know_covers_only_itself() -> None:
    assert load_register().scope(["XX"], AFTER) == {"XX"}


def test_the_focal_agency_is_the_planning_department_then_finance_from_march_2025() -> None:
    register = load_register()

    before = register.focal_agency("BN", date(2025, 2, 28))
    after = register.focal_agency("BN", date(2025, 3, 1))

    assert before is not None and after is not None
    assert before.name == "Bac Ninh Department of Planning and Investment"
    assert after.name == "Bac Ninh Department of Finance"
    assert after.managing_agency == "Bac Ninh Provincial People's Committee"
    assert not after.verified


def test_a_merged_province_has_the_agencies_of_its_successor() -> None:
    agency = load_register().focal_agency("HD", date(2026, 1, 15))

    assert agency is not None
    assert (agency.province, agency.managing_agency) == ("HP", "Hai Phong City People's Committee")


def test_a_provinces_own_entry_wins_over_the_national_one_from_its_date() -> None:
    register = load_register()

    dong_nai = register.focal_agency("DNA", date(2025, 6, 1))
    ha_tinh = register.focal_agency("HT", date(2025, 6, 1))

    assert dong_nai is not None and dong_nai.name.startswith("Office of the Dong Nai")
    assert ha_tinh is not None and ha_tinh.verified


def test_a_merged_province_without_its_successor_is_refused(tmp_path: Path) -> None:
    (tmp_path / "register").mkdir()
    (tmp_path / "register" / "provinces.toml").write_text(
        '[sources]\ns = "a source"\n[province.BG]\nvi = "Bắc Giang"\nen = "Bac Giang"\n'
        'kind = "province"\nsuccessor = "BN"\nmerged_on = 2025-07-01\nsource = "s"\n'
        "verified = false\n", encoding="utf-8")

    with pytest.raises(RuleDataError, match="successor BN"):
        load_register(tmp_path)


def test_a_commune_list_is_read_from_the_first_column_of_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "communes.csv"
    path.write_text("code,name,province\n07210,Xã Tân Sỏi,BN\n", encoding="utf-8")

    assert load_communes(path) == {"07210"}
    assert load_communes(None) is None


def test_rules_show_prints_the_register_entry_and_the_focal_agency_for_a_date() -> None:
    result = CliRunner().invoke(cli, ["rules", "show", "--date", "2026-01-15",
                                      "--province", "BG"], env={"COLUMNS": "300"})

    assert result.exit_code == 0, result.output
    assert "BG: Bắc Giang (Bac Giang), province" in result.output
    assert "into BN on 2025-07-01" in result.output
    assert "Bac Ninh Department of Finance (from 2025-03-01)" in result.output
    assert "Bac Ninh Provincial People's Committee" in result.output
