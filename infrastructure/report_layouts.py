"""The column sets of the reports an office files, by date (``rules/reports/*.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from domain.errors import InvalidInputError
from infrastructure.rule_profiles import DEFAULT_RULES_DIR, RuleDataError


@dataclass(frozen=True)
class ReportLayout:
    effective_from: date
    columns: tuple[str, ...]
    citation: str
    verified: bool


def report_layout(report: str, on: date, rules_dir: Path = DEFAULT_RULES_DIR) -> ReportLayout:
    """The column set of ``report`` in force on ``on``: the latest version from before it."""
    path = rules_dir / "reports" / f"{report}.toml"
    try:
        versions = [ReportLayout(v["effective_from"], tuple(v["columns"]), v["citation"],
                                 bool(v["verified"]))
                    for v in tomllib.loads(path.read_text(encoding="utf-8"))["version"]]
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise RuleDataError(f"{path.name}: {exc}") from exc
    in_force = [v for v in versions if v.effective_from <= on]
    if not in_force:
        first = min(v.effective_from for v in versions)
        raise InvalidInputError(f"the {report} report has no column set before "
                                f"{first.isoformat()} (the period ends {on.isoformat()})",
                                code="no_report_layout", field="period")
    return max(in_force, key=lambda v: v.effective_from)
