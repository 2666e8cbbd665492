"""One rule file read: a profile (an instrument's parameters, its rule bases and cited dates)
or a province's override."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from domain.rules import Cited, Param, RuleProfile

Override = tuple[int, str, Mapping[str, Param], Mapping[str, Any]]


class RuleDataError(Exception):
    """A rule file is missing, unreadable or malformed."""


def _params(raw: Mapping[str, Any], source: Path) -> dict[str, Param]:
    params = {}
    for name, entry in raw.items():
        try:
            params[name] = Param(entry["value"], str(entry["citation"]), bool(entry["verified"]),
                                 str(entry.get("source", "")))
        except (KeyError, TypeError) as exc:
            raise RuleDataError(
                f"{source.name}: parameter {name!r} needs value, citation and verified"
            ) from exc
    return params


def _cited(raw: Mapping[str, Any], source: Path, what: str) -> dict[str, Cited]:
    cited = {}
    for name, entry in raw.items():
        try:
            cited[name] = Cited(str(entry["citation"]), bool(entry["verified"]),
                                str(entry.get("source", "")))
        except (KeyError, TypeError) as exc:
            raise RuleDataError(
                f"{source.name}: {what} {name!r} needs citation and verified") from exc
    return cited


def _dates(raw: Mapping[str, Any], source: Path) -> dict[str, Cited]:
    """Every effective date of a profile is cited (``[dates.effective_from]``...)."""
    dates = _cited(raw.get("dates", {}), source, "date")
    for name in ("effective_from", "effective_until"):
        if name in raw and name not in dates:
            raise RuleDataError(f"{source.name}: {name} needs a citation in [dates.{name}]")
    return dates


def read_profile(path: Path) -> RuleProfile:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        effective_from = raw["effective_from"]
        until = raw.get("effective_until")
        if not isinstance(effective_from, date) or (until and not isinstance(until, date)):
            raise RuleDataError(f"{path.name}: effective dates must be TOML dates")
        return RuleProfile(
            id=raw["id"],
            version=int(raw["version"]),
            instrument=raw["instrument"],
            title=raw.get("title", ""),
            effective_from=effective_from,
            effective_until=until,
            params=_params(raw.get("params", {}), path),
            authority=raw.get("authority", {}),
            bases=_cited(raw.get("bases", {}), path, "rule basis"),
            dates=_dates(raw, path),
        )
    except (KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise RuleDataError(f"{path.name}: {exc}") from exc


def read_override(path: Path) -> tuple[str, Override]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        entry: Override = (
            int(raw["version"]),
            raw.get("applies_to", "*"),
            _params(raw.get("params", {}), path),
            raw.get("authority", {}),
        )
        return raw["province"], entry
    except (KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise RuleDataError(f"{path.name}: {exc}") from exc
