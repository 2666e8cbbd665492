"""What a projection's exception is: an outage of the database (retried by the loop), or a
fault of the projection on one event, with a stable code and a message of its own."""

from __future__ import annotations

import sqlite3

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError

from infrastructure.database import DatabaseUnavailableError

# The database being away is an outage of every projection, not a fault of one: the loop that
# runs them retries; nothing is set aside.
_OUTAGES: tuple[type[BaseException], ...] = (
    DatabaseUnavailableError, OperationalError, InterfaceError, psycopg.OperationalError,
    psycopg.InterfaceError)
_SQLITE_OUTAGE_WORDS = ("locked", "busy", "unable to open", "disk i/o", "readonly")


def is_outage(exc: BaseException) -> bool:
    if isinstance(exc, _OUTAGES):
        return True
    return isinstance(exc, sqlite3.OperationalError) and any(
        word in str(exc).lower() for word in _SQLITE_OUTAGE_WORDS)


def error_class(exc: BaseException) -> str:
    kind = type(exc)
    return kind.__qualname__ if kind.__module__ == "builtins" else (
        f"{kind.__module__}.{kind.__qualname__}")


def describe(exc: BaseException) -> tuple[str, str]:
    """A stable code and a short message for ``exc``, with nothing of its own message."""
    state = getattr(exc, "sqlstate", None)
    where = f" (SQLSTATE {state})" if isinstance(state, str) else ""
    if isinstance(exc, OverflowError | psycopg.errors.NumericValueOutOfRange):
        return "value_out_of_range", f"a value does not fit a view column{where}"
    if isinstance(exc, sqlite3.IntegrityError | psycopg.IntegrityError):
        return "view_constraint_violated", f"a view row breaks a constraint{where}"
    if isinstance(exc, sqlite3.DataError | psycopg.DataError):
        return "invalid_view_value", f"the database refused a value for a view{where}"
    return "projection_error", f"the projection raised {type(exc).__name__}{where}"
