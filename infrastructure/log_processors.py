"""structlog processors of ours: secrets redacted, the process id, tracebacks without
messages."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import MutableMapping
from typing import Any

# Keys whose values never reach a log line, wherever they appear.
_SECRET_KEYS = {"authorization", "token", "password", "secret", "jwt", "cipher_key", "body"}


def redact(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key in list(event_dict):
        if key.lower() in _SECRET_KEYS:
            event_dict[key] = "[redacted]"
    return event_dict


def add_pid(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    event_dict["pid"] = os.getpid()  # tells the processes of `serve --workers N` apart
    return event_dict


def _exception(exc_info: Any) -> BaseException | None:
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple):
        return exc_info[1]  # type: ignore[no-any-return]
    return sys.exc_info()[1] if exc_info else None


def format_exc_info(_: Any, __: str, event_dict: MutableMapping[str, Any]
                     ) -> MutableMapping[str, Any]:
    """Tracebacks without exception messages: a message may quote request data (a title, a
    database row), while the stack and the types are enough to find the fault."""
    exc = _exception(event_dict.pop("exc_info", None))
    if exc is None:
        return event_dict
    parts, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts.append("Traceback (most recent call last):\n"
                     + "".join(traceback.format_tb(exc.__traceback__))
                     + f"{type(exc).__module__}.{type(exc).__qualname__} (message withheld)")
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    event_dict["exception"] = "\n\nThe above was raised while handling:\n\n".join(parts)
    return event_dict
