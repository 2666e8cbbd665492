"""Text filters of the views: a folded substring (``q``), and a sector code or its prefix in
a comma-separated list; on SQLite the case search and sector filter ask the FTS5 index first
(``text_index``)."""

from __future__ import annotations

from application.projections.base import ViewTransaction
from application.projections.case_summary import fold
from application.projections.paging import Where
from application.projections.text_index import matching_ids


def escape_like(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def contains(where: Where, column: str, text: str | None) -> None:
    """``text`` in ``column``, in any case and with or without diacritics."""
    if text:
        where.add(f"{column} LIKE %s ESCAPE '!'", "%" + escape_like(fold(text)) + "%")


def search(tx: ViewTransaction, where: Where, column: str, text: str | None) -> None:
    """The case search (``search_text``) or sector filter (``sectors``): by the ids the SQLite
    index finds when they are few, else ``LIKE`` (on PostgreSQL a trigram index serves it)."""
    if not text:
        return
    ids = matching_ids(tx, column, fold(text) if column == "search_text" else "," + text)
    if ids is not None:
        where.any_of("id", ids)
    elif column == "search_text":
        contains(where, column, text)
    else:
        sector_prefix(column, where, text)


def sector_prefix(column: str, where: Where, code: str | None) -> None:
    """A DAC code or a prefix of one (``12`` is every health code) in a comma-separated list."""
    if code:
        where.add(f"(',' || {column}) LIKE %s ESCAPE '!'", "%," + escape_like(code) + "%")
