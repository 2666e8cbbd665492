"""Loads the province register (``rules/register/provinces.toml``, ``agencies.toml``) into
plain domain values."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from domain.agencies import AgencyEntry
from domain.provinces import Province, ProvinceRegister
from infrastructure.rule_profiles import DEFAULT_RULES_DIR, RuleDataError

KINDS = ("province", "city")


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleDataError(f"{path.name}: {exc}") from exc


def _province(code: str, raw: Mapping[str, Any], sources: Mapping[str, str]) -> Province:
    try:
        merged_on = raw.get("merged_on")
        if (merged_on is None) != (raw.get("successor") is None) or \
                (merged_on is not None and not isinstance(merged_on, date)):
            raise RuleDataError(f"provinces.toml: {code} needs both successor and merged_on "
                                "(a TOML date), or neither")
        if raw["kind"] not in KINDS:
            raise RuleDataError(f"provinces.toml: {code} kind must be one of {KINDS}")
        return Province(code=code, name_vi=str(raw["vi"]), name_en=str(raw["en"]),
                        kind=raw["kind"], source=sources[raw["source"]],
                        verified=bool(raw["verified"]), successor=raw.get("successor"),
                        merged_on=merged_on)
    except KeyError as exc:
        raise RuleDataError(f"provinces.toml: {code} lacks {exc} (or names an unknown "
                            "source)") from exc


def _agency(raw: Mapping[str, Any], where: str) -> AgencyEntry:
    since = raw.get("from")
    if since is not None and not isinstance(since, date):
        raise RuleDataError(f"agencies.toml: {where}: from must be a TOML date")
    try:
        return AgencyEntry(focal=str(raw["focal"]), source=str(raw["source"]),
                           verified=bool(raw["verified"]), effective_from=since,
                           managing=raw.get("managing"))
    except KeyError as exc:
        raise RuleDataError(f"agencies.toml: {where} lacks {exc}") from exc


@lru_cache(maxsize=8)
def load_register(rules_dir: Path = DEFAULT_RULES_DIR) -> ProvinceRegister:
    """The register in ``rules_dir/register``; an empty one when the folder has none."""
    folder = rules_dir / "register"
    if not (folder / "provinces.toml").is_file():
        return ProvinceRegister()
    raw = _read(folder / "provinces.toml")
    sources = raw.get("sources", {})
    provinces = {code: _province(code, entry, sources)
                 for code, entry in raw.get("province", {}).items()}
    for p in provinces.values():
        if p.successor is not None and p.successor not in provinces:
            raise RuleDataError(f"provinces.toml: {p.code}'s successor {p.successor} is not "
                                "in the register")
    agencies = _read(folder / "agencies.toml") if (folder / "agencies.toml").is_file() else {}
    return ProvinceRegister(
        provinces=provinces,
        national_agencies=tuple(_agency(e, "national") for e in agencies.get("national", [])),
        agencies={code: tuple(_agency(e, code) for e in entries)
                  for code, entries in agencies.get("province", {}).items()},
        version=int(raw.get("version", 0)))

