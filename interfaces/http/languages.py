"""The language of a problem's ``detail``: English unless the request's ``Accept-Language``
prefers Vietnamese. In Vietnamese, ``detail`` is the code's explanation from the catalog and
``detail_en`` keeps the English sentence with the refusal's specifics (amounts, dates, names)."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from interfaces.http.problem_types import explanation
from interfaces.web.i18n import Lang, gettext

DEFAULT: Lang = "en"  # the API's clients, and its tests, read English
_language: ContextVar[Lang] = ContextVar("problem_language", default=DEFAULT)
_MAX_RANGES = 32


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


def preferred(header: str | None) -> Lang:
    """The supported language of highest quality (RFC 9110 §12.5.4; the first on a tie),
    English when none is named or only ``*`` is."""
    best, best_q = DEFAULT, 0.0
    for part in (header or "").split(",")[:_MAX_RANGES]:
        tag, _, params = part.partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = _quality(params)
        if primary in ("vi", "en") and q > best_q:
            best, best_q = ("vi" if primary == "vi" else "en"), q
    return best


def set_language(lang: Lang) -> object:
    return _language.set(lang)


def reset_language(token: object) -> None:
    _language.reset(token)  # type: ignore[arg-type]


def current_language() -> Lang:
    return _language.get()


def localised(code: str, detail: str) -> dict[str, Any]:
    """The problem's ``detail`` (and ``detail_en``) in the request's language."""
    lang = current_language()
    english = explanation(code)
    if lang == "en" or english is None:
        return {"detail": detail}
    return {"detail": gettext(lang, english), "detail_en": detail}
