"""A GET form's fields read as the API reads its query: blank is none, a date is
``YYYY-MM-DD``, a yes/no is true or false, a list is comma-separated."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query

from domain.errors import InvalidInputError

# A GET form sends an empty field as ``name=``: every field is read as text, blank is none.
Text = Annotated[str | None, Query(max_length=200)]


def blank(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def fields(**values: str | None) -> dict[str, str | None]:
    """A GET form's fields as sent, blank ones as none (to fill the form in again)."""
    return {name: blank(value) for name, value in values.items()}


def day_of(value: str | None, field: str = "as_of") -> date | None:
    """A date field of a form (``YYYY-MM-DD``, as a date input sends it); blank is none."""
    text = blank(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(f"{field}: {text!r} is not a date (YYYY-MM-DD)",
                                code="invalid_date", field=field) from None


def yes_no(value: str | None, field: str) -> bool | None:
    text = blank(value)
    if text is None:
        return None
    if text in ("true", "false"):
        return text == "true"
    raise InvalidInputError(f"{field}: {text!r} is not true or false", code="invalid_filter",
                            field=field)


def listed(value: str | None) -> list[str] | None:
    """A field that may name several values (comma-separated), as the API's filters take."""
    text = blank(value)
    return None if text is None else [text]
