"""Validation of IATI 2.03 activity files: the official XSD, the codelists, the standard rules.

The schema and codelists are read from ``settings.iati_dir`` (never copied into the
project). Without them, only the standard ruleset runs and ``available`` is False.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from lxml import etree

from application.iati import Problem
from infrastructure.clock import today_in_vietnam

SCHEMA_FILE = Path("schema") / "iati-activities-schema.xsd"
CODELISTS = Path("codelists")
# (XPath from the activity, codelist, what it names)
CODELIST_CHECKS = [
    ("activity-status/@code", "ActivityStatus", "activity status"),
    ("activity-date/@type", "ActivityDateType", "activity date type"),
    ("sector[@vocabulary='1' or not(@vocabulary)]/@code", "Sector", "sector"),
    ("sector/@vocabulary", "SectorVocabulary", "sector vocabulary"),
    ("@default-currency", "Currency", "currency"),
    (".//value/@currency", "Currency", "currency"),
    ("participating-org/@role", "OrganisationRole", "organisation role"),
    ("reporting-org/@type | participating-org/@type | transaction/provider-org/@type"
     " | transaction/receiver-org/@type", "OrganisationType", "organisation type"),
    ("transaction/transaction-type/@code", "TransactionType", "transaction type"),
    ("document-link/category/@code", "DocumentCategory", "document category"),
    ("recipient-country/@code", "Country", "country"),
    ("budget/@type", "BudgetType", "budget type"),
    ("budget/@status", "BudgetStatus", "budget status"),
]
_FORBIDDEN_IN_IDS = set("/&|?")  # IATI standard ruleset: identifiers without / & | ?


@dataclass(frozen=True)
class _Reference:
    schema: etree.XMLSchema
    codelists: dict[str, dict[str, bool]]  # name → code → withdrawn


@lru_cache(maxsize=4)
def _load(iati_dir: Path) -> _Reference:
    """Parse the XSD and codelists once per directory (the schema takes a while)."""
    schema = etree.XMLSchema(etree.parse(str(iati_dir / SCHEMA_FILE)))
    codelists: dict[str, dict[str, bool]] = {}
    for path in sorted((iati_dir / CODELISTS).glob("*.xml")):
        root = etree.parse(str(path)).getroot()
        codelists[root.get("name") or path.stem] = {
            str(item.findtext("code")).strip(): item.get("status") == "withdrawn"
            for item in root.iter("codelist-item")}
    return _Reference(schema, codelists)


class IatiValidator:
    """Checks an ``iati-activities`` file; each problem names the activity it concerns."""

    def __init__(self, iati_dir: Path | None) -> None:
        self.iati_dir = iati_dir
        self.available = iati_dir is not None and (iati_dir / SCHEMA_FILE).is_file()
        self._reference = _load(iati_dir.resolve()) if self.available and iati_dir else None

    @property
    def unavailable_reason(self) -> str:
        where = str(self.iati_dir) if self.iati_dir else "AIDTRAIL_IATI_DIR is not set"
        return f"IATI schema and codelists not found ({where}): not validated against them"

    def validate(self, xml_bytes: bytes, today: date | None = None) -> list[Problem]:
        today = today or today_in_vietnam()
        try:
            document = etree.fromstring(xml_bytes, etree.XMLParser(resolve_entities=False,
                                                                   no_network=True))
        except etree.XMLSyntaxError as exc:
            return [Problem("xml_syntax", str(exc))]
        activities = document.findall("iati-activity")
        ids = [(a.findtext("iati-identifier") or "").strip() for a in activities]
        problems: list[Problem] = []
        if self._reference is not None:
            problems += self._schema(document, ids)
            for activity, identifier in zip(activities, ids, strict=True):
                problems += self._codelists(activity, identifier)
        for activity, identifier in zip(activities, ids, strict=True):
            problems += _rules(activity, identifier, today)
        return problems

    def _schema(self, document: etree._Element, ids: list[str]) -> list[Problem]:
        assert self._reference is not None
        schema = self._reference.schema
        if schema.validate(etree.ElementTree(document)):
            return []
        problems = []
        for error in schema.error_log:
            path = error.path or ""
            identifier = ""
            marker = "/iati-activities/iati-activity"
            if path.startswith(marker):
                rest = path[len(marker):]
                index = int(rest[1:rest.index("]")]) - 1 if rest.startswith("[") else 0
                identifier = ids[index] if 0 <= index < len(ids) else ""
            problems.append(Problem("schema", f"line {error.line}: {error.message}",
                                    identifier, path))
        return problems

    def _codelists(self, activity: etree._Element, identifier: str) -> list[Problem]:
        assert self._reference is not None
        problems = []
        for xpath, name, what in CODELIST_CHECKS:
            codes = self._reference.codelists.get(name)
            if codes is None:
                continue
            for value in activity.xpath(xpath):
                code = str(value).strip()
                if code not in codes:
                    problems.append(Problem("codelist", f"{what} {code!r} is not in the "
                                            f"{name} codelist", identifier, xpath))
                elif codes[code]:
                    problems.append(Problem("codelist", f"{what} {code!r} is withdrawn from "
                                            f"the {name} codelist", identifier, xpath))
        return problems


class _Report(Protocol):
    def __call__(self, rule: str, message: str, path: str = "") -> None: ...


def _rules(activity: etree._Element, identifier: str, today: date) -> list[Problem]:
    """The IATI standard ruleset checks that concern what AidTrail publishes."""
    problems: list[Problem] = []

    def problem(rule: str, message: str, path: str = "") -> None:
        problems.append(Problem(rule, message, identifier, path))

    _identifier_rules(activity, identifier, problem)
    _percentage_rules(activity, problem)
    _date_rules(activity, today, problem)
    return problems


def _identifier_rules(activity: etree._Element, identifier: str, problem: _Report) -> None:
    reporting_org = activity.find("reporting-org")
    ref = reporting_org.get("ref", "") if reporting_org is not None else ""
    if ref and not identifier.startswith(ref + "-"):
        problem("identifier_prefix", f"identifier {identifier!r} does not start with the "
                f"reporting organisation's ref {ref!r}", "iati-identifier")
    for value in [identifier, ref, *activity.xpath("participating-org/@ref | "
                                                   "transaction/*/@ref")]:
        if set(str(value)) & _FORBIDDEN_IN_IDS:
            problem("identifier_characters", f"{value!r} contains one of / & | ?")


def _percentage_rules(activity: etree._Element, problem: _Report) -> None:
    # Percentages of each sector vocabulary (1 when absent) and of recipient countries.
    by_vocabulary: dict[str, list[Decimal | None]] = {}
    for sector in activity.findall("sector"):
        vocabulary = sector.get("vocabulary", "1")
        by_vocabulary.setdefault(vocabulary, []).append(_number(sector.get("percentage")))
    for vocabulary, shares in by_vocabulary.items():
        total = sum((p or Decimal(0)) for p in shares)
        if len(shares) > 1 or None not in shares:
            if None in shares or total != 100:
                problem("sector_percentages", f"sector percentages of vocabulary {vocabulary} "
                        f"sum to {total}, not 100", "sector/@percentage")
    for value in activity.xpath("sector/@percentage | recipient-country/@percentage"):
        share = _number(value)
        if share is None or not 0 <= share <= 100:
            problem("percentage_range", f"percentage {value!r} is not between 0 and 100")
    countries = [_number(p) for p in activity.xpath("recipient-country/@percentage")]
    if countries and sum(p or 0 for p in countries) != 100:
        problem("country_percentages", "recipient-country percentages do not sum to 100",
                "recipient-country/@percentage")


def _date_rules(activity: etree._Element, today: date, problem: _Report) -> None:
    # Dates in order, and nothing actual in the future.
    dates = {kind: _date(activity.xpath(f"activity-date[@type='{kind}']/@iso-date"))
             for kind in "1234"}
    if not (dates["1"] or dates["2"]):
        problem("activity_dates", "a planned or actual start date is required", "activity-date")
    for start, end, what in (("1", "3", "planned"), ("2", "4", "actual")):
        first, last = dates[start], dates[end]
        if first and last and first > last:
            problem("date_order", f"the {what} start {first} is after the {what} end {last}",
                    "activity-date")
    for kind, what in (("2", "actual start"), ("4", "actual end")):
        actual = dates[kind]
        if actual and actual > today:
            problem("future_date", f"the {what} {actual} is in the future",
                    f"activity-date[@type='{kind}']")
    for n, transaction in enumerate(activity.findall("transaction"), start=1):
        for xpath in ("transaction-date/@iso-date", "value/@value-date"):
            on = _date(transaction.xpath(xpath))
            if on and on > today:
                problem("future_date", f"transaction {n}: {xpath.split('/')[0]} {on} is in "
                        "the future", f"transaction[{n}]/{xpath}")
    for n, budget in enumerate(activity.findall("budget"), start=1):
        start_on = _date(budget.xpath("period-start/@iso-date"))
        end_on = _date(budget.xpath("period-end/@iso-date"))
        if start_on and end_on and start_on > end_on:
            problem("date_order", f"budget {n}: period start {start_on} is after its end "
                    f"{end_on}", f"budget[{n}]")
        elif start_on and end_on and (end_on - start_on).days > 365:
            problem("budget_period", f"budget {n}: the period {start_on}..{end_on} is longer "
                    "than one year", f"budget[{n}]")


def _number(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def _date(values: object) -> date | None:
    if not isinstance(values, list) or not values:
        return None
    try:
        return date.fromisoformat(str(values[0]))
    except ValueError:
        return None
