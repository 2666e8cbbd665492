"""Small value objects shared by the aggregates: actors, deviations, documents, role names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.errors import InvalidInputError

# Namespace of every deterministic aggregate id (uuid5). Stored forever: never change it.
NAMESPACE = UUID("5d0c4e52-6f1b-4f7a-9a53-2f1e0b7c9a11")

AID_OWNER = "aid_owner"
FOCAL_OFFICER = "focal_officer"
APPROVER = "approver"
REGISTRY_OFFICER = "registry_officer"
AUDITOR = "auditor"
VIEWER = "viewer"
ROLES = (AID_OWNER, FOCAL_OFFICER, APPROVER, REGISTRY_OFFICER, AUDITOR, VIEWER)


# The dossier a submission needs (Decree 80/2020: request, consent, project document, legal status).
REQUIRED_DOSSIER_KINDS = ("request", "donor_consent", "project_document", "donor_legal_status")
DOCUMENT_KINDS = REQUIRED_DOSSIER_KINDS + (
    "report", "decision", "agreement", "opinion", "audit", "handover", "other",
)
# IATI DocumentCategory used when none is given.
DEFAULT_CATEGORY = {
    "request": "A02", "donor_consent": "A09", "project_document": "A02",
    "donor_legal_status": "B15", "report": "A07", "decision": "A04", "agreement": "A11",
    "opinion": "A01", "audit": "A07", "handover": "A08", "other": "A12",
}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_CATEGORY = re.compile(r"^[AB][0-9]{2}$")


def as_date(value: Any, field: str = "effective_date") -> date:
    """A plain business date (a datetime is a date too, but carries a clock time)."""
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise InvalidInputError(f"{field} must be a date (YYYY-MM-DD)", code="invalid_date",
                                field=field)
    return value


def jsonable(value: Any) -> Any:
    """Plain JSON values: dates as ISO strings, Decimals and UUIDs as strings."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [jsonable(v) for v in items]
    if isinstance(value, (date, UUID)):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{field} must be a non-empty text", code="required", field=field)
    return value.strip()


@dataclass(frozen=True)
class Actor:
    """Who gives a command: an identity and the role it acts in."""

    id: str
    role: str

    def __post_init__(self) -> None:
        _text(self.id, "actor.id")
        if self.role not in ROLES:
            raise InvalidInputError(f"unknown role {self.role!r}", code="unknown_role",
                                    field="actor.role")


@dataclass(frozen=True)
class Deviation:
    """An explicit, evidenced decision to record a fact that breaks a rule."""

    reason: str
    document: str

    def __post_init__(self) -> None:
        if not isinstance(self.reason, str) or len(self.reason.split()) < 3:
            raise InvalidInputError("a deviation needs a reason of at least three words",
                                    code="deviation_reason_too_short", field="deviation.reason")
        _text(self.document, "deviation.document")

    def entry(self, rule: str, flag: str) -> dict[str, str]:
        """The JSON-friendly record stored in the event."""
        return {"rule": rule, "flag": flag, "reason": self.reason.strip(),
                "document": self.document.strip()}


@dataclass(frozen=True)
class Document:
    """A document reference (the file itself lives elsewhere; its hash proves which one)."""

    kind: str
    title: str
    uri: str
    sha256: str = ""
    language: str = "vi"
    category: str = ""

    def __post_init__(self) -> None:
        if self.kind not in DOCUMENT_KINDS:
            raise InvalidInputError(f"unknown document kind {self.kind!r}",
                                    code="unknown_document_kind", field="document.kind")
        _text(self.title, "document.title")
        _text(self.uri, "document.uri")
        if self.sha256 and not _SHA256.match(self.sha256):
            raise InvalidInputError("sha256 must be 64 lowercase hex digits",
                                    code="invalid_sha256", field="document.sha256")
        if not _LANGUAGE.match(self.language):
            raise InvalidInputError("language must be an ISO 639-1 code",
                                    code="invalid_language", field="document.language")
        if self.category and not _CATEGORY.match(self.category):
            raise InvalidInputError("category must be an IATI document category code",
                                    code="invalid_category", field="document.category")

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "title": self.title.strip(), "uri": self.uri.strip(),
                "sha256": self.sha256, "language": self.language,
                "category": self.category or DEFAULT_CATEGORY[self.kind]}


AID_OWNER_KINDS = ("commune", "provincial_department", "organisation")


@dataclass(frozen=True)
class Place:
    """Where a case is below the province, and what body its aid owner is (all optional).

    Since 1 July 2025 local government has two levels, province and commune: a case may name
    its commune; one filed earlier may keep the district it was filed under.
    """

    commune_code: str | None = None
    commune_name: str | None = None
    former_district: str | None = None
    aid_owner_kind: str | None = None

    def __post_init__(self) -> None:
        if (self.commune_code is None) != (self.commune_name is None):
            raise InvalidInputError("a commune needs both its code and its name",
                                    code="commune_incomplete",
                                    field="commune_name" if self.commune_code else "commune_code")
        for name in ("commune_code", "commune_name", "former_district"):
            if getattr(self, name) is not None:
                _text(getattr(self, name), name)
        if self.aid_owner_kind is not None and self.aid_owner_kind not in AID_OWNER_KINDS:
            raise InvalidInputError(f"aid_owner_kind must be one of {', '.join(AID_OWNER_KINDS)}",
                                    code="invalid_aid_owner_kind", field="aid_owner_kind")

    def record(self) -> dict[str, str | None] | None:
        """The fields as the ``Opened`` event stores them (None when none is given)."""
        fields = {"commune_code": self.commune_code, "commune_name": self.commune_name,
                  "former_district": self.former_district, "aid_owner_kind": self.aid_owner_kind}
        cleaned = {k: v.strip() if isinstance(v, str) else None for k, v in fields.items()}
        return cleaned if any(v is not None for v in cleaned.values()) else None


# Goods received as aid in kind: what, how many, in which unit (their value is the money).
GOODS_MAX_QUANTITY = Decimal(10) ** 12


@dataclass(frozen=True)
class Goods:
    kind: str  # e.g. "Gạo", "Máy lọc nước"
    quantity: Decimal
    unit: str  # e.g. "kg", "bộ"

    def __post_init__(self) -> None:
        for name in ("kind", "unit"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip() or len(value) > 200:
                raise InvalidInputError(f"goods.{name} must be a text of 1 to 200 characters",
                                        code="invalid_goods", field=f"goods.{name}")
        q = self.quantity
        if not isinstance(q, Decimal) or not q.is_finite() or not 0 < q < GOODS_MAX_QUANTITY \
                or q.as_tuple().exponent < -3:  # type: ignore[operator]
            raise InvalidInputError("goods.quantity must be above 0 and below 10^12, with at "
                                    "most 3 decimals", code="invalid_goods",
                                    field="goods.quantity")

    def record(self) -> dict[str, Any]:
        """The JSON-friendly record stored in the event."""
        return {"kind": self.kind.strip(), "quantity": self.quantity, "unit": self.unit.strip()}
