"""The case search and sector filter on SQLite through an FTS5 trigram index (PostgreSQL has
pg_trgm indexes on the columns themselves: ``infrastructure.text_search``).

``case_summary_search`` holds each case's folded ``search_text`` and its sector codes (as
``,code,code``, what ``sector_prefix`` matches) under a number of its own,
which ``case_summary_search_key`` gives the case id (a plain table's rowid may change on
``VACUUM``, so the index does not borrow it). Triggers keep both in step with every insert,
update and delete of ``case_summary``; a search asks the index for at most ``FEW`` cases and
filters the page by their ids, or, when more match, reads the page in its sort's order with
``LIKE`` (a common term finds its page within the first rows it reads).
"""

from __future__ import annotations

from application.projections.base import ViewTransaction

SEARCH = "case_summary_search"
SEARCH_KEY = "case_summary_search_key"
# Up to this many matches the page is read by id; beyond it, in sort order (the two cross near
# 300 of 100,000 cases: the index pays ~27 µs a match, the rows a scan to the page; measured by
# ``bench/scenarios/sqlite_search.py``).
FEW = 300
# The trigram tokenizer indexes three characters at a time: a shorter term cannot use it.
SHORTEST = 3
_WILDCARDS = frozenset("%_!")


def search_schema(table: str) -> list[str]:
    """The index, its key table and the triggers that fill both from ``table``."""
    key_of = f"(SELECT n FROM {SEARCH_KEY} WHERE id = {{row}}.id)"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH} USING fts5(search_text, sectors, "
        "tokenize='trigram', detail='none')",
        f"CREATE TABLE IF NOT EXISTS {SEARCH_KEY} (n INTEGER PRIMARY KEY, "
        "id TEXT NOT NULL UNIQUE)",
        f"CREATE TRIGGER IF NOT EXISTS {SEARCH}_added AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {SEARCH_KEY} (id) VALUES (new.id); "
        f"INSERT INTO {SEARCH} (rowid, search_text, sectors) VALUES "
        f"({key_of.format(row='new')}, new.search_text, ',' || new.sectors); END",
        f"CREATE TRIGGER IF NOT EXISTS {SEARCH}_changed AFTER UPDATE OF search_text, sectors "
        f"ON {table} BEGIN UPDATE {SEARCH} SET search_text = new.search_text, "
        f"sectors = ',' || new.sectors WHERE rowid = {key_of.format(row='new')}; END",
        f"CREATE TRIGGER IF NOT EXISTS {SEARCH}_removed AFTER DELETE ON {table} BEGIN "
        f"DELETE FROM {SEARCH} WHERE rowid = {key_of.format(row='old')}; "
        f"DELETE FROM {SEARCH_KEY} WHERE id = old.id; END",
    ]


def fill_search(tx: ViewTransaction, table: str) -> int:
    """Index the rows of ``table`` the index does not hold yet (a store made before it);
    returns how many."""
    start = int(tx.fetchall(f"SELECT coalesce(max(n), 0) FROM {SEARCH_KEY}")[0][0])
    added = tx.execute(f"INSERT INTO {SEARCH_KEY} (id) SELECT s.id FROM {table} s WHERE NOT "
                       f"EXISTS (SELECT 1 FROM {SEARCH_KEY} k WHERE k.id = s.id) ORDER BY s.id")
    if added:
        tx.execute(f"INSERT INTO {SEARCH} (rowid, search_text, sectors) SELECT k.n, "
                   "s.search_text, ',' || s.sectors "
                   f"FROM {SEARCH_KEY} k JOIN {table} s ON s.id = k.id WHERE k.n > %s",
                   (start,))
    return added


def matching_ids(tx: ViewTransaction, column: str, text: str) -> list[str] | None:
    """The ids of the cases whose ``column`` (``search_text`` or ``sectors``) contains
    ``text``, when the index can tell and they are at most ``FEW``; None when the caller
    should filter with ``LIKE``."""
    if tx.dialect != "sqlite" or len(text) < SHORTEST or _WILDCARDS & set(text):
        return None
    rows = tx.fetchall(f"SELECT k.id FROM {SEARCH} f JOIN {SEARCH_KEY} k ON k.n = f.rowid "
                       f"WHERE f.{column} LIKE %s LIMIT %s", ("%" + text + "%", FEW + 1))
    return None if len(rows) > FEW else [str(r[0]) for r in rows]
