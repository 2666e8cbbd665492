"""The words of the pages: every code the system can show has one, in both languages."""

from __future__ import annotations

import inspect
from datetime import date, datetime
from decimal import Decimal

from eventsourcing.domain import DomainEvent

from application.projections.queries import CASE_SORTS
from application.projections.queries_compliance import OBLIGATION_STATUSES
from application.roles import COMMAND_ROLES
from domain.case import AidCase
from domain.case_guards import AID_FORMS
from domain.compliance.registry import CHECKS
from domain.compliance.spans import SEVERITY
from domain.donor import CERTIFICATE_KINDS, DONOR_KINDS, Donor
from domain.phases.process import ALLOWED
from domain.policy import REPORT_KINDS
from domain.values import AID_OWNER_KINDS, DOCUMENT_KINDS, ROLES
from interfaces.http.routes.views import CERTIFICATE_STATUSES
from interfaces.web import error_words, words
from interfaces.web.case_page import MONEY
from interfaces.web.commands import FORMS
from interfaces.web.forms import Group, Input, controls
from interfaces.web.i18n import format_date, format_money, gettext


def _events(aggregate: type) -> set[str]:
    classes = (getattr(aggregate, n) for n in dir(aggregate))
    return {c.__qualname__ for c in classes if inspect.isclass(c) and issubclass(c, DomainEvent)
            and c.__qualname__.split(".")[-1] not in ("Event", "Created", "Snapshot")}


def test_every_code_of_the_system_has_its_words() -> None:
    expected: dict[str, set[str]] = {
        "state": set(ALLOWED), "command": {c.snake_name() for c in COMMAND_ROLES},
        "event": _events(AidCase) | _events(Donor), "role": set(ROLES),
        "flag": {check.__name__[:3].upper() for check in CHECKS} | set(SEVERITY),
        "severity": set(SEVERITY.values()), "aid_form": set(AID_FORMS),
        "aid_owner_kind": set(AID_OWNER_KINDS), "document_kind": set(DOCUMENT_KINDS),
        "report_kind": set(REPORT_KINDS), "obligation_status": set(OBLIGATION_STATUSES),
        "donor_kind": set(DONOR_KINDS), "certificate_kind": set(CERTIFICATE_KINDS),
        "certificate_status": set(CERTIFICATE_STATUSES) | {"expired"},
        "money": set(MONEY), "column": set(CASE_SORTS),
    }
    for kind, codes in expected.items():
        assert set(words.TABLES[kind]) == codes, kind


def _choices(parts: list[Input | Group]) -> list[tuple[str, str]]:
    found = []
    for part in parts:
        if isinstance(part, Group):
            found += _choices(part.parts)
        else:
            found += [(part.name, str(v)) for v in part.choices if isinstance(v, str)]
    return found


def test_every_choice_a_command_form_offers_from_its_body_has_its_words() -> None:
    offered = {c for form in FORMS.values() for c in _choices(controls(form.body))}
    assert ("stance", "agree_with_conditions") in offered
    assert [c for c in sorted(offered) if c[1] not in words.TABLES.get(c[0], {})] == []


def _labels(parts: list[Input | Group]) -> list[tuple[str, str]]:
    found = []
    for part in parts:
        if isinstance(part, Group):
            found += _labels(part.parts)
            if part.name.split(".")[-1].isdigit():
                continue  # a row of a list, named after its list
        found.append((part.name, part.label))
    return found


def test_every_field_of_every_command_form_has_a_label_in_vietnamese() -> None:
    labels = {c for form in FORMS.values() for c in _labels(controls(form.body))}
    assert ("effective_date", "Date it happened") in labels and len(labels) > 50
    untranslated = sorted(c for c in labels if gettext("vi", c[1]) == c[1])
    assert untranslated == []


def test_a_label_is_english_and_translated_to_vietnamese_by_the_catalog() -> None:
    assert words.label("command", "record_receipt") == "Record a receipt"
    assert gettext("vi", words.label("command", "record_receipt")) == \
        "Ghi nhận tiếp nhận viện trợ"
    assert gettext("vi", words.label("event", "AidCase.AppraisalStarted")) == \
        "Tiếp nhận hồ sơ, bắt đầu thẩm định"
    assert gettext("vi", words.label("donor_kind", "foreign_ngo")) == \
        "Tổ chức phi chính phủ nước ngoài"
    assert words.label("state", "no_such_state") == "No such state"
    assert words.label("province", "BN") == "BN" and words.label("agency", "VUFO") == "VUFO"


def test_a_page_explains_any_problem_code_in_its_own_words_or_the_apis() -> None:
    assert error_words.error_message("csrf_refused").startswith("The form was sent")
    assert error_words.error_message("overspending").startswith("Disbursed and spent")
    assert error_words.error_message("invalid_province").startswith("The value of the named field")
    assert error_words.error_message("no such code") == error_words.GENERIC_ERROR


def test_dates_are_day_month_year_in_vietnamese_and_iso_in_english() -> None:
    assert format_date(date(2026, 3, 7), "vi") == "07/03/2026"
    assert format_date("2026-03-07", "en") == "2026-03-07"
    assert format_date(datetime(2026, 12, 31, 23, 5), "vi") == "31/12/2026"
    assert format_date("2026-12-31T23:05:00+00:00", "vi") == "31/12/2026"
    assert format_date(None, "vi") == ""


def test_dong_amounts_are_grouped_with_dots_and_followed_by_the_dong_sign_in_vietnamese() -> None:
    assert format_money(Decimal("1234567"), "VND", "vi") == "1.234.567 ₫"
    assert format_money("1234567", "VND", "en") == "₫1,234,567"
    assert format_money(Decimal("1250.5"), "USD", "vi") == "1.250,50 USD"
    assert format_money(Decimal("1250.5"), "EUR", "en") == "1,250.50 EUR"
    assert format_money(0, "VND", "vi") == "0 ₫"
    assert format_money(None, "VND", "vi") == ""
