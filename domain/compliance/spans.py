"""Flag spans: the business dates in which one compliance condition holds, and their merge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CRITICAL, WARNING = "critical", "warning"
SEVERITY = {"C01": CRITICAL, "C02": CRITICAL, "C03": CRITICAL, "C04": WARNING, "C05": WARNING,
            "C06": WARNING, "C07": WARNING, "C08": WARNING, "C09": WARNING, "C10": CRITICAL,
            "C11": WARNING, "C13": CRITICAL, "C14": WARNING, "C17": WARNING, "C18": CRITICAL,
            "C22": CRITICAL, "C23": WARNING, "C24": WARNING}


@dataclass(frozen=True)
class FlagSpan:
    code: str
    severity: str
    message: str
    rule_ref: str
    active_from: date
    active_until: date | None = None
    evidence: tuple[int, ...] = ()        # versions of the case's events
    donor_evidence: tuple[int, ...] = ()  # versions of the donor's events
    # Every rule and parameter the flag rests on is stated by a source that was read.
    basis_verified: bool = False

    def is_open(self, on: date) -> bool:
        return self.active_from <= on and (self.active_until is None or on < self.active_until)


def merge(spans: list[FlagSpan]) -> list[FlagSpan]:
    """Spans of one code that start on the same day as one (the table's key is case, code
    and start), sorted by code and start. The spans are as ``Context.add`` makes them (the
    severity of their code, evidence sorted and distinct): a span alone on its day is kept."""
    groups: dict[tuple[str, date], list[FlagSpan]] = {}
    for s in spans:
        groups.setdefault((s.code, s.active_from), []).append(s)
    merged = []
    for (code, start), same in sorted(groups.items()):
        if len(same) == 1:
            merged.append(same[0])
            continue
        untils = [s.active_until for s in same]
        merged.append(FlagSpan(
            code, SEVERITY[code], "; ".join(dict.fromkeys(s.message for s in same)),
            "; ".join(dict.fromkeys(s.rule_ref for s in same)), start,
            None if None in untils else max(u for u in untils if u is not None),
            tuple(sorted({v for s in same for v in s.evidence})),
            tuple(sorted({v for s in same for v in s.donor_evidence})),
            all(s.basis_verified for s in same)))
    return merged
