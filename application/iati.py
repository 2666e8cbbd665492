"""IATI 2.03 mapping: one case state (and its donor) as one ``iati-activity`` (SPEC §7).

Pure: no I/O, no clock. Facts are written as recorded — a future actual date or an
inconsistent legacy sector split is kept, so that validation refuses the case instead of an
export that silently differs from the record. Element order follows the 2.03 XSD sequence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from lxml import etree

from domain.money import minor_units, quantize_for

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RECIPIENT_COUNTRY = "VN"

# Money event kind (the case's transaction list) → IATI TransactionType.
TRANSACTION_TYPES = {"committed": "11", "received": "1", "disbursed": "3", "spent": "4",
                     # A refund returns unspent funds to the donor: IATI has no such type, so
                     # it is a negative Incoming Funds, which keeps incoming − spent = balance.
                     "refunded": "1"}
# Donor kind → OrganisationType (individual donors have no type of their own: 90 Other).
ORGANISATION_TYPES = {"foreign_ngo": "21", "foreign_government": "10", "multilateral": "40",
                      "individual": "90", "other": "90"}
HUMANITARIAN_AID_FORMS = ("disaster_relief", "humanitarian_unaddressed")
_FORMATS = {"pdf": "application/pdf", "doc": "application/msword",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xls": "application/vnd.ms-excel",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "odt": "application/vnd.oasis.opendocument.text",
            "ods": "application/vnd.oasis.opendocument.spreadsheet",
            "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
            "htm": "text/html", "html": "text/html", "txt": "text/plain", "csv": "text/csv",
            "xml": "application/xml", "zip": "application/zip"}
_BUDGET_CHANGES = ("approved_amount", "planned_start", "planned_end")


@dataclass(frozen=True)
class ReportingOrg:
    """The publisher: ``ref`` prefixes every activity identifier."""

    ref: str
    name: str
    type: str
    lang: str = "en"


@dataclass(frozen=True)
class Problem:
    """One reason an activity cannot be published; ``identifier`` names the activity."""

    rule: str
    message: str
    identifier: str = ""
    path: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def activity_identifier(org_ref: str, reference: str) -> str:
    return f"{org_ref}-{reference}"


def document_format(uri: str) -> str:
    """The IANA media type of a linked document, from its file extension."""
    name = uri.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _FORMATS.get(extension, "application/octet-stream")


def budget_periods(start: date, end: date, amount: Decimal, currency: str
                   ) -> list[tuple[date, date, Decimal]]:
    """``amount`` over [start, end] in calendar-year periods, in proportion to their days.

    Each period lies within one calendar year, the Vietnamese budget year (Law on the State
    Budget 83/2015 Art. 14), so none is longer than a year. Shares are whole minor units,
    the remainder going to the largest fractions, so they sum exactly to ``amount``.
    """
    if end < start:
        return [(start, end, quantize_for(currency, amount))]
    spans: list[tuple[date, date]] = []
    cursor = start
    while cursor <= end:
        stop = min(date(cursor.year, 12, 31), end)
        spans.append((cursor, stop))
        cursor = stop + timedelta(days=1)
    unit = Decimal(1).scaleb(-minor_units(currency))
    total = int(quantize_for(currency, amount) / unit)
    days = [(b - a).days + 1 for a, b in spans]
    whole = sum(days)
    shares = [total * d // whole for d in days]
    order = sorted(range(len(spans)), key=lambda i: (-(total * days[i] % whole), i))
    for i in order[:total - sum(shares)]:
        shares[i] += 1
    return [(a, b, quantize_for(currency, share * unit)) for (a, b), share in zip(spans, shares,
                                                                                  strict=True)]


def activity_element(case_state: dict[str, Any], donor_state: dict[str, Any], org: ReportingOrg,
                     today: date, *, original_period: tuple[date, date] | None = None,
                     location: tuple[str, str | None] | None = None) -> etree._Element:
    """The ``iati-activity`` for a case.

    ``today`` is the export date; ``original_period`` is the planned period at approval when
    an approved amendment has moved it since (the original budget is spread over it);
    ``location`` names the place the case was opened in and, when the map has changed since,
    the province that holds it on the export date.
    """
    s = _cleaned(case_state)
    donor_state = _cleaned(donor_state)
    activity = etree.Element("iati-activity", {XML_LANG: org.lang,
                                               "default-currency": s["currency"]})
    if s.get("aid_form") in HUMANITARIAN_AID_FORMS:
        activity.set("humanitarian", "1")
    _text(activity, "iati-identifier", activity_identifier(org.ref, s["reference"]))
    _org(activity, "reporting-org", org.name, ref=org.ref, type=org.type)
    _narrative(etree.SubElement(activity, "title"), s["title"])
    description = etree.SubElement(activity, "description", type="1")
    _narrative(description, s.get("description") or s["title"])
    donor_ref = donor_state.get("iati_ref") or None
    donor_type = ORGANISATION_TYPES.get(str(donor_state.get("kind")), "90")
    _org(activity, "participating-org", donor_state["name"], role="1", ref=donor_ref,
         type=donor_type)
    _org(activity, "participating-org", s["managing_agency"], role="2")
    _org(activity, "participating-org", s["aid_owner"], role="4")
    etree.SubElement(activity, "activity-status", code=str(s["iati_status"]))
    for kind, key in (("1", "planned_start"), ("2", "actual_start"), ("3", "planned_end"),
                      ("4", "actual_end")):
        if s.get(key):
            etree.SubElement(activity, "activity-date", type=kind, **{"iso-date": s[key]})
    etree.SubElement(activity, "recipient-country", code=RECIPIENT_COUNTRY, percentage="100")
    if location is not None:
        place = etree.SubElement(activity, "location")
        _narrative(etree.SubElement(place, "name"), location[0])
        if location[1]:
            _narrative(etree.SubElement(place, "description"), location[1])
    for sector in s.get("sectors") or ():
        etree.SubElement(activity, "sector", vocabulary="1", code=str(sector["code"]),
                         percentage=_decimal(sector["percentage"]))
    for budget in _budgets(s, original_period):
        activity.append(budget)
    for record in s.get("transactions") or ():
        activity.append(_transaction(record, s, donor_state, donor_ref, donor_type))
    for document in s.get("documents") or ():
        activity.append(_document_link(document))
    return activity


def activities_document(elements: Iterable[etree._Element],
                        generated_at: datetime | None = None) -> bytes:
    """The ``iati-activities`` file around the given activities."""
    moment = (generated_at or datetime.now(UTC)).replace(microsecond=0)
    root = etree.Element("iati-activities", {"version": IATI_VERSION,
                                             "generated-datetime": moment.isoformat()})
    for element in elements:
        root.append(element)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


def _budgets(s: dict[str, Any], original_period: tuple[date, date] | None
             ) -> list[etree._Element]:
    start, end = date.fromisoformat(s["planned_start"]), date.fromisoformat(s["planned_end"])
    currency = s["currency"]
    if s.get("approved_amount") is None:
        # Not (yet) approved: the requested amount, as an indicative budget.
        return _budget("1", "1", start, end, Decimal(s["requested"]["amount"]), currency)
    original = Decimal(s.get("original_approved_amount") or s["approved_amount"])
    first_start, first_end = original_period or (start, end)
    result = _budget("1", "2", first_start, first_end, original, currency)
    revised = any(a.get("status") == "approved" and set(a.get("changes") or ()) &
                  set(_BUDGET_CHANGES) for a in s.get("amendments") or ())
    if revised:
        result += _budget("2", "2", start, end, Decimal(s["approved_amount"]), currency)
    return result


def _budget(kind: str, status: str, start: date, end: date, amount: Decimal, currency: str
            ) -> list[etree._Element]:
    elements = []
    for a, b, value in budget_periods(start, end, amount, currency):
        budget = etree.Element("budget", type=kind, status=status)
        etree.SubElement(budget, "period-start", **{"iso-date": a.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": b.isoformat()})
        _value(budget, value, currency, a.isoformat())
        elements.append(budget)
    return elements


def _transaction(record: dict[str, Any], s: dict[str, Any], donor: dict[str, Any],
                 donor_ref: str | None, donor_type: str) -> etree._Element:
    kind = record["kind"]
    amount = Decimal(record["amount"])
    on = record["effective_date"]
    transaction = etree.Element("transaction")
    etree.SubElement(transaction, "transaction-type", code=TRANSACTION_TYPES[kind])
    etree.SubElement(transaction, "transaction-date", **{"iso-date": on})
    _value(transaction, -amount if kind == "refunded" else amount, record["currency"], on)
    words = {"committed": record.get("agreement_ref") and f"Agreement {record['agreement_ref']}",
             "refunded": "Refund of unspent funds to the donor"}.get(kind) or record.get("note")
    if words:
        _narrative(etree.SubElement(transaction, "description"), str(words))
    if kind in ("committed", "received", "refunded"):
        _org(transaction, "provider-org", donor["name"], ref=donor_ref, type=donor_type)
        _org(transaction, "receiver-org", s["aid_owner"])
    else:
        _org(transaction, "provider-org", s["aid_owner"])
        if record.get("counterparty"):
            _org(transaction, "receiver-org", record["counterparty"])
    return transaction


def _document_link(document: dict[str, Any]) -> etree._Element:
    link = etree.Element("document-link", url=document["uri"],
                         format=document_format(document["uri"]))
    _narrative(etree.SubElement(link, "title"), document["title"])
    etree.SubElement(link, "category", code=document["category"])
    if document.get("language"):
        etree.SubElement(link, "language", code=document["language"])
    return link


def _org(parent: etree._Element, tag: str, name: str, **attributes: str | None
         ) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: v for k, v in attributes.items() if v})
    _narrative(element, name)
    return element


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _value(parent: etree._Element, amount: Decimal, currency: str, value_date: str) -> None:
    value = etree.SubElement(parent, "value", currency=currency, **{"value-date": value_date})
    value.text = _decimal(amount)


def xml_safe(text: str) -> str:
    """Characters XML 1.0 cannot carry (control characters from old data) are dropped."""
    return _NOT_XML.sub("", text)


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


def _text(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = text


def _narrative(parent: etree._Element, text: str) -> None:
    etree.SubElement(parent, "narrative").text = text


def _decimal(value: Any) -> str:
    """xsd:decimal has no exponent: ``1E+5`` must be written ``100000``."""
    return format(Decimal(str(value)), "f")
