"""The workspace's languages: gettext catalogs (``locale/<lang>/LC_MESSAGES/messages.po``),
read with Babel when the process starts, and the formats of dates and money in each."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, parse_pattern
from babel.support import Translations

Lang = Literal["vi", "en"]
LANGUAGES: tuple[Lang, ...] = ("vi", "en")
DEFAULT: Lang = "vi"
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"
VIETNAM = timezone(timedelta(hours=7))


# Message ids the extractor cannot see in a template, marked for it where they are data.
def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for "mark only"
    return message


def catalog_path(lang: Lang) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: Lang) -> Translations:
    """The language's catalog, compiled in memory from its ``.po`` file (no ``.mo`` to keep
    in step)."""
    with catalog_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def language(value: str | None) -> Lang:
    """A supported language from a setting, a cookie or a form (Vietnamese otherwise)."""
    return "en" if value == "en" else DEFAULT


def gettext(lang: Lang, message: str) -> str:
    return str(translations(lang).gettext(message))


def format_date(value: date | datetime | str | None, lang: Lang) -> str:
    """``dd/mm/yyyy`` in Vietnamese, ISO 8601 in English; empty for no date."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    day = value.date() if isinstance(value, datetime) else value
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


def format_moment(value: datetime | str | None, lang: Lang) -> str:
    """A recorded moment in Vietnam's time: ``dd/mm/yyyy HH:MM`` (English: ISO-like)."""
    if value in (None, ""):
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    local = moment.astimezone(VIETNAM) if moment.tzinfo else moment
    return local.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")


def format_money(amount: Decimal | str | int | None, currency: str, lang: Lang) -> str:
    """VND as ``1.234.567 ₫`` in Vietnamese; other currencies with their code."""
    if amount in (None, ""):
        return ""
    value = Decimal(str(amount))
    locale, pattern = _number_format(lang, 0 if currency == "VND" else 2)
    text = pattern.apply(value, locale)
    if currency == "VND":
        return f"{text} ₫" if lang == "vi" else f"₫{text}"
    return f"{text} {currency}"


@cache
def _number_format(lang: Lang, places: int) -> tuple[Locale, NumberPattern]:
    """The locale and the grouped pattern with ``places`` decimals, parsed once (a table of
    a hundred sums formats hundreds of numbers)."""
    return (Locale.parse("vi_VN" if lang == "vi" else "en_GB"),
            parse_pattern("#,##0" + ("." + "0" * places if places else "")))
