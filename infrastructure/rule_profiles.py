"""Loads rule profiles (one TOML file per instrument) and province overrides from a folder
(each file read by ``infrastructure/rule_files.py``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from domain.rules import RuleProfile, profile_in_force
from infrastructure.rule_files import Override, RuleDataError, read_override, read_profile

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


@dataclass(frozen=True)
class RuleBook:
    """Every profile and province override found in one rules folder."""

    profiles: Sequence[RuleProfile]
    overrides: Mapping[str, Sequence[Override]]

    def in_force(self, on: date, province: str | None = None) -> RuleProfile:
        return profile_in_force(self.profiles, on, province, self.overrides)

    def by_ref(self, ref: str) -> RuleProfile | None:
        """The profile named by a stored ``ref`` (without its province part)."""
        base = ref.split("+", 1)[0]
        for p in self.profiles:
            if p.ref == base:
                return p
        return None


@lru_cache(maxsize=8)
def load_rulebook(rules_dir: Path = DEFAULT_RULES_DIR) -> RuleBook:
    if not rules_dir.is_dir():
        raise RuleDataError(f"rules folder not found: {rules_dir}")
    profiles = [read_profile(p) for p in sorted(rules_dir.glob("*.toml"))]
    if not profiles:
        raise RuleDataError(f"no rule profiles (*.toml) in {rules_dir}")
    overrides: dict[str, list[Override]] = {}
    for path in sorted((rules_dir / "provinces").glob("*.toml")):
        province, entry = read_override(path)
        overrides.setdefault(province, []).append(entry)
    return RuleBook(profiles, overrides)
