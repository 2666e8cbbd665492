"""The demo dataset read from ``data/*.toml``: the cast, the donors, the themes and the cases."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from domain.values import AID_OWNER, APPROVER, AUDITOR, FOCAL_OFFICER, REGISTRY_OFFICER, Actor

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Province:
    name: str
    agency: str
    districts: tuple[str, ...]
    owner: Actor
    focal: Actor
    chair: Actor


@dataclass(frozen=True)
class Cert:
    number: str
    kind: str
    issued_months_ago: int
    provinces: tuple[str, ...]
    fields: tuple[str, ...]
    expires_in_days: int | None = None  # None: the longest the kind allows, less one day


@dataclass(frozen=True)
class DonorSpec:
    code: str
    name: str
    country: str
    kind: str
    certs: tuple[Cert, ...] = ()
    suspended_days_ago: int | None = None
    revoked_days_ago: int | None = None


@dataclass(frozen=True)
class Theme:
    titles: tuple[str, ...]
    sectors: tuple[tuple[tuple[str, int], ...], ...]
    owner: str
    usd: tuple[int, int]


@dataclass(frozen=True)
class CaseSpec:
    state: str
    province: str
    donor: str
    form: str
    currency: str
    theme: str
    anchor: int          # days before today of the state's defining event (approval after it)
    duration: int = 24   # planned months
    end: int | None = None  # days ago: actual end, termination or suspension
    flags: tuple[str, ...] = ()
    twists: str = ""
    sensitive: tuple[str, ...] = ()
    moha: bool = False


@dataclass(frozen=True)
class Currency:
    vnd_rate: Decimal | None
    per_usd: Decimal
    round_to: int


@dataclass(frozen=True)
class Dataset:
    seed: int
    currencies: dict[str, Currency]
    provinces: dict[str, Province]
    registry: Actor
    auditor: Actor
    vice_chair: Actor
    vice_chair_level: str
    central_approvers: dict[str, tuple[Actor, str, str]]  # level -> actor, signer, series
    demo_users: dict[str, str]  # role -> token subject
    donors: tuple[DonorSpec, ...]
    themes: dict[str, Theme]
    cases: tuple[CaseSpec, ...]

    def donor(self, code: str) -> DonorSpec:
        return next(d for d in self.donors if d.code == code)


def _read(name: str, folder: Path) -> dict[str, Any]:
    with (folder / name).open("rb") as file:
        return tomllib.load(file)


def _province(raw: dict[str, Any]) -> Province:
    return Province(raw["name"], raw["agency"], tuple(raw["districts"]),
                    Actor(raw["owner"], AID_OWNER), Actor(raw["focal"], FOCAL_OFFICER),
                    Actor(raw["chair"], APPROVER))


def _donor(raw: dict[str, Any]) -> DonorSpec:
    certs = tuple(Cert(c["number"], c["kind"], c["issued_months_ago"], tuple(c["provinces"]),
                       tuple(c["fields"]), c.get("expires_in_days"))
                  for c in raw.get("certificates", ()))
    return DonorSpec(raw["code"], raw["name"], raw["country"], raw["kind"], certs,
                     raw.get("suspended_days_ago"), raw.get("revoked_days_ago"))


def _theme(raw: dict[str, Any]) -> Theme:
    sectors = tuple(tuple((code, int(p)) for code, p in split) for split in raw["sectors"])
    return Theme(tuple(raw["titles"]), sectors, raw["owner"], (raw["usd"][0], raw["usd"][1]))


def _case(raw: dict[str, Any]) -> CaseSpec:
    return CaseSpec(**{**raw, "flags": tuple(raw.get("flags", ())),
                       "sensitive": tuple(raw.get("sensitive", ()))})


def _currency(raw: dict[str, Any]) -> Currency:
    rate = raw.get("vnd_rate")
    return Currency(Decimal(rate) if rate is not None else None, Decimal(raw["per_usd"]),
                    int(raw["round_to"]))


@cache
def load_dataset(folder: Path = DATA) -> Dataset:
    """The dataset in ``folder`` (read once per process)."""
    cast = _read("cast.toml", folder)
    actors = cast["actors"]
    central = {level: (Actor(a["actor"], APPROVER), a["signer"], a["series"])
               for level, a in cast["central_approvers"].items()}
    return Dataset(
        seed=cast["seed"],
        currencies={c: _currency(v) for c, v in cast["currencies"].items()},
        provinces={code: _province(p) for code, p in cast["provinces"].items()},
        registry=Actor(actors["registry"], REGISTRY_OFFICER),
        auditor=Actor(actors["auditor"], AUDITOR),
        vice_chair=Actor(actors["bn_vice_chair"], APPROVER),
        vice_chair_level=cast["delegation"]["level"],
        central_approvers=central,
        demo_users=dict(cast["demo_users"]),
        donors=tuple(_donor(d) for d in _read("donors.toml", folder)["donors"]),
        themes={n: _theme(t) for n, t in _read("themes.toml", folder)["themes"].items()},
        cases=tuple(_case(c) for c in _read("cases.toml", folder)["cases"]),
    )
