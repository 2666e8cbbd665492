"""The results table, the PASS/FAIL targets, and bench/RESULTS.md."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path


@dataclass
class Row:
    group: str
    name: str
    unit: str
    values: list[float] = field(default_factory=list)
    note: str = ""
    available: bool = True

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else math.nan

    @property
    def low(self) -> float:
        return min(self.values) if self.values else math.nan

    @property
    def high(self) -> float:
        return max(self.values) if self.values else math.nan


@dataclass
class Target:
    name: str
    rule: str           # human text of the target
    value: float | None  # the measured ratio or quantity (None: not measured)
    limit: float
    higher_is_better: bool
    why: str = ""        # when it fails: by how much and why

    @property
    def status(self) -> str:
        if self.value is None or math.isnan(self.value):
            return "N/A"
        ok = self.value >= self.limit if self.higher_is_better else self.value <= self.limit
        return "PASS" if ok else "FAIL"

    def line(self) -> str:
        shown = "not measured" if self.value is None or math.isnan(self.value) \
            else f"{self.value:.3g}"
        op = "≥" if self.higher_is_better else "≤"
        return f"{self.status:4}  {self.name}: {shown} (target {op} {self.limit:g}; {self.rule})"

    def shortfall(self) -> str:
        if self.status != "FAIL" or self.value is None:
            return ""
        if self.higher_is_better:
            return f"reaches {self.value / self.limit:.0%} of the target"
        return f"{self.value / self.limit:.2f}× the limit"


def fmt(value: float) -> str:
    if value is None or math.isnan(value):
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(rows: list[Row]) -> str:
    lines = ["| group | measurement | unit | median | min | max | runs | note |",
             "|---|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        if not r.available:
            lines.append(f"| {r.group} | {r.name} | {r.unit} | not available | | | 0 | "
                         f"{r.note} |")
            continue
        lines.append(f"| {r.group} | {r.name} | {r.unit} | {fmt(r.median)} | {fmt(r.low)} | "
                     f"{fmt(r.high)} | {len(r.values)} | {r.note} |")
    return "\n".join(lines)


def console(rows: list[Row], targets: list[Target]) -> str:
    width = max((len(f"{r.group} / {r.name}") for r in rows), default=20)
    out = []
    for r in rows:
        label = f"{r.group} / {r.name}".ljust(width)
        if not r.available:
            out.append(f"{label}  not available  {r.note}")
        else:
            out.append(f"{label}  {fmt(r.median):>10} {r.unit:<12} (min {fmt(r.low)}, "
                       f"max {fmt(r.high)}, n={len(r.values)})")
    out.append("")
    out += [t.line() for t in targets]
    return "\n".join(out)


def write(path: Path, *, mode: str, cores: int, seconds: float, rows: list[Row],
          targets: list[Target], setup: list[str], analysis: str, profiles: str,
          sections: Sequence[tuple[str, str]] = ()) -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "# AidTrail benchmark results",
        "",
        f"- date: {now}",
        f"- machine: {cores} cores (shared with other engineers' test runs: absolute numbers "
        "are noisy, ratios within one run are what count)",
        f"- mode: {mode}; whole run {seconds:.0f} s",
        "- produced by `make bench` (`python -m bench.run`); each row is the median of the "
        "runs, with min and max",
        "",
        "## Setup",
        "",
        *[f"- {line}" for line in setup],
        "",
        "## Results",
        "",
        table(rows),
        "",
        "## Targets",
        "",
        "```",
        *[t.line() for t in targets],
        "```",
        "",
    ]
    failing = [t for t in targets if t.status == "FAIL"]
    if failing:
        parts += ["### Targets not reached", ""]
        for t in failing:
            parts.append(f"- **{t.name}**: {t.shortfall()}. {t.why}".rstrip())
        parts.append("")
    for heading, text in sections:
        parts += [f"## {heading}", "", text.strip(), ""]
    if analysis:
        parts += ["## Analysis", "", analysis.strip(), ""]
    if profiles:
        parts += ["## Profiles (py-spy, top frames)", "", profiles.strip(), ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
