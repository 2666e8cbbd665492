"""Rule profiles: the parameters of one legal instrument, versioned by date, as plain data.

The domain never reads files; infrastructure loads the TOML data into these values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from domain.errors import DomainError

# Authority levels, from the highest down (Decree 80/2020 Art. 7).
PRIME_MINISTER = "prime_minister"
MINISTER_HOME_AFFAIRS = "minister_home_affairs"
VFF_PRESIDENT = "vff_president"
HEAD_OF_MANAGING_AGENCY = "head_of_managing_agency"
AUTHORITY_LEVELS = (PRIME_MINISTER, MINISTER_HOME_AFFAIRS, VFF_PRESIDENT, HEAD_OF_MANAGING_AGENCY)


class NoProfileInForceError(DomainError):
    code = "no_rule_profile"


@dataclass(frozen=True)
class Param:
    """One parameter: its value, the text it comes from, and whether that was verified."""

    value: Any
    citation: str
    verified: bool
    source: str = ""  # where the citation was read (a verified one always says)


@dataclass(frozen=True)
class Cited:
    """A statement without a value (a rule's basis, a date's source) and whether a named
    source that was read states it."""

    citation: str
    verified: bool
    source: str = ""


@dataclass(frozen=True)
class RuleProfile:
    """The rules of one instrument (optionally with one province's overrides)."""

    id: str
    version: int
    instrument: str
    title: str
    effective_from: date
    params: Mapping[str, Param]
    effective_until: date | None = None
    province: str | None = None
    province_version: int | None = None
    authority: Mapping[str, Any] = field(default_factory=dict)
    # The source of each rule a guard or check applies without a parameter, by rule code.
    bases: Mapping[str, Cited] = field(default_factory=dict)
    # The source of effective_from and effective_until.
    dates: Mapping[str, Cited] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """The identifier stored in events: id, version and the province override if any."""
        base = f"{self.id}@{self.version}"
        if self.province:
            return f"{base}+{self.province}@{self.province_version}"
        return base

    def value(self, name: str) -> Any:
        try:
            return self.params[name].value
        except KeyError:
            raise NoProfileInForceError(
                f"rule profile {self.ref} has no parameter {name!r}"
            ) from None

    def citation(self, name: str) -> str:
        return self.params[name].citation

    def verified(self, *names: str) -> bool:
        """Whether every named parameter is verified (a missing one is not)."""
        return all(name in self.params and self.params[name].verified for name in names)

    def basis(self, rule: str) -> Cited:
        """The source of a rule (``authority_level``: the approval competence block)."""
        if rule == "authority_level":
            return Cited(str(self.authority.get("citation", self.instrument)),
                         bool(self.authority.get("verified", False)),
                         str(self.authority.get("source", "")))
        return self.bases.get(rule, Cited(f"{self.instrument} (no source recorded for "
                                          f"{rule})", False))

    def unverified(self) -> list[str]:
        return sorted(name for name, p in self.params.items() if not p.verified)

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    def with_override(self, province: str, version: int, params: Mapping[str, Param],
                      authority: Mapping[str, Any] | None = None) -> RuleProfile:
        merged = {**self.params, **params}
        merged_authority = {**self.authority, **(authority or {})}
        return replace(self, params=merged, province=province, province_version=version,
                       authority=merged_authority)


def profile_in_force(
    profiles: Sequence[RuleProfile],
    on: date,
    province: str | None = None,
    overrides: Mapping[str, Sequence[tuple[int, str, Mapping[str, Param], Mapping[str, Any]]]]
    | None = None,
) -> RuleProfile:
    """The profile in force on ``on``; with a province's overrides applied when it has any.

    ``overrides`` maps a province code to (version, profile id or "*", params, authority)
    tuples; the ones naming this profile (or "*") are applied in order.
    """
    candidates = [p for p in profiles if p.in_force_on(on)]
    if not candidates:
        raise NoProfileInForceError(f"no rule profile is in force on {on.isoformat()}")
    profile = max(candidates, key=lambda p: (p.effective_from, p.version))
    if province and overrides:
        for version, target, params, authority in overrides.get(province, ()):
            if target in ("*", profile.id):
                profile = profile.with_override(province, version, params, authority)
    return profile
