"""The Donor aggregate: the donor register and its certificates (Decree 58/2022)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, InvalidInputError, NotFoundError, ProcessGuardError
from domain.policy import add_months
from domain.rules import RuleProfile
from domain.values import NAMESPACE, Actor, as_date, jsonable

DONOR_KINDS = ("foreign_ngo", "foreign_government", "multilateral", "individual", "other")
CERTIFICATE_KINDS = ("operation", "representative_office")
ACTIVE, SUSPENDED, REVOKED, TERMINATED = "active", "suspended", "revoked", "terminated"
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_FIELD = re.compile(r"^[0-9]{1,5}$")


def _required(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{field} is required", code="required", field=field)
    return value.strip()


def _codes(values: Any, field: str, pattern: re.Pattern[str] | None = None) -> list[str]:
    if not isinstance(values, (list, tuple)) or not values:
        raise InvalidInputError(f"{field} must be a non-empty list", code="required", field=field)
    result = [_required(v, field) for v in values]
    if pattern and not all(pattern.match(v) for v in result):
        raise InvalidInputError(f"{field} must be DAC sector codes or prefixes",
                                code="invalid_sector", field=field)
    return sorted(set(result))


class Donor(Aggregate):
    """A donor; for a foreign NGO, the certificates that say where and in what it may work."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return uuid5(NAMESPACE, "donor:" + code)

    @classmethod
    def register(cls, *, code: str, name: str, country: str, kind: str, iati_ref: str | None,
                 actor: Actor, effective_date: date) -> Donor:
        if not isinstance(code, str) or not _CODE.match(code):
            raise InvalidInputError("code: letters, digits, dots, dashes, underscores",
                                    code="invalid_code", field="code")
        if not isinstance(country, str) or not _COUNTRY.match(country):
            raise InvalidInputError("country must be an ISO 3166 alpha-2 code",
                                    code="invalid_country", field="country")
        if kind not in DONOR_KINDS:
            raise InvalidInputError(f"kind must be one of {', '.join(DONOR_KINDS)}",
                                    code="invalid_donor_kind", field="kind")
        if iati_ref is not None and not iati_ref.strip():
            iati_ref = None
        return cls(code=code, name=_required(name, "name"), country=country, kind=kind,
                   iati_ref=iati_ref, actor_id=actor.id, actor_role=actor.role,
                   effective_date=as_date(effective_date))

    @event("Registered")
    def __init__(self, *, code: str, name: str, country: str, kind: str, iati_ref: str | None,
                 actor_id: str, actor_role: str, effective_date: date) -> None:
        self.code = code
        self.name = name
        self.country = country
        self.kind = kind
        self.iati_ref = iati_ref
        self.registered_on = effective_date
        self.certificates: dict[str, dict[str, Any]] = {}

    @property
    def is_foreign_ngo(self) -> bool:
        return self.kind == "foreign_ngo"

    # --- commands -------------------------------------------------------------------------

    def issue_certificate(self, *, number: str, kind: str, issued_on: date, expires_on: date,
                          provinces: list[str], fields: list[str], profile: RuleProfile,
                          actor: Actor, effective_date: date) -> None:
        number = _required(number, "number")
        if number in self.certificates:
            raise ConflictError(f"certificate {number} is already registered",
                                code="duplicate_certificate")
        if kind not in CERTIFICATE_KINDS:
            raise InvalidInputError(f"kind must be one of {', '.join(CERTIFICATE_KINDS)}",
                                    code="invalid_certificate_kind", field="kind")
        _check_validity(profile, kind, as_date(issued_on), as_date(expires_on))
        self._issued(number=number, kind=kind, issued_on=issued_on, expires_on=expires_on,
                     provinces=_codes(provinces, "provinces"),
                     fields=_codes(fields, "fields", _FIELD), rule_profile=profile.ref,
                     actor_id=actor.id, actor_role=actor.role,
                     effective_date=as_date(effective_date))

    def extend_certificate(self, *, number: str, expires_on: date, profile: RuleProfile,
                           actor: Actor, effective_date: date) -> None:
        cert = self._open_certificate(number, "extend_certificate")
        if as_date(expires_on) <= cert["expires_on"]:
            raise InvalidInputError("an extension must move the expiry date later",
                                    code="date_order", field="expires_on")
        _check_validity(profile, cert["kind"], cert["issued_on"], expires_on)
        self._extended(number=number, expires_on=expires_on, rule_profile=profile.ref,
                       actor_id=actor.id, actor_role=actor.role,
                       effective_date=as_date(effective_date))

    def amend_certificate(self, *, number: str, provinces: list[str], fields: list[str],
                          actor: Actor, effective_date: date) -> None:
        self._open_certificate(number, "amend_certificate")
        self._amended(number=number, provinces=_codes(provinces, "provinces"),
                      fields=_codes(fields, "fields", _FIELD), actor_id=actor.id,
                      actor_role=actor.role, effective_date=as_date(effective_date))

    def suspend_certificate(self, *, number: str, reason: str, actor: Actor,
                            effective_date: date, until: date | None = None) -> None:
        cert = self._open_certificate(number, "suspend_certificate")
        effective_date = as_date(effective_date)
        if cert["status"] == SUSPENDED and (cert["until"] is None
                                            or effective_date <= cert["until"]):
            raise ProcessGuardError(f"certificate {number} is already suspended",
                                    code="certificate_not_active", state=SUSPENDED)
        if until is not None and as_date(until) < effective_date:
            raise InvalidInputError("a suspension cannot end before it starts",
                                    code="date_order", field="until")
        self._suspended(number=number, reason=_required(reason, "reason"), until=until,
                        actor_id=actor.id, actor_role=actor.role,
                        effective_date=as_date(effective_date))

    def revoke_certificate(self, *, number: str, reason: str, actor: Actor,
                           effective_date: date) -> None:
        self._open_certificate(number, "revoke_certificate")
        self._revoked(number=number, reason=_required(reason, "reason"), actor_id=actor.id,
                      actor_role=actor.role, effective_date=as_date(effective_date))

    def terminate_certificate(self, *, number: str, reason: str, actor: Actor,
                              effective_date: date) -> None:
        self._open_certificate(number, "terminate_certificate")
        self._terminated(number=number, reason=_required(reason, "reason"), actor_id=actor.id,
                         actor_role=actor.role, effective_date=as_date(effective_date))

    def _open_certificate(self, number: str, command: str) -> dict[str, Any]:
        cert = self.certificates.get(number)
        if cert is None:
            raise NotFoundError(f"no certificate {number} for donor {self.code}",
                                code="certificate_not_found")
        if cert["status"] in (REVOKED, TERMINATED):
            raise ProcessGuardError(f"certificate {number} is {cert['status']}: cannot "
                                    f"{command.split('_')[0]} it", code="certificate_not_active",
                                    state=cert["status"])
        return cert

    # --- events: bodies only assign; they run again on every replay -----------------------

    @event("CertificateIssued")
    def _issued(self, number: str, kind: str, issued_on: date, expires_on: date,
                provinces: list[str], fields: list[str], rule_profile: str, actor_id: str,
                actor_role: str, effective_date: date) -> None:
        self.certificates[number] = {
            "number": number, "kind": kind, "issued_on": issued_on, "expires_on": expires_on,
            "provinces": list(provinces), "fields": list(fields), "status": ACTIVE,
            "until": None, "history": [],
        }
        # Validity starts on the issue date, whenever the register recorded it.
        _record(self.certificates[number], "issued", issued_on, kind=kind, issued_on=issued_on,
                expires_on=expires_on, provinces=list(provinces), fields=list(fields),
                status=ACTIVE, until=None, rule_profile=rule_profile, recorded_on=effective_date)

    @event("CertificateExtended")
    def _extended(self, number: str, expires_on: date, rule_profile: str, actor_id: str,
                  actor_role: str, effective_date: date) -> None:
        cert = self.certificates[number]
        cert["expires_on"] = expires_on
        _record(cert, "extended", effective_date, expires_on=expires_on, rule_profile=rule_profile)

    @event("CertificateAmended")
    def _amended(self, number: str, provinces: list[str], fields: list[str], actor_id: str,
                 actor_role: str, effective_date: date) -> None:
        cert = self.certificates[number]
        cert["provinces"], cert["fields"] = list(provinces), list(fields)
        _record(cert, "amended", effective_date, provinces=list(provinces), fields=list(fields))

    @event("CertificateSuspended")
    def _suspended(self, number: str, reason: str, until: date | None, actor_id: str,
                   actor_role: str, effective_date: date) -> None:
        cert = self.certificates[number]
        cert["status"], cert["until"] = SUSPENDED, until
        _record(cert, "suspended", effective_date, status=SUSPENDED, until=until, reason=reason)

    @event("CertificateRevoked")
    def _revoked(self, number: str, reason: str, actor_id: str, actor_role: str,
                 effective_date: date) -> None:
        _end(self.certificates[number], REVOKED, "revoked", reason, effective_date)

    @event("CertificateTerminated")
    def _terminated(self, number: str, reason: str, actor_id: str, actor_role: str,
                    effective_date: date) -> None:
        _end(self.certificates[number], TERMINATED, "terminated", reason, effective_date)

    # --- queries ---------------------------------------------------------------------------

    def certificate_as_of(self, number: str, on: date) -> dict[str, Any] | None:
        """The certificate as the register says it stood on ``on`` (None before its issue)."""
        cert = self.certificates.get(number)
        if cert is None:
            return None
        entries = sorted(enumerate(cert["history"]), key=lambda p: (p[1]["effective_date"], p[0]))
        view: dict[str, Any] = {"number": number}
        for _, entry in entries:
            if entry["effective_date"] <= on:
                _apply(view, entry)
        if "issued_on" not in view:
            return None
        if view["status"] == SUSPENDED and view["until"] is not None and on > view["until"]:
            view["status"] = ACTIVE
        return view

    def certificate_problem(self, on: date, province: str, sectors: list[str]) -> str | None:
        """None when a certificate valid on ``on`` covers the province and every sector."""
        if not self.certificates:
            return f"donor {self.code} has no registration certificate"
        reasons = []
        for number in sorted(self.certificates):
            view = self.certificate_as_of(number, on)
            if view is None:
                reasons.append(f"{number} not yet issued on {on.isoformat()}")
            elif not view["issued_on"] <= on <= view["expires_on"]:
                reasons.append(f"{number} expired on {view['expires_on'].isoformat()}")
            elif view["status"] != ACTIVE:
                reasons.append(f"{number} {view['status']} on {on.isoformat()}")
            elif province not in view["provinces"]:
                reasons.append(f"{number} does not cover province {province}")
            else:
                missing = [s for s in sectors
                           if not any(s.startswith(f) for f in view["fields"])]
                if not missing:
                    return None
                reasons.append(f"{number} does not cover sector(s) {', '.join(missing)}")
        return "no valid certificate: " + "; ".join(reasons)

    def state(self) -> dict[str, Any]:
        return jsonable({
            "id": self.id, "code": self.code, "name": self.name, "country": self.country,
            "kind": self.kind, "iati_ref": self.iati_ref, "registered_on": self.registered_on,
            "certificates": [self.certificates[n] for n in sorted(self.certificates)],
            "version": self.version,
        })


def _end(cert: dict[str, Any], status: str, change: str, reason: str,
         effective_date: date) -> None:
    """A certificate revoked or terminated: its status, and the change in its history."""
    cert["status"] = status
    _record(cert, change, effective_date, status=status, reason=reason)


def _record(cert: dict[str, Any], change: str, effective_date: date, **delta: Any) -> None:
    cert["history"].append({"change": change, "effective_date": effective_date, **delta})


def _apply(view: dict[str, Any], entry: dict[str, Any]) -> None:
    for key in ("kind", "issued_on", "expires_on", "provinces", "fields", "status", "until"):
        if key in entry:
            view[key] = entry[key]


def _check_validity(profile: RuleProfile, kind: str, issued_on: date, expires_on: date) -> None:
    if as_date(expires_on) <= as_date(issued_on):
        raise InvalidInputError("a certificate must expire after its issue date",
                                code="date_order", field="expires_on")
    # Decree 58/2022: operation certificate at most 3 years, representative office 5 years.
    years = int(profile.value(f"certificate_max_years_{kind}"))
    if expires_on > add_months(issued_on, 12 * years):
        raise InvalidInputError(f"a {kind} certificate is valid for at most {years} years",
                                code="certificate_validity_too_long", field="expires_on")
